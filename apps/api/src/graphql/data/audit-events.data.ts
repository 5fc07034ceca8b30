// A member's audit trail, newest first, on the (organization_id, target_id) index.
import { fragment, type EntityManager, type Row } from '../../sql/read-sql.js';
import type { Dialect } from '../../sql/sql-dialect.js';
import { ACTORS, OUTCOMES, type AuditEventDto } from './dto.js';
import { keysetConnection, type Connection, type PageArgs } from './keyset.js';
import { oneOf, text, textOrNull, time } from './row.js';

const COLUMNS =
  'a.id, a.organization_id, a.actor, a.actor_id, a.action, a.outcome, a.target_type, a.target_id, a.request_id, a.created_at';

const toAuditEvent = (row: Row, dialect: Dialect): AuditEventDto => ({
  // bigint: PostgreSQL returns it as text, SQLite as a number; GraphQL gets an ID string.
  id: String(row['id']),
  organizationId: text(row, 'organization_id'),
  actor: oneOf(row, 'actor', ACTORS),
  actorId: textOrNull(row, 'actor_id'),
  action: text(row, 'action'),
  outcome: oneOf(row, 'outcome', OUTCOMES),
  targetType: text(row, 'target_type'),
  targetId: textOrNull(row, 'target_id'),
  requestId: textOrNull(row, 'request_id'),
  createdAt: time(row, 'created_at', dialect),
});

export const memberAuditEvents = (
  em: EntityManager,
  dialect: Dialect,
  member: { organizationId: string; id: string },
  args: PageArgs,
): Promise<Connection<AuditEventDto>> =>
  keysetConnection(
    em,
    dialect,
    {
      tag: 'audit',
      sortKind: 'time',
      idKind: 'bigint',
      select: COLUMNS,
      from: 'audit_event a',
      where: fragment("a.organization_id = ? and a.target_id = ? and a.target_type = 'member'", [
        member.organizationId,
        member.id,
      ]),
      sortExpr: 'a.created_at',
      idExpr: 'a.id',
      descending: true,
      map: (row) => toAuditEvent(row, dialect),
    },
    args,
  );

import type { ServiceContext } from '../shared/context.js';
import type { TableRows } from '../shared/insert-rows.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditInput {
  action: string;
  targetType: 'member' | 'group' | 'organization' | 'invitation' | 'admin_token' | 'sync_failure';
  targetId: string | null;
  data?: Record<string, unknown>;
  outcome?: 'success' | 'failure';
}

/** The event's fields: one mapping for both ways of writing it. */
function auditFields(ctx: ServiceContext, input: AuditInput) {
  return {
    organization: ctx.organizationId,
    actor: ctx.actor,
    actorId: ctx.actorId ?? null,
    action: input.action,
    outcome: input.outcome ?? 'success',
    targetType: input.targetType,
    targetId: input.targetId,
    data: input.data ?? null,
    requestId: ctx.requestId ?? null,
    createdAt: ctx.now ?? new Date(),
  };
}

/** Persisted with the change it describes (same unit of work / transaction). */
export function recordAudit(ctx: ServiceContext, input: AuditInput): void {
  ctx.em.create(AuditEvent, auditFields(ctx, input));
}

const AUDIT_COLUMNS = [
  'organization_id',
  'actor',
  'actor_id',
  'action',
  'outcome',
  'target_type',
  'target_id',
  'data',
  'request_id',
  'created_at',
] as const;

/** Events as rows for insertRows, for changes written in plain SQL (no unit of work to join). */
export function auditRows(ctx: ServiceContext, inputs: readonly AuditInput[]): TableRows {
  return {
    table: 'audit_event',
    columns: AUDIT_COLUMNS,
    rows: inputs.map((input) => {
      const e = auditFields(ctx, input);
      return [
        e.organization,
        e.actor,
        e.actorId,
        e.action,
        e.outcome,
        e.targetType,
        e.targetId,
        e.data === null ? null : JSON.stringify(e.data),
        e.requestId,
        e.createdAt,
      ];
    }),
  };
}

/**
 * PostgreSQL: one event as `insert … select … from <source>`, its data's `key` set to the SQL
 * expression `value` — for an event whose count only the statement knows (rows a CTE changed).
 * `source` may carry a condition (`n where n.n > 0`): no row from it, no event.
 */
export function auditFromSelect(
  ctx: ServiceContext,
  input: AuditInput,
  set: { key: string; value: string },
  source: string,
): { sql: string; params: unknown[] } {
  const { columns, rows } = auditRows(ctx, [input]);
  const values = columns.map((c) =>
    c === 'data' ? `jsonb_set(?::jsonb, '{${set.key}}', to_jsonb(${set.value}))` : '?',
  );
  return {
    sql: `insert into audit_event (${columns.map((c) => `"${c}"`).join(', ')})
      select ${values.join(', ')} from ${source}`,
    params: rows.flat(),
  };
}

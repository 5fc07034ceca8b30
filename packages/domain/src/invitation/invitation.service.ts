import { randomUUID } from 'node:crypto';
import { invalidValue, notFound } from '../errors.js';
import { auditRows } from '../audit/audit.service.js';
import type { Member } from '../member/member.entity.js';
import { readOrganizationSettings } from '../organization/organization.service.js';
import { outboxRows } from '../outbox/outbox.service.js';
import { insertRows, type TableRows } from '../shared/insert-rows.js';
import type { ServiceContext } from '../shared/context.js';
import { isPostgres } from '../shared/locking.js';
import { asDate } from '../shared/row-values.js';
import { hashSecret, newSecret } from '../shared/secrets.js';
import { execute, executeRun } from '../shared/sql.js';
import { invitationEmail } from './invitation-email.js';

export const INVITATION_TTL_MS = 5 * 24 * 60 * 60 * 1000;

export interface InvitationSettings {
  /** Base of the accept link, e.g. http://localhost:3000 */
  publicUrl: string;
}

/** What an invitation needs of its member. */
export type Invitee = Pick<Member, 'id' | 'email' | 'displayName' | 'givenName'>;

/**
 * A single-use invitation, its audit event and e-mail as rows for insertRows (the member's row
 * must come first). The caller passes the organization's name when it has it already.
 */
export async function invitationRows(
  ctx: ServiceContext,
  member: Invitee,
  settings: InvitationSettings,
  organizationName?: string,
): Promise<{ invitationId: string; outboxId: string | null; rows: TableRows[] }> {
  const now = ctx.now ?? new Date();
  const token = newSecret('inv');
  const invitation = {
    id: randomUUID(),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
  };
  const rows: TableRows[] = [
    {
      table: 'invitation',
      columns: ['id', 'member_id', 'token_hash', 'expires_at', 'created_at'],
      rows: [[invitation.id, member.id, hashSecret(token), invitation.expiresAt, now]],
    },
    auditRows(ctx, [{ action: 'invitation.sent', targetType: 'member', targetId: member.id }]),
  ];
  if (!member.email) return { invitationId: invitation.id, outboxId: null, rows };
  const acceptUrl = `${settings.publicUrl.replace(/\/$/, '')}/invitations/accept?token=${encodeURIComponent(token)}`;
  const mail = invitationEmail({
    organizationName: organizationName ?? (await readOrganizationSettings(ctx)).name,
    memberName: member.displayName ?? member.givenName ?? null,
    acceptUrl,
    expiresAt: invitation.expiresAt,
  });
  const email = outboxRows(
    ctx.em,
    { organizationId: ctx.organizationId, kind: 'invitation', to: [member.email], ...mail },
    now,
  );
  return { invitationId: invitation.id, outboxId: email.id, rows: [...rows, email.rows] };
}

/**
 * Sends a new invitation to an existing member in the caller's transaction. Older open
 * invitations of the member are superseded, so only the newest link works.
 */
export async function sendInvitation(
  ctx: ServiceContext,
  member: Invitee,
  settings: InvitationSettings,
): Promise<{ invitationId: string; outboxId: string | null }> {
  await executeRun(
    ctx.em,
    'update invitation set superseded_at = ? where member_id = ? and accepted_at is null and superseded_at is null',
    [ctx.now ?? new Date(), member.id],
  );
  const { rows, ...result } = await invitationRows(ctx, member, settings);
  await insertRows(ctx.em, rows);
  return result;
}

/**
 * Accepts by token hash: unknown, expired, superseded or used tokens get a clear error. Plain SQL
 * like the rest of the write path (the unit of work would enter an AsyncLocalStorage: see
 * plainTransaction); the invitation and its member are row-locked on PostgreSQL.
 */
export async function acceptInvitation(ctx: Omit<ServiceContext, 'organizationId'>, tokenHash: string) {
  const now = ctx.now ?? new Date();
  const [row] = await execute(
    ctx.em,
    `select i.id, i.accepted_at, i.superseded_at, i.expires_at, m.id as member_id, m.status,
            m.organization_id
       from invitation i join member m on m.id = i.member_id
      where i.token_hash = ?${isPostgres(ctx.em) ? ' for update of i, m' : ''}`,
    [tokenHash],
  );
  if (!row) throw notFound('This invitation link is not valid.');
  if (row['accepted_at'] != null) throw invalidValue('This invitation has already been used.');
  if (row['superseded_at'] != null)
    throw invalidValue('This invitation was replaced by a newer one; use the latest e-mail.');
  if (asDate(row['expires_at']).getTime() < now.getTime())
    throw invalidValue('This invitation has expired; ask an admin to resend it.');
  const status = String(row['status']);
  if (status !== 'invited')
    throw invalidValue(`The member is ${status}; the invitation can no longer be accepted.`);
  const memberId = String(row['member_id']);
  const organizationId = String(row['organization_id']);
  await executeRun(ctx.em, 'update invitation set accepted_at = ? where id = ?', [now, row['id']]);
  await executeRun(
    ctx.em,
    `update member set status = 'accepted', version = version + 1, updated_at = ? where id = ?`,
    [now, memberId],
  );
  await insertRows(ctx.em, [
    auditRows({ ...ctx, organizationId, now }, [
      { action: 'invitation.accepted', targetType: 'member', targetId: memberId },
    ]),
  ]);
  return { memberId, organizationId };
}

import { randomUUID } from 'node:crypto';
import { invalidValue, notFound } from '../errors.js';
import { auditRows, recordAudit } from '../audit/audit.service.js';
import type { Member } from '../member/member.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { outboxRows } from '../outbox/outbox.service.js';
import { insertRows, type TableRows } from '../shared/insert-rows.js';
import type { ServiceContext } from '../shared/context.js';
import { hashSecret, newSecret } from '../shared/secrets.js';
import { invitationEmail } from './invitation-email.js';
import { Invitation } from './invitation.entity.js';

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
    organizationName: organizationName ?? (await ctx.em.findOneOrFail(Organization, ctx.organizationId)).name,
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
  await ctx.em.nativeUpdate(
    Invitation,
    { member: member.id, acceptedAt: null, supersededAt: null },
    { supersededAt: ctx.now ?? new Date() },
  );
  const { rows, ...result } = await invitationRows(ctx, member, settings);
  await insertRows(ctx.em, rows);
  return result;
}

/** Accepts by token hash: unknown, expired, superseded or used tokens get a clear error. */
export async function acceptInvitation(ctx: Omit<ServiceContext, 'organizationId'>, tokenHash: string) {
  const now = ctx.now ?? new Date();
  const invitation = await ctx.em.findOne(Invitation, { tokenHash }, { populate: ['member'] });
  if (!invitation) throw notFound('This invitation link is not valid.');
  if (invitation.acceptedAt) throw invalidValue('This invitation has already been used.');
  if (invitation.supersededAt)
    throw invalidValue('This invitation was replaced by a newer one; use the latest e-mail.');
  if (invitation.expiresAt.getTime() < now.getTime())
    throw invalidValue('This invitation has expired; ask an admin to resend it.');
  const member = invitation.member.getEntity();
  if (member.status !== 'invited')
    throw invalidValue(`The member is ${member.status}; the invitation can no longer be accepted.`);
  invitation.acceptedAt = now;
  member.status = 'accepted';
  const organizationId = member.organization.id;
  recordAudit(
    { ...ctx, organizationId },
    { action: 'invitation.accepted', targetType: 'member', targetId: member.id },
  );
  return { memberId: member.id, organizationId };
}

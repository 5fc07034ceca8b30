import { randomUUID } from 'node:crypto';
import { invalidValue, notFound } from '../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Member } from '../member/member.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { queueEmail } from '../outbox/outbox.service.js';
import type { ServiceContext } from '../shared/context.js';
import { hashSecret, newSecret } from '../shared/secrets.js';
import { invitationEmail } from './invitation-email.js';
import { Invitation } from './invitation.entity.js';

export const INVITATION_TTL_MS = 5 * 24 * 60 * 60 * 1000;

export interface InvitationSettings {
  /** Base of the accept link, e.g. http://localhost:3000 */
  publicUrl: string;
}

/**
 * Creates a single-use invitation and its e-mail in the caller's transaction. Older open
 * invitations of the member are superseded, so only the newest link works.
 */
export async function sendInvitation(
  ctx: ServiceContext,
  member: Member,
  settings: InvitationSettings,
  options: { isNew?: boolean; organizationName?: string } = {},
): Promise<{ invitationId: string; outboxId: string | null }> {
  const now = ctx.now ?? new Date();
  if (!options.isNew) {
    await ctx.em.nativeUpdate(
      Invitation,
      { member: member.id, acceptedAt: null, supersededAt: null },
      { supersededAt: now },
    );
  }
  const token = newSecret('inv');
  const invitation = ctx.em.create(Invitation, {
    id: randomUUID(),
    member: member.id,
    tokenHash: hashSecret(token),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    createdAt: now,
  });
  recordAudit(ctx, { action: 'invitation.sent', targetType: 'member', targetId: member.id });
  if (!member.email) return { invitationId: invitation.id, outboxId: null };
  // A create already read the name with its provisioning settings; a resend loads it.
  const organizationName =
    options.organizationName ?? (await ctx.em.findOneOrFail(Organization, ctx.organizationId)).name;
  const acceptUrl = `${settings.publicUrl.replace(/\/$/, '')}/invitations/accept?token=${encodeURIComponent(token)}`;
  const mail = invitationEmail({
    organizationName,
    memberName: member.displayName ?? member.givenName ?? null,
    acceptUrl,
    expiresAt: invitation.expiresAt,
  });
  const email = queueEmail(ctx.em, {
    organizationId: ctx.organizationId,
    kind: 'invitation',
    to: [member.email],
    ...mail,
  });
  return { invitationId: invitation.id, outboxId: email.id };
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

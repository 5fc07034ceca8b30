import { randomUUID } from 'node:crypto';
import { auditRows, type AuditInput } from '../audit/audit.service.js';
import { conflict, lastOwner, notFound, preconditionFailed } from '../errors.js';
import { invitationRows, sendInvitation, type InvitationSettings } from '../invitation/invitation.service.js';
import {
  assertSeatAvailable,
  PROVISIONING_SETTINGS_COLUMNS,
  provisioningSettingsOf,
  type ProvisioningSettings,
} from '../organization/seats.js';
import type { ServiceContext } from '../shared/context.js';
import { forUpdate } from '../shared/locking.js';
import { insertRows, type TableRows } from '../shared/insert-rows.js';
import { asBoolean, textOrNull } from '../shared/row-values.js';
import { execute } from '../shared/sql.js';
import { uniquely } from '../shared/unique.js';
import {
  deleteMemberRow,
  lockMemberRow,
  lockMemberRowWithGroups,
  memberRows,
  updateMemberRow,
  type MemberRow,
} from './member.repository.js';
import type { MemberGroup } from './member-groups.js';
import {
  checkExternalId,
  checkUserName,
  chooseEmail,
  consumesSeat,
  lower,
  restored,
  revoked,
  type EmailInput,
} from './member.rules.js';
import { sameJson } from '../shared/same-json.js';

/** What an IdP (or admin) says about a member; the SCIM adapter builds it from a User resource. */
export interface MemberInput {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  emails: EmailInput[];
  managerId: string | null;
  document: Record<string, unknown>;
}

export interface MemberServiceSettings {
  invitations: InvitationSettings;
}

/** Reads a member of the organization with a row lock; unknown or foreign ids are not found. */
export async function lockMember(ctx: ServiceContext, memberId: string): Promise<MemberRow> {
  const member = await lockMemberRow(ctx.em, ctx.organizationId, memberId);
  if (!member) throw notFound('User not found.', { memberId });
  return member;
}

/** lockMember, with the member's groups (a SCIM write answers with them). */
export async function lockMemberWithGroups(
  ctx: ServiceContext,
  memberId: string,
): Promise<{ member: MemberRow; groups: MemberGroup[] }> {
  const locked = await lockMemberRowWithGroups(ctx.em, ctx.organizationId, memberId);
  if (!locked) throw notFound('User not found.', { memberId });
  return locked;
}

/** Conflict when another member holds the userName (when given) or the externalId: one read. */
async function assertUnique(
  ctx: ServiceContext,
  input: { userName?: string; externalId: string | null },
  selfId: string,
) {
  const conditions: string[] = [];
  const params: unknown[] = [ctx.organizationId, selfId];
  if (input.userName !== undefined) {
    conditions.push('user_name_lower = ?');
    params.push(lower(input.userName));
  }
  if (input.externalId !== null) {
    conditions.push('external_id = ?');
    params.push(input.externalId);
  }
  if (!conditions.length) return;
  const holders = await execute(
    ctx.em,
    `select id, user_name_lower, external_id, email_lower, scim_managed from member
      where organization_id = ? and id <> ? and (${conditions.join(' or ')})`,
    params,
  );
  assertNoHolder(holders.map(candidateOf), { userName: input.userName, externalId: input.externalId });
}

/** The columns an IdP's input sets. */
const attributesOf = (input: MemberInput, email: string | null) => ({
  userName: input.userName,
  externalId: input.externalId,
  email,
  displayName: input.displayName,
  givenName: input.givenName,
  familyName: input.familyName,
  managerId: input.managerId,
  document: input.document,
});

const withAttributes = (member: MemberRow, input: MemberInput, email: string | null): MemberRow => ({
  ...member,
  ...attributesOf(input, email),
});

/**
 * Provision a member: link an existing unmanaged member with the same e-mail, or create one that
 * is invited (seat checked, invitation e-mail queued) or staged, per the organization's setting.
 * `active:false` creates the member revoked, remembering the status it would have had.
 */
export async function provisionMember(
  ctx: ServiceContext,
  raw: MemberInput,
  settings: MemberServiceSettings,
): Promise<MemberRow> {
  const input = {
    ...raw,
    userName: checkUserName(raw.userName),
    externalId: checkExternalId(raw.externalId),
  };
  const email = chooseEmail(input.userName, input.emails);

  // One query finds everything that decides the outcome: a member to link (same e-mail, not yet
  // SCIM-managed), any member holding this userName or externalId, and the organization's
  // settings. Plain SQL, like every member read and write (member.repository.ts).
  const { candidates, settings: org } = await findCandidates(ctx, input, email);
  const linkable = candidates.find(
    (m) => email !== null && m.emailLower === lower(email) && !m.scimManaged && m.externalId === null,
  );
  // Identity is userName and externalId (DESIGN §5); two members may share an e-mail address.
  assertNoHolder(candidates, input, linkable?.id);
  if (linkable) return linkMember(ctx, await lockMember(ctx, linkable.id), input, email);

  const initial = org.provisionMode === 'stage' ? ('staged' as const) : ('invited' as const);
  if (input.active && consumesSeat(initial)) await assertSeatAvailable(ctx, org);

  const now = ctx.now ?? new Date();
  const member: MemberRow = {
    id: randomUUID(),
    ...attributesOf(input, email),
    status: input.active ? initial : 'revoked',
    previousStatus: input.active ? null : initial,
    role: 'user',
    scimManaged: ctx.actor === 'scim',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  // One statement on PostgreSQL for the member, its audit events, invitation and e-mail: every
  // create of an initial sync runs this, and through the unit of work it was five.
  const rows: TableRows[] = [
    memberRows(ctx.organizationId, member),
    auditRows(ctx, [
      {
        action: input.active ? `member.${initial}` : 'member.provisioned_revoked',
        targetType: 'member',
        targetId: member.id,
        data: { userName: input.userName, externalId: input.externalId },
      },
    ]),
  ];
  if (member.status === 'invited') {
    const invitation = await invitationRows(ctx, member, settings.invitations, org.organizationName);
    rows.push(...invitation.rows);
  }
  await uniquely(
    `A member with userName "${input.userName}" or externalId "${input.externalId ?? ''}"`,
    insertRows(ctx.em, rows),
  );
  return member;
}

/** The identity columns of a member, enough to decide a provision. */
interface Candidate {
  id: string;
  userNameLower: string;
  externalId: string | null;
  emailLower: string | null;
  scimManaged: boolean;
}

async function findCandidates(
  ctx: ServiceContext,
  input: { userName: string; externalId: string | null },
  email: string | null,
): Promise<{ candidates: Candidate[]; settings: ProvisioningSettings }> {
  const conditions = ['user_name_lower = ?'];
  const params: unknown[] = [ctx.organizationId, lower(input.userName)];
  if (input.externalId !== null) {
    conditions.push('external_id = ?');
    params.push(input.externalId);
  }
  if (email !== null) {
    conditions.push('(email_lower = ? and scim_managed = false and external_id is null)');
    params.push(lower(email));
  }
  // The row lock makes a concurrent create of the same userName wait here, then see it.
  const rows = await execute(
    ctx.em,
    `with candidate as (
       select id, user_name_lower, external_id, email_lower, scim_managed from member
        where organization_id = ? and (${conditions.join(' or ')})${forUpdate(ctx.em)})
     select ${PROVISIONING_SETTINGS_COLUMNS}, c.* from organization left join candidate c on true
      where organization.id = ?`,
    [...params, ctx.organizationId],
  );
  const first = rows[0];
  if (!first) throw new Error(`Organization ${ctx.organizationId} not found`);
  return {
    settings: provisioningSettingsOf(first),
    candidates: rows.filter((r) => r['id'] != null).map(candidateOf),
  };
}

const candidateOf = (r: Record<string, unknown>): Candidate => ({
  id: String(r['id']),
  userNameLower: String(r['user_name_lower']),
  externalId: textOrNull(r['external_id']),
  emailLower: textOrNull(r['email_lower']),
  scimManaged: asBoolean(r['scim_managed']),
});

/** Conflict when a member other than `selfId` already holds the userName or externalId. */
function assertNoHolder(
  candidates: Candidate[],
  input: { userName?: string | undefined; externalId: string | null },
  selfId?: string,
) {
  const others = candidates.filter((m) => m.id !== selfId);
  const { userName, externalId } = input;
  if (userName !== undefined && others.some((m) => m.userNameLower === lower(userName))) {
    throw conflict(`A member with userName "${userName}" already exists.`, { attribute: 'userName' });
  }
  if (externalId !== null && others.some((m) => m.externalId === externalId)) {
    throw conflict(`A member with externalId "${externalId}" already exists.`, { attribute: 'externalId' });
  }
}

/** Bitwarden's "link": a member invited by hand before SCIM was turned on becomes SCIM-managed. */
async function linkMember(ctx: ServiceContext, member: MemberRow, input: MemberInput, email: string | null) {
  const audits: AuditInput[] = [
    {
      action: 'member.linked',
      targetType: 'member',
      targetId: member.id,
      data: { externalId: input.externalId },
    },
  ];
  let next: MemberRow = { ...withAttributes(member, input, email), scimManaged: true };
  if (!input.active) next = await setActive(ctx, next, false, audits);
  return uniquely(`A member with userName "${input.userName}"`, updateMemberRow(ctx, member, next, audits));
}

/** The member itself when the caller already locked it (lockMember) in this transaction, else its id. */
type MemberRef = string | MemberRow;

const locked = (ctx: ServiceContext, ref: MemberRef): Promise<MemberRow> =>
  typeof ref === 'string' ? lockMember(ctx, ref) : Promise.resolve(ref);

/** Replaces a member's attributes (SCIM PUT, or the result of a PATCH); `active` revokes or restores. */
export async function updateMember(
  ctx: ServiceContext,
  ref: MemberRef,
  raw: MemberInput,
  options: { expectedVersion?: number } = {},
): Promise<MemberRow> {
  const member = await locked(ctx, ref);
  if (options.expectedVersion !== undefined && member.version !== options.expectedVersion) {
    throw preconditionFailed(
      `The user was changed since version ${options.expectedVersion} (now ${member.version}).`,
    );
  }
  const input = {
    ...raw,
    userName: checkUserName(raw.userName),
    externalId: checkExternalId(raw.externalId),
  };
  const email = chooseEmail(input.userName, input.emails);
  // Most updates keep the identity: only a new userName or externalId needs the uniqueness check.
  if (lower(member.userName) !== lower(input.userName) || member.externalId !== input.externalId) {
    await assertUnique(ctx, input, member.id);
  }
  const changed = attributeChanges(member, input, email);
  const audits: AuditInput[] = changed.length
    ? [{ action: 'member.updated', targetType: 'member', targetId: member.id, data: { changed } }]
    : [];
  const next = await setActive(ctx, withAttributes(member, input, email), input.active, audits);
  return uniquely(`A member with userName "${input.userName}"`, updateMemberRow(ctx, member, next, audits));
}

function attributeChanges(member: MemberRow, input: MemberInput, email: string | null): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['userName', member.userName, input.userName],
    ['externalId', member.externalId, input.externalId],
    ['email', member.email, email],
    ['displayName', member.displayName, input.displayName],
    ['givenName', member.givenName, input.givenName],
    ['familyName', member.familyName, input.familyName],
    ['manager', member.managerId, input.managerId],
  ];
  const changed = pairs.filter(([, a, b]) => a !== b).map(([k]) => k);
  if (!sameJson(member.document, input.document) && !changed.length) changed.push('attributes');
  return changed;
}

/** The member with `active` applied (revoke or restore), its audit events added to `audits`. */
async function setActive(
  ctx: ServiceContext,
  member: MemberRow,
  active: boolean,
  audits: AuditInput[],
): Promise<MemberRow> {
  if (active && member.status === 'revoked') return restore(ctx, member, audits);
  if (!active && member.status !== 'revoked') return revoke(ctx, member, audits);
  return member;
}

async function assertNotLastOwner(ctx: ServiceContext, member: MemberRow, action: string): Promise<void> {
  if (member.role !== 'owner' || member.status !== 'confirmed') return;
  const [row] = await execute(
    ctx.em,
    `select count(*) as others from member
      where organization_id = ? and role = 'owner' and status = 'confirmed' and id <> ?`,
    [ctx.organizationId, member.id],
  );
  if (Number(row?.['others'] ?? 0) === 0) {
    throw lastOwner(
      `The organization must keep at least one confirmed owner; ${member.userName} cannot be ${action}.`,
    );
  }
}

async function revoke(ctx: ServiceContext, member: MemberRow, audits: AuditInput[]): Promise<MemberRow> {
  await assertNotLastOwner(ctx, member, 'revoked');
  const next = revoked(member.status, member.previousStatus);
  audits.push({
    action: 'member.revoked',
    targetType: 'member',
    targetId: member.id,
    data: { previousStatus: next.previousStatus },
  });
  return { ...member, ...next };
}

async function restore(ctx: ServiceContext, member: MemberRow, audits: AuditInput[]): Promise<MemberRow> {
  const next = restored(member.status, member.previousStatus);
  if (consumesSeat(next.status)) await assertSeatAvailable(ctx);
  audits.push({
    action: 'member.restored',
    targetType: 'member',
    targetId: member.id,
    data: { status: next.status },
  });
  return { ...member, status: next.status, previousStatus: null };
}

export async function revokeMember(ctx: ServiceContext, memberId: string): Promise<MemberRow> {
  const member = await lockMember(ctx, memberId);
  const audits: AuditInput[] = [];
  return updateMemberRow(ctx, member, await setActive(ctx, member, false, audits), audits);
}

export async function restoreMember(ctx: ServiceContext, memberId: string): Promise<MemberRow> {
  const member = await lockMember(ctx, memberId);
  const audits: AuditInput[] = [];
  return updateMemberRow(ctx, member, await setActive(ctx, member, true, audits), audits);
}

/** Removes the membership; group memberships and invitations go with it (FK cascade). */
export async function removeMember(
  ctx: ServiceContext,
  ref: MemberRef,
  options: { expectedVersion?: number } = {},
) {
  const member = await locked(ctx, ref);
  if (options.expectedVersion !== undefined && member.version !== options.expectedVersion) {
    throw preconditionFailed(
      `The user was changed since version ${options.expectedVersion} (now ${member.version}).`,
    );
  }
  await assertNotLastOwner(ctx, member, 'removed');
  // Group member counts are kept by the set operations; a removal decrements every group it was in.
  await execute(
    ctx.em,
    `update member_group set member_count = member_count - 1, version = version + 1
      where id in (select group_id from group_membership where member_id = ?)`,
    [member.id],
  );
  await deleteMemberRow(ctx, member.id, [
    {
      action: 'member.removed',
      targetType: 'member',
      targetId: member.id,
      data: { userName: member.userName },
    },
  ]);
}

/** An admin confirms a member who accepted the invitation. */
export async function confirmMember(ctx: ServiceContext, memberId: string): Promise<MemberRow> {
  const member = await lockMember(ctx, memberId);
  if (member.status !== 'accepted') {
    throw preconditionFailed(`Only accepted members can be confirmed; this member is ${member.status}.`);
  }
  return updateMemberRow(ctx, member, { ...member, status: 'confirmed' }, [
    { action: 'member.confirmed', targetType: 'member', targetId: member.id },
  ]);
}

/** Sets the externalId of a member synced before objectId matching (Bitwarden's public API offers this). */
export async function setExternalId(
  ctx: ServiceContext,
  memberId: string,
  externalId: string | null,
): Promise<MemberRow> {
  const member = await lockMember(ctx, memberId);
  const value = checkExternalId(externalId);
  await assertUnique(ctx, { externalId: value }, member.id);
  return uniquely(
    `A member with externalId "${value ?? ''}"`,
    updateMemberRow(ctx, member, { ...member, externalId: value }, [
      {
        action: 'member.external_id_set',
        targetType: 'member',
        targetId: member.id,
        data: { from: member.externalId, to: value },
      },
    ]),
  );
}

/** Resends the invitation of an invited member (a new single-use link; the old one stops working). */
export async function resendInvitation(
  ctx: ServiceContext,
  memberId: string,
  settings: MemberServiceSettings,
) {
  const member = await lockMember(ctx, memberId);
  if (member.status !== 'invited')
    throw preconditionFailed(`Only invited members get invitations; this member is ${member.status}.`);
  return sendInvitation(ctx, member, settings.invitations);
}

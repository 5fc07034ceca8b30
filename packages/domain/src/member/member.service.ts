import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { auditRows, recordAudit } from '../audit/audit.service.js';
import { conflict, lastOwner, notFound, preconditionFailed } from '../errors.js';
import {
  invitationRows,
  sendInvitation,
  type InvitationSettings,
  type Invitee,
} from '../invitation/invitation.service.js';
import {
  assertSeatAvailable,
  PROVISIONING_SETTINGS_COLUMNS,
  provisioningSettingsOf,
  type ProvisioningSettings,
} from '../organization/seats.js';
import type { ServiceContext } from '../shared/context.js';
import { isPostgres, writeLock } from '../shared/locking.js';
import { insertRows, type TableRows } from '../shared/insert-rows.js';
import { execute } from '../shared/sql.js';
import { Member } from './member.entity.js';
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

/** What a provision answers of the member it created or linked. */
export type ProvisionedMember = Pick<Member, 'id' | 'userName' | 'status' | 'previousStatus' | 'version'>;

const MEMBER_COLUMNS = [
  'id',
  'organization_id',
  'user_name',
  'user_name_lower',
  'external_id',
  'email',
  'email_lower',
  'display_name',
  'given_name',
  'family_name',
  'status',
  'previous_status',
  'scim_managed',
  'manager_id',
  'document',
  'version',
  'created_at',
  'updated_at',
] as const;

export interface MemberServiceSettings {
  invitations: InvitationSettings;
}

/** Loads a member of the organization with a row lock; unknown or foreign ids are not found. */
export async function lockMember(ctx: ServiceContext, memberId: string): Promise<Member> {
  const member = await ctx.em.findOne(
    Member,
    { id: memberId, organization: ctx.organizationId },
    writeLock(ctx.em),
  );
  if (!member) throw notFound('User not found.', { memberId });
  return member;
}

async function assertUnique(
  ctx: ServiceContext,
  input: { userName: string; externalId: string | null },
  selfId?: string,
) {
  const others = { organization: ctx.organizationId, ...(selfId ? { id: { $ne: selfId } } : {}) };
  if (await ctx.em.count(Member, { ...others, userNameLower: lower(input.userName) })) {
    throw conflict(`A member with userName "${input.userName}" already exists.`, { attribute: 'userName' });
  }
  if (
    input.externalId !== null &&
    (await ctx.em.count(Member, { ...others, externalId: input.externalId }))
  ) {
    throw conflict(`A member with externalId "${input.externalId}" already exists.`, {
      attribute: 'externalId',
    });
  }
}

/** Flushes, turning a unique-index race (two concurrent creates) into a conflict. */
async function flushUnique(ctx: ServiceContext, what: string): Promise<void> {
  try {
    await ctx.em.flush();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw conflict(`${what} already exists.`);
    throw e;
  }
}

function applyAttributes(member: Member, input: MemberInput, email: string | null): void {
  member.userName = input.userName;
  member.userNameLower = lower(input.userName);
  member.externalId = input.externalId;
  member.email = email;
  member.emailLower = email === null ? null : lower(email);
  member.displayName = input.displayName;
  member.givenName = input.givenName;
  member.familyName = input.familyName;
  member.managerId = input.managerId;
  member.document = input.document;
}

/**
 * Provision a member: link an existing unmanaged member with the same e-mail, or create one that
 * is invited (seat checked, invitation e-mail queued) or staged, per the organization's setting.
 * `active:false` creates the member revoked, remembering the status it would have had.
 */
export async function provisionMember(
  ctx: ServiceContext,
  raw: MemberInput,
  settings: MemberServiceSettings,
): Promise<ProvisionedMember> {
  const input = {
    ...raw,
    userName: checkUserName(raw.userName),
    externalId: checkExternalId(raw.externalId),
  };
  const email = chooseEmail(input.userName, input.emails);

  // One query finds everything that decides the outcome: a member to link (same e-mail, not yet
  // SCIM-managed), any member holding this userName or externalId, and the organization's
  // settings. Plain SQL: every create runs it, and the entity is loaded only in the rare link.
  const { candidates, settings: org } = await findCandidates(ctx, input, email);
  const linkable = candidates.find(
    (m) => email !== null && m.emailLower === lower(email) && !m.scimManaged && m.externalId === null,
  );
  // Identity is userName and externalId (DESIGN §5); two members may share an e-mail address.
  assertNoHolder(candidates, input, linkable?.id);
  if (linkable) return linkMember(ctx, await lockMember(ctx, linkable.id), input, email);

  const initial = org.provisionMode === 'stage' ? ('staged' as const) : ('invited' as const);
  if (input.active && consumesSeat(initial)) await assertSeatAvailable(ctx, org);

  const status = input.active ? initial : 'revoked';
  const now = ctx.now ?? new Date();
  const member = {
    id: randomUUID(),
    userName: input.userName,
    email,
    displayName: input.displayName,
    givenName: input.givenName,
    status,
    previousStatus: input.active ? null : initial,
    version: 1,
  } satisfies ProvisionedMember & Invitee;
  // Plain SQL, one statement on PostgreSQL for the member, its audit events, invitation and
  // e-mail: every create of an initial sync runs this, and through the unit of work it was five.
  const rows: TableRows[] = [
    {
      table: 'member',
      columns: MEMBER_COLUMNS,
      rows: [
        [
          member.id,
          ctx.organizationId,
          input.userName,
          lower(input.userName),
          input.externalId,
          email,
          email === null ? null : lower(email),
          input.displayName,
          input.givenName,
          input.familyName,
          status,
          member.previousStatus,
          ctx.actor === 'scim',
          input.managerId,
          JSON.stringify(input.document),
          member.version,
          now,
          now,
        ],
      ],
    },
    auditRows(ctx, [
      {
        action: input.active ? `member.${initial}` : 'member.provisioned_revoked',
        targetType: 'member',
        targetId: member.id,
        data: { userName: input.userName, externalId: input.externalId },
      },
    ]),
  ];
  if (status === 'invited') {
    const invitation = await invitationRows(ctx, member, settings.invitations, org.organizationName);
    rows.push(...invitation.rows);
  }
  try {
    await insertRows(ctx.em, rows);
  } catch (e) {
    // Two concurrent creates of the same name: the unique index decides.
    if (e instanceof UniqueConstraintViolationException) {
      throw conflict(
        `A member with userName "${input.userName}" or externalId "${input.externalId ?? ''}" already exists.`,
      );
    }
    throw e;
  }
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
        where organization_id = ? and (${conditions.join(' or ')})${isPostgres(ctx.em) ? ' for update' : ''})
     select ${PROVISIONING_SETTINGS_COLUMNS}, c.* from organization left join candidate c on true
      where organization.id = ?`,
    [...params, ctx.organizationId],
  );
  const first = rows[0];
  if (!first) throw new Error(`Organization ${ctx.organizationId} not found`);
  const textOrNull = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    settings: provisioningSettingsOf(first),
    candidates: rows
      .filter((r) => r['id'] != null)
      .map((r) => ({
        id: String(r['id']),
        userNameLower: String(r['user_name_lower']),
        externalId: textOrNull(r['external_id']),
        emailLower: textOrNull(r['email_lower']),
        scimManaged: r['scim_managed'] === true || r['scim_managed'] === 1,
      })),
  };
}

/** Conflict when a member other than `selfId` already holds the userName or externalId. */
function assertNoHolder(
  candidates: Candidate[],
  input: { userName: string; externalId: string | null },
  selfId?: string,
) {
  for (const m of candidates) {
    if (m.id === selfId) continue;
    if (m.userNameLower === lower(input.userName)) {
      throw conflict(`A member with userName "${input.userName}" already exists.`, { attribute: 'userName' });
    }
    if (input.externalId !== null && m.externalId === input.externalId) {
      throw conflict(`A member with externalId "${input.externalId}" already exists.`, {
        attribute: 'externalId',
      });
    }
  }
}

/** Bitwarden's "link": a member invited by hand before SCIM was turned on becomes SCIM-managed. */
async function linkMember(ctx: ServiceContext, member: Member, input: MemberInput, email: string | null) {
  applyAttributes(member, input, email);
  member.scimManaged = true;
  recordAudit(ctx, {
    action: 'member.linked',
    targetType: 'member',
    targetId: member.id,
    data: { externalId: input.externalId },
  });
  if (!input.active) await setActive(ctx, member, false);
  await flushUnique(ctx, `A member with userName "${input.userName}"`);
  return member;
}

/** The member itself when the caller already locked it (lockMember) in this transaction, else its id. */
type MemberRef = string | Member;

const locked = (ctx: ServiceContext, ref: MemberRef): Promise<Member> =>
  typeof ref === 'string' ? lockMember(ctx, ref) : Promise.resolve(ref);

/** Replaces a member's attributes (SCIM PUT, or the result of a PATCH); `active` revokes or restores. */
export async function updateMember(
  ctx: ServiceContext,
  ref: MemberRef,
  raw: MemberInput,
  options: { expectedVersion?: number } = {},
): Promise<Member> {
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
  if (member.userNameLower !== lower(input.userName) || member.externalId !== input.externalId) {
    await assertUnique(ctx, input, member.id);
  }
  const changed = attributeChanges(member, input, email);
  applyAttributes(member, input, email);
  if (changed.length) {
    recordAudit(ctx, {
      action: 'member.updated',
      targetType: 'member',
      targetId: member.id,
      data: { changed },
    });
  }
  await setActive(ctx, member, input.active);
  await flushUnique(ctx, `A member with userName "${input.userName}"`);
  return member;
}

function attributeChanges(member: Member, input: MemberInput, email: string | null): string[] {
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
  if (JSON.stringify(member.document) !== JSON.stringify(input.document) && !changed.length)
    changed.push('attributes');
  return changed;
}

async function setActive(ctx: ServiceContext, member: Member, active: boolean): Promise<void> {
  if (active && member.status === 'revoked') await restore(ctx, member);
  if (!active && member.status !== 'revoked') await revoke(ctx, member);
}

async function assertNotLastOwner(ctx: ServiceContext, member: Member, action: string): Promise<void> {
  if (member.role !== 'owner' || member.status !== 'confirmed') return;
  const others = await ctx.em.count(Member, {
    organization: ctx.organizationId,
    role: 'owner',
    status: 'confirmed',
    id: { $ne: member.id },
  });
  if (others === 0) {
    throw lastOwner(
      `The organization must keep at least one confirmed owner; ${member.userName} cannot be ${action}.`,
    );
  }
}

async function revoke(ctx: ServiceContext, member: Member): Promise<void> {
  await assertNotLastOwner(ctx, member, 'revoked');
  const next = revoked(member.status, member.previousStatus ?? null);
  member.status = next.status;
  member.previousStatus = next.previousStatus;
  recordAudit(ctx, {
    action: 'member.revoked',
    targetType: 'member',
    targetId: member.id,
    data: { previousStatus: next.previousStatus },
  });
}

async function restore(ctx: ServiceContext, member: Member): Promise<void> {
  const next = restored(member.status, member.previousStatus ?? null);
  if (consumesSeat(next.status)) await assertSeatAvailable(ctx);
  member.status = next.status;
  member.previousStatus = null;
  recordAudit(ctx, {
    action: 'member.restored',
    targetType: 'member',
    targetId: member.id,
    data: { status: next.status },
  });
}

export async function revokeMember(ctx: ServiceContext, memberId: string): Promise<Member> {
  const member = await lockMember(ctx, memberId);
  await setActive(ctx, member, false);
  await ctx.em.flush();
  return member;
}

export async function restoreMember(ctx: ServiceContext, memberId: string): Promise<Member> {
  const member = await lockMember(ctx, memberId);
  await setActive(ctx, member, true);
  await ctx.em.flush();
  return member;
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
  recordAudit(ctx, {
    action: 'member.removed',
    targetType: 'member',
    targetId: member.id,
    data: { userName: member.userName },
  });
  ctx.em.remove(member);
  await ctx.em.flush();
}

/** An admin confirms a member who accepted the invitation. */
export async function confirmMember(ctx: ServiceContext, memberId: string): Promise<Member> {
  const member = await lockMember(ctx, memberId);
  if (member.status !== 'accepted') {
    throw preconditionFailed(`Only accepted members can be confirmed; this member is ${member.status}.`);
  }
  member.status = 'confirmed';
  recordAudit(ctx, { action: 'member.confirmed', targetType: 'member', targetId: member.id });
  await ctx.em.flush();
  return member;
}

/** Sets the externalId of a member synced before objectId matching (Bitwarden's public API offers this). */
export async function setExternalId(
  ctx: ServiceContext,
  memberId: string,
  externalId: string | null,
): Promise<Member> {
  const member = await lockMember(ctx, memberId);
  const value = checkExternalId(externalId);
  if (
    value !== null &&
    (await ctx.em.count(Member, {
      organization: ctx.organizationId,
      externalId: value,
      id: { $ne: member.id },
    }))
  ) {
    throw conflict(`A member with externalId "${value}" already exists.`, { attribute: 'externalId' });
  }
  recordAudit(ctx, {
    action: 'member.external_id_set',
    targetType: 'member',
    targetId: member.id,
    data: { from: member.externalId, to: value },
  });
  member.externalId = value;
  await flushUnique(ctx, `A member with externalId "${value ?? ''}"`);
  return member;
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
  const result = await sendInvitation(ctx, member, settings.invitations);
  await ctx.em.flush();
  return result;
}

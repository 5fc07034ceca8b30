// Applies one validated SCIM write through the domain services, inside the caller's transaction.
import {
  addMembers,
  committedUserState,
  createGroup,
  deleteGroup,
  lockMember,
  lockMemberWithGroups,
  provisionedUserState,
  provisionMember,
  removeMember,
  removeMembers,
  replaceMembers,
  updateGroup,
  updateMember,
  type CommittedUserState,
  type GroupHead,
  type MemberRow,
  type MemberServiceSettings,
  type ServiceContext,
} from '@repo/domain';
import type { ScimWriteData, WriteOutcome } from '@repo/jobs';
import { applyUserPatch, parseGroup, parseUser, planGroupPatch, renderUser } from '@repo/scim-adapter';

export interface AppliedWrite {
  outcome: Extract<WriteOutcome, { ok: true }>;
  /** What a sync failure for this resource is keyed on (userName / displayName). */
  target: { resourceType: 'User' | 'Group'; name: string };
}

const ok = (status: 200 | 201 | 204, resourceType: 'User' | 'Group', id: string, version: number | null) =>
  ({ ok: true, status, resourceType, id, version }) as const;

const expected = (ifMatch: string | undefined) =>
  ifMatch === undefined ? {} : { expectedVersion: Number(ifMatch) };

export async function applyScimWrite(
  ctx: ServiceContext,
  data: ScimWriteData,
  settings: MemberServiceSettings,
): Promise<AppliedWrite> {
  return data.resource === 'User' ? applyUserWrite(ctx, data, settings) : applyGroupWrite(ctx, data);
}

async function applyUserWrite(
  ctx: ServiceContext,
  data: ScimWriteData,
  settings: MemberServiceSettings,
): Promise<AppliedWrite> {
  const id = data.resourceId;
  switch (data.method) {
    case 'POST': {
      const member = await provisionMember(ctx, parseUser(data.body), settings);
      // Undefined for a member the POST linked (it may be in groups): its answer is read back.
      return userWritten(201, member, provisionedUserState(member));
    }
    case 'PUT': {
      const { member: current, groups } = await lockMemberWithGroups(ctx, id!);
      const member = await updateMember(ctx, current, parseUser(data.body), expected(data.ifMatch));
      return userWritten(200, member, committedUserState(member, groups));
    }
    case 'PATCH': {
      // PATCH applies to the committed state under a row lock: concurrent PATCHes never lose updates.
      const { member: current, groups } = await lockMemberWithGroups(ctx, id!);
      const rendered = renderUser({
        id: current.id,
        document: current.document,
        active: current.status !== 'revoked',
        created: current.createdAt,
        lastModified: current.updatedAt,
        version: current.version,
        location: '',
      });
      const member = await updateMember(
        ctx,
        current,
        applyUserPatch(rendered, data.body),
        expected(data.ifMatch),
      );
      return userWritten(200, member, committedUserState(member, groups));
    }
    case 'DELETE': {
      const current = await lockMember(ctx, id!);
      const name = current.userName;
      await removeMember(ctx, current, expected(data.ifMatch));
      return { outcome: ok(204, 'User', id!, null), target: { resourceType: 'User', name } };
    }
  }
}

/** A User write's result; with the committed User, the api answers without reading it back. */
function userWritten(
  status: 200 | 201,
  member: MemberRow,
  user: CommittedUserState | undefined,
): AppliedWrite {
  return {
    outcome: { ...ok(status, 'User', member.id, member.version), ...(user ? { user } : {}) },
    target: { resourceType: 'User', name: member.userName },
  };
}

async function applyGroupWrite(ctx: ServiceContext, data: ScimWriteData): Promise<AppliedWrite> {
  const id = data.resourceId;
  switch (data.method) {
    case 'POST': {
      const input = parseGroup(data.body);
      const group = await createGroup(ctx, input, input.memberIds ?? []);
      return {
        outcome: ok(201, 'Group', group.id, group.version),
        target: { resourceType: 'Group', name: group.displayName },
      };
    }
    case 'PUT': {
      const input = parseGroup(data.body);
      let group: GroupHead = await updateGroup(ctx, id!, input, expected(data.ifMatch));
      if (input.memberIds !== undefined) group = (await replaceMembers(ctx, id!, input.memberIds)).group;
      return {
        outcome: ok(200, 'Group', group.id, group.version),
        target: { resourceType: 'Group', name: group.displayName },
      };
    }
    case 'PATCH': {
      // Each step's service locks the group row itself; only If-Match needs a check up front.
      let group: GroupHead | null =
        data.ifMatch === undefined ? null : await updateGroup(ctx, id!, {}, expected(data.ifMatch));
      const steps = planGroupPatch(data.body);
      if (!steps.length) group = await updateGroup(ctx, id!, {});
      for (const step of steps) {
        switch (step.kind) {
          case 'set':
            group = await updateGroup(ctx, id!, step);
            break;
          case 'addMembers':
            group = (await addMembers(ctx, id!, step.ids)).group;
            break;
          case 'removeMembers':
            group = (await removeMembers(ctx, id!, step.ids)).group;
            break;
          case 'replaceMembers':
            group = (await replaceMembers(ctx, id!, step.ids)).group;
            break;
          case 'removeAllMembers':
            group = (await replaceMembers(ctx, id!, [])).group;
            break;
        }
      }
      return {
        outcome: ok(204, 'Group', group!.id, group!.version),
        target: { resourceType: 'Group', name: group!.displayName },
      };
    }
    case 'DELETE': {
      const group = await updateGroup(ctx, id!, {});
      const name = group.displayName;
      await deleteGroup(ctx, id!, expected(data.ifMatch));
      return { outcome: ok(204, 'Group', id!, null), target: { resourceType: 'Group', name } };
    }
  }
}

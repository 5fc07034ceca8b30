// What a SCIM write's answer needs of the member it wrote, taken from the committed row itself so
// the api can answer without reading the row back.
import type { MemberGroup } from './member-groups.js';
import type { MemberRow } from './member.repository.js';

export interface CommittedUserState {
  document: Record<string, unknown>;
  active: boolean;
  /** ISO 8601, as the queue carries them. */
  created: string;
  lastModified: string;
  groups: MemberGroup[];
}

export const committedUserState = (member: MemberRow, groups: MemberGroup[]): CommittedUserState => ({
  document: member.document,
  active: member.status !== 'revoked',
  created: member.createdAt.toISOString(),
  lastModified: member.updatedAt.toISOString(),
  groups,
});

/**
 * The state of a member provisionMember returned, when the row tells all of it: version 1 means
 * it created the member and no write has touched it since, so it is in no group yet. A member it
 * linked (an update, version 2 or more) may be in groups the row doesn't show: undefined.
 */
export const provisionedUserState = (member: MemberRow): CommittedUserState | undefined =>
  member.version === 1 ? committedUserState(member, []) : undefined;

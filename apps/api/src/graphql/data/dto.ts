// What resolvers hand to GraphQL: plain rows, never entities (no lazy relations to trip over).
import type { MemberStatus } from '@repo/domain';

export const MEMBER_ROLES = ['owner', 'admin', 'user'] as const;
export const PROVISION_MODES = ['invite', 'stage'] as const;
export const ACTORS = ['scim', 'admin', 'system'] as const;
export const OUTCOMES = ['success', 'failure'] as const;
export const SYNC_FAILURE_STATUSES = ['open', 'resolved', 'dismissed'] as const;

export type SyncFailureStatusValue = (typeof SYNC_FAILURE_STATUSES)[number];

export interface OrganizationDto {
  id: string;
  name: string;
  seats: number | null;
  scimEnabled: boolean;
  provisionMode: (typeof PROVISION_MODES)[number];
  createdAt: Date;
  lastScimRequestAt: Date | null;
  lastScimClient: string | null;
}

export interface MemberDto {
  id: string;
  organizationId: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  externalId: string | null;
  status: MemberStatus;
  role: (typeof MEMBER_ROLES)[number];
  scimManaged: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupDto {
  id: string;
  organizationId: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditEventDto {
  id: string;
  organizationId: string;
  actor: (typeof ACTORS)[number];
  actorId: string | null;
  action: string;
  outcome: (typeof OUTCOMES)[number];
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  createdAt: Date;
}

export interface SyncFailureDto {
  id: string;
  organizationId: string;
  resourceType: string;
  operation: string;
  target: string;
  code: string;
  message: string;
  attempts: number;
  occurrences: number;
  status: SyncFailureStatusValue;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  notifiedAt: Date | null;
}

/** Half-open [from, to); either end may be open. */
export interface TimeRange {
  from?: Date | null | undefined;
  to?: Date | null | undefined;
}

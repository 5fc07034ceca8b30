// GraphQL enums (UPPER_CASE) over the stored lower-case values.
import { builder } from '../builder.js';

export const MemberStatusEnum = builder.enumType('MemberStatus', {
  values: {
    STAGED: { value: 'staged', description: 'Provisioned, not invited yet (organization setting).' },
    INVITED: { value: 'invited' },
    ACCEPTED: { value: 'accepted' },
    CONFIRMED: { value: 'confirmed' },
    REVOKED: { value: 'revoked' },
  } as const,
});

export const MemberRoleEnum = builder.enumType('MemberRole', {
  values: { OWNER: { value: 'owner' }, ADMIN: { value: 'admin' }, USER: { value: 'user' } } as const,
});

export const ProvisionModeEnum = builder.enumType('ProvisionMode', {
  values: { INVITE: { value: 'invite' }, STAGE: { value: 'stage' } } as const,
});

export const AuditActorEnum = builder.enumType('AuditActor', {
  values: { SCIM: { value: 'scim' }, ADMIN: { value: 'admin' }, SYSTEM: { value: 'system' } } as const,
});

export const OutcomeEnum = builder.enumType('Outcome', {
  values: { SUCCESS: { value: 'success' }, FAILURE: { value: 'failure' } } as const,
});

export const SyncFailureStatusEnum = builder.enumType('SyncFailureStatus', {
  values: {
    OPEN: { value: 'open' },
    RESOLVED: { value: 'resolved' },
    DISMISSED: { value: 'dismissed' },
  } as const,
});

export const SyncFailureGroupByEnum = builder.enumType('SyncFailureGroupBy', {
  values: {
    CODE: { value: 'code' },
    DAY: { value: 'day', description: 'The UTC day each failure was last seen.' },
    RESOURCE_TYPE: { value: 'resourceType' },
  } as const,
});

export const ActivityBucketEnum = builder.enumType('ActivityBucket', {
  values: { HOUR: { value: 'hour' }, DAY: { value: 'day' } } as const,
});

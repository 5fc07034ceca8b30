// SyncFailure: a provisioning outcome an admin must act on, counted per fingerprint.
import { adviceFor } from '@repo/domain';
import { SyncFailureStatusEnum } from './enums.js';
import { SyncFailureRef } from './refs.js';

SyncFailureRef.implement({
  authScopes: (failure) => ({ organization: failure.organizationId }),
  fields: (t) => ({
    id: t.exposeID('id'),
    resourceType: t.exposeString('resourceType'),
    operation: t.exposeString('operation'),
    target: t.exposeString('target', {
      description: 'The userName, group name or id the request was about.',
    }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    advice: t.string({ description: 'What to do about it.', resolve: (failure) => adviceFor(failure.code) }),
    attempts: t.exposeInt('attempts'),
    occurrences: t.exposeInt('occurrences'),
    status: t.expose('status', { type: SyncFailureStatusEnum }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    notifiedAt: t.expose('notifiedAt', { type: 'DateTime', nullable: true }),
  }),
});

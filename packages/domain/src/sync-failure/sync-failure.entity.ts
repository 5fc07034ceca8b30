import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const SyncFailureStatus = { open: 'open', resolved: 'resolved', dismissed: 'dismissed' } as const;
export type SyncFailureStatus = (typeof SyncFailureStatus)[keyof typeof SyncFailureStatus];

export const SyncFailure = defineEntity({
  name: 'SyncFailure',
  tableName: 'sync_failure',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organization: p.manyToOne(Organization).ref().deleteRule('cascade'),
    /** Hash of (resourceType, operation, target, code): the same problem is counted, not duplicated. */
    fingerprint: p.string().length(64),
    resourceType: p.string().length(20),
    operation: p.string().length(40),
    target: p.string().length(300),
    code: p.string().length(40),
    message: p.text(),
    /** The request with secrets removed. */
    request: p.json<Record<string, unknown>>().nullable(),
    attempts: p.integer().default(1),
    occurrences: p.integer().default(1),
    status: p.enum(['open', 'resolved', 'dismissed'] as const).default('open'),
    firstSeenAt: p.datetime(),
    lastSeenAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
    /** When the failure last went into a notification e-mail. */
    notifiedAt: p.datetime().nullable(),
  }),
  uniques: [{ name: 'sync_failure_org_fingerprint_unique', properties: ['organization', 'fingerprint'] }],
  indexes: [
    { name: 'sync_failure_org_status_seen_index', properties: ['organization', 'status', 'lastSeenAt'] },
    { name: 'sync_failure_org_target_index', properties: ['organization', 'resourceType', 'target'] },
  ],
});
export interface SyncFailure extends InferEntity<typeof SyncFailure> {}

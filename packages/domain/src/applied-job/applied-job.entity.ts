import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

/**
 * One row per provisioning job run whose change committed, written in that change's transaction.
 * A job run again after its worker died between the commit and reporting completion (kill -9, a
 * lost Redis connection, an expired lock) finds its row and answers the recorded outcome instead
 * of applying the change a second time. Keyed by the job's id and enqueue time: a later job under
 * the same id (an identical request days later) is a new run.
 */
export const AppliedJob = defineEntity({
  name: 'AppliedJob',
  tableName: 'applied_job',
  properties: (p) => ({
    runKey: p.string().length(160).primary(),
    organization: p.manyToOne(Organization).ref().deleteRule('cascade'),
    outcome: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'applied_job_created_index', properties: ['createdAt'] }],
});
export interface AppliedJob extends InferEntity<typeof AppliedJob> {}

import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const Actor = { scim: 'scim', admin: 'admin', system: 'system' } as const;
export type ActorType = (typeof Actor)[keyof typeof Actor];

export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    organization: p.manyToOne(Organization).ref().deleteRule('cascade'),
    actor: p.enum(['scim', 'admin', 'system'] as const),
    actorId: p.string().length(64).nullable(),
    /** e.g. member.provisioned, member.revoked, group.members_added */
    action: p.string().length(60),
    /** success | failure — failures are written by the sync-failure recorder. */
    outcome: p.enum(['success', 'failure'] as const).default('success'),
    targetType: p.string().length(30),
    targetId: p.string().length(64).nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    requestId: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [
    { name: 'audit_event_org_created_index', properties: ['organization', 'createdAt'] },
    { name: 'audit_event_org_target_index', properties: ['organization', 'targetId'] },
    // The activity roll-up's hour across organizations (activity-rollup.service.ts).
    { name: 'audit_event_created_index', properties: ['createdAt'] },
  ],
});
export interface AuditEvent extends InferEntity<typeof AuditEvent> {}

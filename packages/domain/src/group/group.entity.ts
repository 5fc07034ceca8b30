import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const Group = defineEntity({
  name: 'Group',
  tableName: 'member_group',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organization: p.manyToOne(Organization).ref().deleteRule('cascade'),
    displayName: p.string().length(300),
    displayNameLower: p.string().length(300),
    externalId: p.string().length(300).nullable(),
    document: p.json<Record<string, unknown>>(),
    /** Maintained by the membership set operations; reports read it instead of counting. */
    memberCount: p.integer().default(0),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [
    { name: 'group_org_display_name_unique', properties: ['organization', 'displayNameLower'] },
    { name: 'group_org_external_id_unique', properties: ['organization', 'externalId'] },
  ],
  indexes: [{ name: 'group_org_created_index', properties: ['organization', 'createdAt', 'id'] }],
});
export interface Group extends InferEntity<typeof Group> {}

import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Member } from '../member/member.entity.js';
import { Group } from './group.entity.js';

/** Written only through set-based SQL (membership.repository.ts); the entity gives schema and reads. */
export const GroupMembership = defineEntity({
  name: 'GroupMembership',
  tableName: 'group_membership',
  properties: (p) => ({
    group: p.manyToOne(Group).primary().ref().deleteRule('cascade'),
    member: p.manyToOne(Member).primary().ref().deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  primaryKeys: ['group', 'member'],
  indexes: [{ name: 'group_membership_member_index', properties: ['member'] }],
});
export interface GroupMembership extends InferEntity<typeof GroupMembership> {}

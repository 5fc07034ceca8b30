import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Member } from '../member/member.entity.js';

export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitation',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    member: p.manyToOne(Member).ref().deleteRule('cascade'),
    /** SHA-256 of the single-use token sent by e-mail. */
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    /** Set when a newer invitation replaces this one. */
    supersededAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'invitation_member_index', properties: ['member'] }],
});
export interface Invitation extends InferEntity<typeof Invitation> {}

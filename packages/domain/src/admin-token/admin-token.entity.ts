import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const AdminRole = { admin: 'admin', reader: 'reader' } as const;
export type AdminRole = (typeof AdminRole)[keyof typeof AdminRole];

export const AdminToken = defineEntity({
  name: 'AdminToken',
  tableName: 'admin_token',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** null = every organization (internal dashboards). */
    organization: p.manyToOne(Organization).ref().nullable().deleteRule('cascade'),
    role: p.enum(['admin', 'reader'] as const),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'admin_token_org_index', properties: ['organization'] }],
});
export interface AdminToken extends InferEntity<typeof AdminToken> {}

import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const MemberStatus = {
  staged: 'staged',
  invited: 'invited',
  accepted: 'accepted',
  confirmed: 'confirmed',
  revoked: 'revoked',
} as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];
export const MEMBER_STATUSES = Object.values(MemberStatus);

export const MemberRole = { owner: 'owner', admin: 'admin', user: 'user' } as const;
export type MemberRole = (typeof MemberRole)[keyof typeof MemberRole];

export const Member = defineEntity({
  name: 'Member',
  tableName: 'member',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organization: p.manyToOne(Organization).ref().deleteRule('cascade'),
    /** Kept exactly as sent; uniqueness is on userNameLower. */
    userName: p.string().length(300),
    userNameLower: p.string().length(300),
    externalId: p.string().length(300).nullable(),
    email: p.string().length(320).nullable(),
    emailLower: p.string().length(320).nullable(),
    displayName: p.string().length(300).nullable(),
    givenName: p.string().length(200).nullable(),
    familyName: p.string().length(200).nullable(),
    status: p.enum(['staged', 'invited', 'accepted', 'confirmed', 'revoked'] as const),
    /** The status a revoke replaced, restored by restore. */
    previousStatus: p.enum(['staged', 'invited', 'accepted', 'confirmed'] as const).nullable(),
    role: p.enum(['owner', 'admin', 'user'] as const).default('user'),
    scimManaged: p.boolean().default(false),
    /** The manager's SCIM id as the IdP sent it (usually a member id; kept as text, not enforced). */
    managerId: p.string().length(300).nullable(),
    /** The SCIM resource as the IdP sent it (normalised attribute names, no read-only parts). */
    document: p.json<Record<string, unknown>>(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [
    { name: 'member_org_user_name_unique', properties: ['organization', 'userNameLower'] },
    { name: 'member_org_external_id_unique', properties: ['organization', 'externalId'] },
  ],
  indexes: [
    { name: 'member_org_email_index', properties: ['organization', 'emailLower'] },
    // Covers seat counts and the membership summary (GROUP BY status, scim_managed) from the index alone.
    { name: 'member_org_status_scim_index', properties: ['organization', 'status', 'scimManaged'] },
    { name: 'member_org_created_index', properties: ['organization', 'createdAt', 'id'] },
  ],
});
export interface Member extends InferEntity<typeof Member> {}

import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const ProvisionMode = { invite: 'invite', stage: 'stage' } as const;
export type ProvisionMode = (typeof ProvisionMode)[keyof typeof ProvisionMode];

export const Organization = defineEntity({
  name: 'Organization',
  tableName: 'organization',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.string().length(200),
    /** null = unlimited seats. */
    seats: p.integer().nullable(),
    scimEnabled: p.boolean().default(true),
    /** SHA-256 of the SCIM API key (high-entropy random, so a fast hash is enough). */
    scimKeyHash: p.string().length(64).nullable(),
    scimKeyRotatedAt: p.datetime().nullable(),
    provisionMode: p.enum(['invite', 'stage'] as const).default('invite'),
    notificationRecipients: p.json<string[]>().default('[]'),
    digestWindowMinutes: p.integer().default(15),
    lastScimRequestAt: p.datetime().nullable(),
    lastScimClient: p.string().length(40).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
});
export interface Organization extends InferEntity<typeof Organization> {}

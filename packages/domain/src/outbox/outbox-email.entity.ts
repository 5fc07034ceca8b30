import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.js';

export const OutboxEmail = defineEntity({
  name: 'OutboxEmail',
  tableName: 'outbox_email',
  properties: (p) => ({
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organization: p.manyToOne(Organization).ref().nullable().deleteRule('cascade'),
    kind: p.enum(['invitation', 'failure', 'digest', 'test'] as const),
    to: p.json<string[]>(),
    subject: p.string().length(300),
    text: p.text(),
    html: p.text(),
    /** Fixed at insert so a resend after a crash carries the same Message-ID. */
    messageId: p.string().length(200),
    status: p.enum(['pending', 'sent', 'failed'] as const).default('pending'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'outbox_email_status_index', properties: ['status', 'createdAt'] }],
});
export interface OutboxEmail extends InferEntity<typeof OutboxEmail> {}

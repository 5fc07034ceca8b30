import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { OutboxEmail } from './outbox-email.entity.js';

export interface EmailDraft {
  organizationId: string | null;
  kind: OutboxEmail['kind'];
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * Writes the e-mail in the caller's transaction (transactional outbox). The Message-ID is fixed
 * here, so a resend after a crash between send and mark is recognisably the same message.
 */
export function queueEmail(em: EntityManager, draft: EmailDraft, domain = 'scim.local'): OutboxEmail {
  const id = randomUUID();
  return em.create(OutboxEmail, {
    id,
    organization: draft.organizationId,
    kind: draft.kind,
    to: draft.to,
    subject: draft.subject,
    text: draft.text,
    html: draft.html,
    messageId: `<${id}@${domain}>`,
  });
}

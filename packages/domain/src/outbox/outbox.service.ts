import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { TableRows } from '../shared/insert-rows.js';
import { OutboxEmail } from './outbox-email.entity.js';

export interface EmailDraft {
  organizationId: string | null;
  kind: OutboxEmail['kind'];
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** The Message-ID is fixed with the row, so a resend after a crash between send and mark is recognisably the same message. */
const messageId = (id: string, domain: string) => `<${id}@${domain}>`;

/** E-mails written in plain SQL (outboxRows), per transaction: the unit of work doesn't see them. */
const writtenInSql = new WeakMap<EntityManager, string[]>();

/** Writes the e-mail in the caller's transaction (transactional outbox), through the unit of work. */
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
    messageId: messageId(id, domain),
  });
}

/**
 * The same e-mail as a row for insertRows, when the change around it is written in plain SQL.
 * `em` must be the transaction's: createdOutboxIds(em) reports the e-mail after commit.
 */
export function outboxRows(
  em: EntityManager,
  draft: EmailDraft,
  now: Date,
  domain = 'scim.local',
): { id: string; rows: TableRows } {
  const id = randomUUID();
  const ids = writtenInSql.get(em) ?? [];
  writtenInSql.set(em, [...ids, id]);
  return {
    id,
    rows: {
      table: 'outbox_email',
      columns: ['id', 'organization_id', 'kind', 'to', 'subject', 'text', 'html', 'message_id', 'created_at'],
      rows: [
        [
          id,
          draft.organizationId,
          draft.kind,
          JSON.stringify(draft.to),
          draft.subject,
          draft.text,
          draft.html,
          messageId(id, domain),
          now,
        ],
      ],
    },
  };
}

/**
 * Flushes the unit of work and returns the ids of the e-mails this transaction created, either
 * way: the caller enqueues their 'mail.send' jobs after commit.
 */
export async function createdOutboxIds(em: EntityManager): Promise<string[]> {
  await em.flush(); // created entities enter the identity map on flush
  const meta = em.getMetadata().get<OutboxEmail>(OutboxEmail.meta.className);
  const store = em.getUnitOfWork().getIdentityMap().getStore<OutboxEmail>(meta);
  const viaOrm = [...store.values()].filter((e) => e.status === 'pending').map((e) => e.id);
  return [...viaOrm, ...(writtenInSql.get(em) ?? [])];
}

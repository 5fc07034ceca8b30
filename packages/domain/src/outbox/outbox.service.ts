import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { TableRows } from '../shared/insert-rows.js';
import { asDate, asJson } from '../shared/row-values.js';
import { execute, executeRun } from '../shared/sql.js';
import type { OutboxEmail } from './outbox-email.entity.js';

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

/** E-mails written (outboxRows), per transaction. */
const writtenInSql = new WeakMap<EntityManager, string[]>();

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
  writtenInSql.set(em, ids);
  ids.push(id);
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
 * The ids of the e-mails this transaction wrote (outboxRows): the caller enqueues their
 * 'mail.send' jobs after commit.
 */
export function createdOutboxIds(em: EntityManager): string[] {
  return [...(writtenInSql.get(em) ?? [])];
}

/** An outbox row as the sender needs it. */
export interface OutboxMessage {
  id: string;
  status: OutboxEmail['status'];
  attempts: number;
  messageId: string;
  createdAt: Date;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

// Every invitation of a sync is sent through these: plain prepared SQL, not the unit of work.

export async function loadOutboxMessage(em: EntityManager, id: string): Promise<OutboxMessage | null> {
  const [r] = await execute(
    em,
    'select id, status, attempts, message_id, created_at, "to", subject, text, html from outbox_email where id = ?',
    [id],
  );
  if (!r) return null;
  return {
    id: String(r['id']),
    status: r['status'] as OutboxEmail['status'],
    attempts: Number(r['attempts']),
    messageId: String(r['message_id']),
    createdAt: asDate(r['created_at']),
    to: asJson<string[]>(r['to']),
    subject: String(r['subject']),
    text: String(r['text']),
    html: String(r['html']),
  };
}

/** The message is out: sent, with this attempt counted (and refused recipients, if any). */
export async function markOutboxSent(
  em: EntityManager,
  id: string,
  attempts: number,
  lastError: string | null,
): Promise<void> {
  await executeRun(
    em,
    "update outbox_email set status = 'sent', sent_at = ?, attempts = ?, last_error = ? where id = ?",
    [new Date(), attempts, lastError, id],
  );
}

/** A send failed: the attempt is counted and the row stays pending (unless another run sent it). */
export async function markOutboxAttemptFailed(
  em: EntityManager,
  id: string,
  attempts: number,
  lastError: string,
): Promise<void> {
  await executeRun(
    em,
    "update outbox_email set attempts = ?, last_error = ? where id = ? and status <> 'sent'",
    [attempts, lastError, id],
  );
}

/** After the last attempt: the row stops being pending (the periodic sweep ignores it). */
export async function markOutboxFailed(em: EntityManager, id: string, lastError: string): Promise<void> {
  await executeRun(
    em,
    "update outbox_email set status = 'failed', last_error = ? where id = ? and status = 'pending'",
    [lastError, id],
  );
}

// Sends one outbox row. Delivery is at-least-once with a fixed Message-ID: a crash (or lost lock)
// between the SMTP accept and the "sent" mark can at worst resend the SAME message, which mail
// clients and servers recognise by its Message-ID; it never produces a second, different e-mail.
import { loadOutboxMessage, markOutboxAttemptFailed, markOutboxSent } from '@repo/domain';
import { isTransient } from '../handlers/transient.js';
import type { MailTransport } from './mail-transport.js';
import type { Em } from './orm-types.js';

const MAX_ERROR = 2000;

/** A readable reason for lastError: the SMTP reply when there is one. */
export function describeSendError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, MAX_ERROR);
  const smtp = err as Error & { responseCode?: number; response?: string; code?: string };
  const parts = [smtp.code, smtp.responseCode, smtp.response ?? err.message].filter(
    (p) => p !== undefined && p !== '',
  );
  return parts.join(' ').slice(0, MAX_ERROR);
}

/**
 * Loads the row, skips it when already sent (no duplicate after a restart or a re-enqueue), sends
 * it and marks it sent. On a send error it counts the attempt, keeps the row pending and rethrows
 * so the queue retries with back-off.
 */
export async function sendOutboxEmail(
  em: Em,
  transport: MailTransport,
  outboxId: string,
): Promise<{ sent: boolean }> {
  const row = await loadOutboxMessage(em, outboxId);
  // Gone (organization deleted) or done: nothing to send.
  if (!row || row.status === 'sent') return { sent: false };
  let rejected: string[];
  try {
    ({ rejected } = await transport.send({
      messageId: row.messageId,
      createdAt: row.createdAt,
      to: row.to,
      subject: row.subject,
      text: row.text,
      html: row.html,
    }));
  } catch (err) {
    await markOutboxAttemptFailed(em, row.id, row.attempts + 1, describeSendError(err));
    throw err;
  }
  // One autocommitted statement: the shortest possible window between "accepted" and "marked".
  // The message is out: if the database is restarting, wait for it rather than throw — a throw
  // here retries the job, which finds the row pending and sends the message a second time.
  const refused = rejected.length ? `refused recipients: ${rejected.join(', ')}`.slice(0, MAX_ERROR) : null;
  await throughOutage(() => markOutboxSent(em, row.id, row.attempts + 1, refused));
  return { sent: true };
}

/** Repeats `fn` while it fails with a transient (connection) error, every 250 ms, at most `withinMs`. */
async function throughOutage<T>(fn: () => Promise<T>, withinMs = 60_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

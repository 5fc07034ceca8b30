// Item 1's invitations: every user the sync creates is invited by e-mail, sent by the worker through
// the outbox to the bench's SMTP server. Waits (bounded) until none is pending, so that what runs
// next (the write ceiling) measures an idle machine, and reports what an admin sees: how many
// invitations went out while the sync ran and when the last one did.
import type { BenchDb } from './db.js';
import { info, type Figure } from './report.js';
import type { SmtpSink } from './smtp-sink.js';

export interface SyncWindow {
  startedAt: Date;
  endedAt: Date;
}

interface Counts {
  total: number;
  pending: number;
  sent: number;
  sentDuringSync: number;
  lastSentAt: Date | null;
}

async function countInvitations(db: BenchDb, organizationId: string, window: SyncWindow): Promise<Counts> {
  const [row] = await db.query<Record<string, unknown>>(
    `select count(*) as total,
            count(*) filter (where status = 'pending') as pending,
            count(*) filter (where status = 'sent') as sent,
            count(*) filter (where status = 'sent' and sent_at <= ?) as sent_during_sync,
            max(sent_at) as last_sent_at
       from outbox_email where organization_id = ? and kind = 'invitation'`,
    [window.endedAt, organizationId],
  );
  const n = (k: string) => Number(row?.[k] ?? 0);
  const last = row?.['last_sent_at'];
  return {
    total: n('total'),
    pending: n('pending'),
    sent: n('sent'),
    sentDuringSync: n('sent_during_sync'),
    lastSentAt: last ? new Date(last as string | Date) : null,
  };
}

/** Waits until none of the organization's invitations is pending, at most timeoutMs; its counts then. */
export async function invitationsSent(
  db: BenchDb,
  o: { organizationId: string; window: SyncWindow; timeoutMs: number },
): Promise<Counts> {
  const deadline = Date.now() + o.timeoutMs;
  let c = await countInvitations(db, o.organizationId, o.window);
  while (c.pending > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    c = await countInvitations(db, o.organizationId, o.window);
  }
  return c;
}

/** invitationsSent, as item 1's figures. */
export async function awaitInvitations(
  db: BenchDb,
  o: {
    organizationId: string;
    window: SyncWindow;
    sink: SmtpSink;
    /** What the SMTP server had accepted when the sync started (earlier items' e-mail). */
    acceptedBefore: number;
    timeoutMs: number;
  },
): Promise<Figure[]> {
  const c = await invitationsSent(db, o);
  const syncSeconds = (o.window.endedAt.getTime() - o.window.startedAt.getTime()) / 1000;
  const lastAfterEnd = c.lastSentAt ? (c.lastSentAt.getTime() - o.window.endedAt.getTime()) / 1000 : 0;
  return [
    info(
      'invitation e-mails sent while the sync ran',
      c.sentDuringSync,
      '',
      `of ${c.total} invitations, in ${syncSeconds.toFixed(1)} s; SMTP to a server in the bench process`,
    ),
    info(
      'the last invitation e-mail sent, after the sync ended',
      Math.round(Math.max(0, lastAfterEnd) * 10) / 10,
      's',
      c.pending > 0
        ? `STILL PENDING: ${c.pending} of ${c.total} after waiting ${o.timeoutMs / 1000} s`
        : `${c.sent} sent, ${c.total - c.sent} failed; the SMTP server accepted ${o.sink.received - o.acceptedBefore}`,
    ),
  ];
}

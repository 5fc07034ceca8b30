// Outbox delivery against a real SMTP server in the test process, on PostgreSQL and SQLite.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  OutboxEmail,
  recordSyncFailure,
  sendTestEmail,
  setNotificationSettings,
  type ServiceContext,
  type SyncFailureInput,
} from '@repo/domain';
import {
  createTestDatabase,
  createTestOrm,
  inTransaction,
  makeOrganization,
  scimContext,
  type TestDatabase,
} from '@repo/domain/testing';
import type { JobInput, JobName, Producer } from '@repo/jobs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFailureDigestHandler } from '../src/handlers/failure-digest.handler.js';
import { createScimWriteHandler } from '../src/handlers/scim-write.handler.js';
import { createMailSendHandler } from '../src/handlers/mail-send.handler.js';
import { createMailTransport, type MailTransport } from '../src/mail/mail-transport.js';
import type { Orm } from '../src/mail/orm-types.js';
import { runNotificationSweep } from '../src/mail/notification-sweep.js';
import { sendOutboxEmail } from '../src/mail/outbox-sender.js';
import { parseMessage, startSmtpServer, type TestSmtpServer } from './mail-test-server.js';

const FROM = 'SCIM provisioning <no-reply@scim.test>';
const ctx = (attempt = 1, maxAttempts = 3) => ({ attempt, maxAttempts, log: () => undefined });

const failure = (target: string, extra: Partial<SyncFailureInput> = {}): SyncFailureInput => ({
  resourceType: 'User',
  operation: 'create',
  target,
  code: 'seat_limit',
  message: 'Seat limit reached: 5 of 5 seats are used.',
  request: null,
  attempts: 1,
  ...extra,
});

/** A producer stand-in that records what the handlers enqueue. */
function fakeProducer() {
  const calls: { name: JobName; data: unknown }[] = [];
  return {
    calls,
    enqueue: async <N extends JobName>(name: N, data: JobInput<N>) => {
      calls.push({ name, data });
      return { jobId: `${name}-${calls.length}` };
    },
  };
}

describe.each(['postgresql', 'sqlite'] as const)('mail delivery on %s', (kind) => {
  let db: TestDatabase;
  let orm: Orm;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  const admin = (em: ServiceContext['em'], organizationId: string): ServiceContext => ({
    em,
    organizationId,
    actor: 'admin',
  });

  async function orgWithRecipients(name = 'Acme', recipients = ['ops@acme.test', 'it@acme.test']) {
    const { organization } = await makeOrganization(orm, { name });
    await inTransaction(orm, (em) => setNotificationSettings(admin(em, organization.id), { recipients }));
    return organization.id;
  }
  /** A queued 'test' e-mail: one outbox row to send. */
  async function queuedEmail(): Promise<string> {
    const orgId = await orgWithRecipients();
    return (await inTransaction(orm, (em) => sendTestEmail(admin(em, orgId)))).outboxId;
  }
  const row = (id: string) => orm.em.fork().findOneOrFail(OutboxEmail, id);

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'mail');
    orm = await createTestOrm(db);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });
  beforeEach(async () => {
    smtp = await startSmtpServer();
    transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent', from: FROM });
  });
  afterEach(async () => {
    await transport.close();
    await smtp.close();
  });

  it('delivers a failure e-mail with text and HTML parts to every recipient, with the row’s Message-ID', async () => {
    const orgId = await orgWithRecipients('Acme <Labs>');
    const recorded = await inTransaction(orm, (em) =>
      recordSyncFailure(scimContext(em, orgId), failure('<script>alert(1)</script>@x.com')),
    );
    const send = createMailSendHandler({ orm, transport });
    expect(await send({ v: 1, outboxId: recorded.outboxId! }, ctx())).toEqual({ sent: true });

    expect(smtp.received).toHaveLength(1);
    const msg = smtp.received[0]!;
    expect(msg.to.sort()).toEqual(['it@acme.test', 'ops@acme.test']);
    expect(msg.from).toBe('no-reply@scim.test');
    const sent = await row(recorded.outboxId!);
    const { headers, text, html } = parseMessage(msg.raw);
    expect(headers.get('message-id')).toBe(sent.messageId);
    expect(headers.get('subject')).toBe(
      'Acme <Labs>: could not provision User "<script>alert(1)</script>@x.com" (seat limit reached)',
    );
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(text).toContain('Seat limit reached: 5 of 5 seats are used.');
    expect(text).toContain("What to do: Raise the organization's seat limit");
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@x.com');
    expect(html).not.toContain('<script>');
    expect([sent.status, sent.attempts, sent.lastError]).toEqual(['sent', 1, null]);
    expect(sent.sentAt).not.toBeNull();
  });

  it('retries when the server refuses: the attempt throws, the next delivers exactly one message', async () => {
    const outboxId = await queuedEmail();
    const send = createMailSendHandler({ orm, transport });
    smtp.refuseData(1, 451);
    await expect(send({ v: 1, outboxId }, ctx(1))).rejects.toThrow(/451/);
    let r = await row(outboxId);
    expect([r.status, r.attempts]).toEqual(['pending', 1]);
    expect(r.lastError).toMatch(/451/);
    expect(smtp.received).toHaveLength(0);

    smtp.refuseRecipients(2, 550); // both recipients refused: nothing accepted → an error too
    await expect(send({ v: 1, outboxId }, ctx(2))).rejects.toThrow();
    expect((await row(outboxId)).attempts).toBe(2);

    expect(await send({ v: 1, outboxId }, ctx(3))).toEqual({ sent: true });
    expect(smtp.received).toHaveLength(1);
    r = await row(outboxId);
    expect([r.status, r.attempts, r.lastError]).toEqual(['sent', 3, null]);
  });

  it('marks the row failed after the last attempt, and a server that is down is an error, not a loss', async () => {
    const outboxId = await queuedEmail();
    const send = createMailSendHandler({ orm, transport });
    smtp.refuseData(5, 554);
    await expect(send({ v: 1, outboxId }, ctx(1, 2))).rejects.toThrow(/554/);
    expect((await row(outboxId)).status).toBe('pending');
    await expect(send({ v: 1, outboxId }, ctx(2, 2))).rejects.toThrow(/554/);
    expect((await row(outboxId)).status).toBe('failed');

    const down = await queuedEmail();
    await smtp.close();
    await expect(send({ v: 1, outboxId: down }, ctx(1))).rejects.toThrow(/ECONNREFUSED/);
    expect((await row(down)).lastError).toMatch(/ECONNREFUSED/);
    smtp = await startSmtpServer(); // for afterEach
  });

  it('keeps its SMTP connection open for the next e-mails, and opens a new one when the server dropped it', async () => {
    const send = createMailSendHandler({ orm, transport });
    for (let i = 0; i < 5; i++)
      expect(await send({ v: 1, outboxId: await queuedEmail() }, ctx())).toEqual({ sent: true });
    expect([smtp.received.length, smtp.connections]).toEqual([5, 1]);

    // The server restarts on the same address (its connections are cut): the next e-mail goes out.
    const port = Number(new URL(smtp.url).port);
    await smtp.close();
    smtp = await startSmtpServer(port);
    expect(await send({ v: 1, outboxId: await queuedEmail() }, ctx())).toEqual({ sent: true });
    expect([smtp.received.length, smtp.connections]).toEqual([1, 1]);
  });

  it('sends nothing twice: a second run for the same row after a restart is a no-op', async () => {
    const outboxId = await queuedEmail();
    expect(await createMailSendHandler({ orm, transport })({ v: 1, outboxId }, ctx())).toEqual({
      sent: true,
    });
    // "Restart": a new transport and a new identity map, the same job delivered again.
    const restarted = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent', from: FROM });
    expect(await createMailSendHandler({ orm, transport: restarted })({ v: 1, outboxId }, ctx())).toEqual({
      sent: false,
    });
    await restarted.close();
    expect(smtp.received).toHaveLength(1);
    expect((await row(outboxId)).attempts).toBe(1);
  });

  it('a digest job queues one e-mail for the window and enqueues its delivery', async () => {
    const orgId = await orgWithRecipients();
    const t0 = new Date('2026-03-01T10:00:00Z');
    const rec = (target: string, minutes: number, code = 'conflict') =>
      inTransaction(orm, (em) =>
        recordSyncFailure(
          scimContext(em, orgId),
          failure(target, { code, message: `${target} exists.` }),
          new Date(t0.getTime() + minutes * 60_000),
        ),
      );
    const first = await rec('a@x.com', 0, 'seat_limit');
    const b = await rec('b@x.com', 1);
    await rec('c@x.com', 2);
    expect(b.digestDue?.toISOString()).toBe('2026-03-01T10:15:00.000Z');

    const producer = fakeProducer();
    const digest = createFailureDigestHandler({ orm, producer, now: () => b.digestDue! });
    expect(await digest({ v: 1, organizationId: orgId }, ctx())).toEqual({ emails: 1 });
    expect(await digest({ v: 1, organizationId: orgId }, ctx())).toEqual({ emails: 0 });
    expect(producer.calls).toHaveLength(1);
    const call = producer.calls[0]!;
    expect(call.name).toBe('mail.send');

    const send = createMailSendHandler({ orm, transport });
    await send({ v: 1, outboxId: first.outboxId! }, ctx());
    await send(call.data as { v: 1; outboxId: string }, ctx());
    expect(smtp.received.map((m) => parseMessage(m.raw).headers.get('subject'))).toEqual([
      'Acme: could not provision User "a@x.com" (seat limit reached)',
      'Acme: 2 provisioning failures need attention',
    ]);
    const { text } = parseMessage(smtp.received[1]!.raw);
    expect(text).toContain('User b@x.com — create — conflict');
    expect(text).toContain('User c@x.com — create — conflict');
    expect(text).toContain('Check the attribute mapping in your identity provider');
  });

  it('a SCIM create answers without waiting for its invitation to reach the mail queue', async () => {
    const { organization } = await makeOrganization(orm, { name: 'Invites', provisionMode: 'invite' });
    const handed: unknown[] = [];
    // Redis accepts the hand-off but never answers: the job must still finish.
    const stalled = {
      enqueue: (name: JobName, data: unknown) => {
        handed.push({ name, data });
        return new Promise<never>(() => undefined);
      },
    } satisfies Pick<Producer, 'enqueue'>;
    const handle = createScimWriteHandler({
      orm,
      producer: stalled,
      settings: { invitations: { publicUrl: 'https://scim.test' } },
    });
    const outcome = await Promise.race([
      handle(
        {
          v: 1,
          organizationId: organization.id,
          requestId: 'req-1',
          resource: 'User',
          method: 'POST',
          body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'new@invites.test' },
        },
        {
          ...ctx(),
          jobId: 'w-invite',
          enqueuedAt: Date.now(),
          name: 'scim.write',
          isFinalAttempt: false,
          firstRun: true,
        },
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
    ]);
    expect(outcome).toMatchObject({ ok: true, status: 201 });
    // The hand-off follows the answer (it would delay the job's completion otherwise).
    await new Promise((resolve) => setImmediate(resolve));
    const [invitation] = await orm.em.fork().find(OutboxEmail, { organization: organization.id });
    expect(handed).toEqual([{ name: 'mail.send', data: { v: 1, outboxId: invitation!.id } }]);
  });

  it('the periodic sweep re-enqueues unsent rows and overdue digests', async () => {
    const orgId = await orgWithRecipients();
    const t0 = new Date('2026-03-01T10:00:00Z');
    const first = await inTransaction(orm, (em) =>
      recordSyncFailure(scimContext(em, orgId), failure('a@x.com'), t0),
    );
    await inTransaction(orm, (em) =>
      recordSyncFailure(scimContext(em, orgId), failure('b@x.com'), new Date(t0.getTime() + 60_000)),
    );
    const producer = fakeProducer();
    // Nothing was enqueued after commit (a crash, say); 20 minutes later the sweep catches up.
    const swept = await runNotificationSweep(orm, producer, { now: new Date(t0.getTime() + 20 * 60_000) });
    expect(swept.digests).toBeGreaterThanOrEqual(1);
    expect(producer.calls).toContainEqual({ name: 'mail.send', data: { v: 1, outboxId: first.outboxId } });
    expect(producer.calls).toContainEqual({ name: 'failure.digest', data: { v: 1, organizationId: orgId } });
  });
});

describe('mail without SMTP_URL', () => {
  it('writes a readable .eml file with the same Message-ID into the outbox directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    const outboxDir = path.join(dir, '.data', 'outbox');
    const transport = createMailTransport({ outboxDir, from: FROM });
    try {
      const report = await transport.send({
        messageId: '<1234-abcd@scim.local>',
        to: ['ops@acme.test'],
        subject: 'Acme: could not provision User "bob@x.com" (seat limit reached)',
        text: 'Seat limit reached — raise the seats.',
        html: '<p>Seat limit reached — raise the seats.</p>',
      });
      const files = readdirSync(outboxDir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-1234-abcd_scim\.local\.eml$/);
      expect(report.file).toBe(path.join(outboxDir, files[0]!));
      const { headers, text, html } = parseMessage(readFileSync(report.file!, 'utf8'));
      expect(headers.get('message-id')).toBe('<1234-abcd@scim.local>');
      expect(headers.get('to')).toBe('ops@acme.test');
      expect(headers.get('from')).toBe(FROM);
      expect(text).toBe('Seat limit reached — raise the seats.');
      expect(html).toBe('<p>Seat limit reached — raise the seats.</p>');

      // The directory is made again when someone removed it while the worker runs.
      rmSync(outboxDir, { recursive: true, force: true });
      const again = await transport.send({
        messageId: '<5678@scim.local>',
        to: ['a@b.test'],
        subject: 's',
        text: 't',
        html: 'h',
      });
      expect(readdirSync(outboxDir)).toEqual([path.basename(again.file!)]);
    } finally {
      await transport.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the outbox sender marks the row sent in file mode too', async () => {
    const db = await createTestDatabase('sqlite', 'mail-file');
    const orm = await createTestOrm(db);
    const dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    const transport = createMailTransport({ outboxDir: dir, from: FROM });
    try {
      const { organization } = await makeOrganization(orm);
      const admin = (em: ServiceContext['em']): ServiceContext => ({
        em,
        organizationId: organization.id,
        actor: 'admin',
      });
      await inTransaction(orm, (em) => setNotificationSettings(admin(em), { recipients: ['ops@acme.test'] }));
      const { outboxId } = await inTransaction(orm, (em) => sendTestEmail(admin(em)));
      expect(await sendOutboxEmail(orm.em.fork(), transport, outboxId)).toEqual({ sent: true });
      expect(await sendOutboxEmail(orm.em.fork(), transport, outboxId)).toEqual({ sent: false });
      expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
      expect((await orm.em.fork().findOneOrFail(OutboxEmail, outboxId)).status).toBe('sent');
    } finally {
      await transport.close();
      await orm.close(true);
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

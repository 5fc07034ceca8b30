import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { RESCAN_AFTER_MS, TransientError, writeJobId } from '../src/index.js';
import type { WriteOutcome } from '../src/index.js';
import {
  clientNames,
  deferred,
  handlersWith,
  okOutcome,
  redisUrl,
  scimDelete,
  sleep,
  until,
  uuid,
} from './helpers.js';
import { rig } from './setup.js';

const idFor = (data: { organizationId: string; resourceId?: string }) =>
  writeJobId({
    organizationId: data.organizationId,
    method: 'DELETE',
    path: `/Users/${data.resourceId}`,
    targetVersion: 1,
  });

describe('execute', () => {
  it('runs one job for concurrent calls with one id, and replays the outcome after completion', async () => {
    const { producer, startWorkers } = rig('dedup');
    let runs = 0;
    startWorkers(
      handlersWith(async (data) => {
        runs += 1;
        await sleep(200);
        return okOutcome(data.resourceId ?? '', runs);
      }),
    );
    const org = uuid();
    const data = scimDelete(org);
    const jobId = idFor(data);
    const [a, b] = await Promise.all([
      producer.execute('scim.write', data, { jobId, organizationId: org }),
      producer.execute('scim.write', data, { jobId, organizationId: org }),
    ]);
    expect(a).toEqual({ kind: 'done', jobId, result: okOutcome(data.resourceId ?? '', 1) });
    expect(b).toEqual(a);
    const again = await producer.execute('scim.write', data, { jobId, organizationId: org });
    expect(again).toEqual(a);
    expect(runs).toBe(1);
  });

  it('answers timeout while the job goes on; a later call with the id gets its result', async () => {
    const { producer, startWorkers } = rig('timeout', { waitTimeoutMs: 300 });
    let runs = 0;
    const release = deferred();
    startWorkers(
      handlersWith(async (data) => {
        runs += 1;
        await release.promise;
        return okOutcome(data.resourceId ?? '');
      }),
    );
    const org = uuid();
    const data = scimDelete(org);
    const jobId = idFor(data);
    const started = Date.now();
    const first = await producer.execute('scim.write', data, { jobId, organizationId: org });
    expect(first).toMatchObject({ kind: 'timeout', jobId });
    expect(Date.now() - started).toBeLessThan(1_500);
    release.resolve();
    await until(
      async () =>
        (await producer.execute('scim.write', data, { jobId, organizationId: org })).kind === 'done',
    );
    expect(await producer.execute('scim.write', data, { jobId, organizationId: org })).toEqual({
      kind: 'done',
      jobId,
      result: okOutcome(data.resourceId ?? ''),
    });
    expect(runs).toBe(1);
  });

  it('returns domain rejections as results, and failures after retries as failed', async () => {
    const { producer, startWorkers } = rig('failed');
    const rejection: WriteOutcome = {
      ok: false,
      error: { source: 'domain', code: 'last_owner', message: 'last owner' },
    };
    const attempts: number[] = [];
    startWorkers(
      handlersWith(async (data, ctx) => {
        if (data.resourceId?.startsWith('0')) return rejection;
        attempts.push(ctx.attempt);
        expect(ctx.maxAttempts).toBe(3);
        throw new Error(`boom on attempt ${ctx.attempt}${ctx.isFinalAttempt ? ' (final)' : ''}`);
      }),
    );
    const org = uuid();
    const rejected = scimDelete(org, `0${uuid().slice(1)}`);
    expect(
      await producer.execute('scim.write', rejected, { jobId: idFor(rejected), organizationId: org }),
    ).toMatchObject({
      kind: 'done',
      result: rejection,
    });
    const broken = scimDelete(org, `1${uuid().slice(1)}`);
    const out = await producer.execute('scim.write', broken, { jobId: idFor(broken), organizationId: org });
    expect(out).toEqual({ kind: 'failed', jobId: idFor(broken), reason: 'boom on attempt 3 (final)' });
    expect(attempts).toEqual([1, 2, 3]);
    // A retry of the failed request gets the same failure (the job is kept for a day).
    expect(
      await producer.execute('scim.write', broken, { jobId: idFor(broken), organizationId: org }),
    ).toEqual(out);
  });

  it('retries a TransientError with back-off and returns the eventual result', async () => {
    const { producer, startWorkers } = rig('transient');
    startWorkers(
      handlersWith(async (data, ctx) => {
        if (ctx.attempt < 3) throw new TransientError('database restarting');
        return okOutcome(data.resourceId ?? '', ctx.attempt);
      }),
    );
    const org = uuid();
    const data = scimDelete(org);
    const out = await producer.execute('scim.write', data, { jobId: idFor(data), organizationId: org });
    expect(out).toMatchObject({ kind: 'done', result: { ok: true, version: 3 } });
  });

  it('answers busy past the per-organization pending limit, without enqueuing', async () => {
    const { producer, startWorkers } = rig('busy', { pendingLimitPerOrg: 2, waitTimeoutMs: 10_000 });
    const release = deferred();
    let runs = 0;
    startWorkers(
      handlersWith(async (data) => {
        runs += 1;
        await release.promise;
        return okOutcome(data.resourceId ?? '');
      }),
    );
    const org = uuid();
    const writes = [scimDelete(org), scimDelete(org), scimDelete(org)];
    const first = writes
      .slice(0, 2)
      .map((d) => producer.execute('scim.write', d, { jobId: idFor(d), organizationId: org }));
    await until(() => runs === 2);
    const third = writes[2]!;
    expect(await producer.execute('scim.write', third, { jobId: idFor(third), organizationId: org })).toEqual(
      {
        kind: 'busy',
        retryAfterSeconds: 2,
      },
    );
    // Another organization is not held back by this one.
    const other = scimDelete(uuid());
    const otherRun = producer.execute('scim.write', other, {
      jobId: idFor(other),
      organizationId: other.organizationId,
    });
    // A retry of an admitted request joins it rather than counting twice.
    const joined = producer.execute('scim.write', writes[0]!, {
      jobId: idFor(writes[0]!),
      organizationId: org,
    });
    await until(() => runs === 3);
    release.resolve();
    for (const out of await Promise.all([...first, otherRun, joined])) expect(out.kind).toBe('done');
    // The first two finished: at the limit, the admission drops them (once the rescan interval after
    // the busy answer passed) and the third write gets in.
    await sleep(RESCAN_AFTER_MS);
    expect(
      (await producer.execute('scim.write', third, { jobId: idFor(third), organizationId: org })).kind,
    ).toBe('done');
    expect(runs).toBe(4);
  });

  it('completes 200 concurrent writes over one QueueEvents connection with bounded listeners', async () => {
    const { producer, startWorkers, prefix } = rig('load', {
      waitTimeoutMs: 20_000,
      pendingLimitPerOrg: 1_000,
    });
    startWorkers(
      handlersWith(async (data) => {
        await sleep(5);
        return okOutcome(data.resourceId ?? '');
      }),
      { concurrency: { provisioning: 50, mail: 1 } },
    );
    const org = uuid();
    const writes = Array.from({ length: 200 }, () => scimDelete(org));
    let peakWaiters = 0;
    const sampler = setInterval(() => {
      peakWaiters = Math.max(peakWaiters, producer.diagnostics().waiters);
      const listeners = producer.diagnostics().queueEvents.provisioning;
      if (listeners) expect(listeners).toEqual({ completed: 1, failed: 1 });
    }, 5);
    const outs = await Promise.all(
      writes.map((d) => producer.execute('scim.write', d, { jobId: idFor(d), organizationId: org })),
    );
    clearInterval(sampler);
    expect(outs.filter((o) => o.kind === 'done')).toHaveLength(200);
    expect(peakWaiters).toBeGreaterThan(0);
    expect(producer.diagnostics()).toEqual({
      queueEvents: { provisioning: { completed: 1, failed: 1 } },
      waiters: 0,
    });
    const names = await clientNames(redisUrl);
    const events = names.filter((n) => n.startsWith(`${prefix}:`) && n.endsWith(':qe'));
    expect(events).toEqual([`${prefix}:${Buffer.from('provisioning').toString('base64')}:qe`]);
  });

  it('rejects invalid data before touching Redis', async () => {
    const { producer } = rig('invalid');
    const org = uuid();
    const bad = { ...scimDelete(org), resourceId: 'not-a-uuid' };
    await expect(
      producer.execute('scim.write', bad, { jobId: 'w-x', organizationId: org }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(producer.enqueue('mail.send', { v: 1, outboxId: 'nope' })).rejects.toBeInstanceOf(ZodError);
    await expect(
      producer.execute('scim.write', scimDelete(org), { jobId: '42', organizationId: org }),
    ).rejects.toThrow(/job id/);
  });
});

describe('enqueue and counts', () => {
  it('keeps a finished write for its retries, but only the last 1,000 finished e-mail jobs', async () => {
    const { producer, startWorkers, prefix } = rig('retention', { waitTimeoutMs: 10_000 });
    let sent = 0;
    startWorkers(
      {
        ...handlersWith(async (data) => okOutcome(data.resourceId ?? '')),
        'mail.send': async () => {
          sent += 1;
          return { sent: true };
        },
      },
      { concurrency: { provisioning: 1, mail: 8 } },
    );
    const org = uuid();
    const write = scimDelete(org);
    expect(
      (await producer.execute('scim.write', write, { jobId: idFor(write), organizationId: org })).kind,
    ).toBe('done');
    const mails = Array.from({ length: 1_010 }, () => uuid());
    for (let i = 0; i < mails.length; i += 50) {
      await Promise.all(
        mails.slice(i, i + 50).map((outboxId) => producer.enqueue('mail.send', { v: 1, outboxId })),
      );
    }
    await until(() => sent === mails.length, 30_000);
    const redis = new Redis(redisUrl);
    try {
      await until(async () => (await redis.zcard(`${prefix}:mail:completed`)) === 1_000);
      const kept = await Promise.all(mails.map((id) => redis.exists(`${prefix}:mail:mail-${id}`)));
      expect(kept.filter(Boolean)).toHaveLength(1_000);
      expect(await redis.exists(`${prefix}:provisioning:${idFor(write)}`)).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it('applies default ids and reports waiting jobs with the oldest age', async () => {
    const { producer } = rig('counts');
    const outboxId = uuid();
    expect(await producer.enqueue('mail.send', { v: 1, outboxId })).toEqual({ jobId: `mail-${outboxId}` });
    // Same outbox row again: the same job, not a second e-mail.
    expect(await producer.enqueue('mail.send', { v: 1, outboxId })).toEqual({ jobId: `mail-${outboxId}` });
    const org = uuid();
    const window = `digest-${org}-${Date.now()}`;
    await producer.enqueue('failure.digest', { v: 1, organizationId: org }, { jobId: window });
    await producer.enqueue('failure.digest', { v: 1, organizationId: org }, { jobId: window }); // same window: one job
    await sleep(50);
    const counts = await producer.counts();
    expect(counts.mail).toMatchObject({ waiting: 2, active: 0, delayed: 0, failed: 0 });
    expect(counts.mail.oldestWaitingAgeMs).toBeGreaterThanOrEqual(50);
    expect(counts.provisioning).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      oldestWaitingAgeMs: null,
    });
  });
});

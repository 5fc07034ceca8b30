import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../src/index.js';
import type { FinalFailure } from '../src/index.js';
import { deferred, handlersWith, okOutcome, redisUrl, scimDelete, sleep, until, uuid } from './helpers.js';
import { rig } from './setup.js';

describe('workers', () => {
  it('close() stops taking work and drains the active job', async () => {
    const { producer, startWorkers } = rig('drain', { waitTimeoutMs: 10_000 });
    const started = deferred();
    let finished = 0;
    const workers = startWorkers(
      handlersWith(async (data) => {
        started.resolve();
        await sleep(500);
        finished += 1;
        return okOutcome(data.resourceId ?? '');
      }),
    );
    const org = uuid();
    const data = scimDelete(org);
    const outcome = producer.execute('scim.write', data, {
      jobId: `w-${data.resourceId}`,
      organizationId: org,
    });
    await started.promise;
    const t = Date.now();
    expect(await workers.close(5_000)).toEqual({ drained: true });
    expect(Date.now() - t).toBeGreaterThanOrEqual(300);
    expect(finished).toBe(1);
    expect((await outcome).kind).toBe('done');
  });

  it('close(timeoutMs) is bounded when a job does not finish', async () => {
    const { startWorkers, producer } = rig('drain-timeout', { waitTimeoutMs: 200 });
    const started = deferred();
    const workers = startWorkers(
      handlersWith(async () => {
        started.resolve();
        await sleep(5_000);
        return okOutcome('late');
      }),
    );
    const org = uuid();
    const data = scimDelete(org);
    void producer.execute('scim.write', data, { jobId: `w-${data.resourceId}`, organizationId: org });
    await started.promise;
    const t = Date.now();
    expect(await workers.close(300)).toEqual({ drained: false });
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it('fails invalid payloads and unknown versions at once, and reports final failures', async () => {
    const { prefix, startWorkers } = rig('invalid-payload');
    const failures: FinalFailure[] = [];
    let runs = 0;
    startWorkers(
      handlersWith(async () => {
        runs += 1;
        return okOutcome('x');
      }),
      { onFailed: (f) => void failures.push(f) },
    );
    // Bypass the producer's validation, as an old or foreign producer would.
    const queue = new Queue('provisioning', {
      connection: { host: '127.0.0.1', port: Number(new URL(redisUrl).port || 6379) },
      prefix,
    });
    try {
      const org = uuid();
      await queue.add('scim.write', { ...scimDelete(org), v: 2 }, { jobId: 'bad-version', attempts: 5 });
      await queue.add('user.deprovision', { v: 1 }, { jobId: 'unknown-name', attempts: 5 });
      await until(() => failures.length === 2);
      expect(runs).toBe(0);
      const byId = Object.fromEntries(failures.map((f) => [f.jobId, f]));
      expect(byId['bad-version']).toMatchObject({ name: 'scim.write', attemptsMade: 1 });
      expect(byId['bad-version']?.reason).toMatch(/invalid scim.write payload/);
      expect(byId['unknown-name']?.reason).toMatch(/unknown job "user.deprovision"/);
    } finally {
      await queue.close();
    }
  });

  it("frees a finished write's slot for the next one, even if no producer was waiting for it", async () => {
    const { producer, startWorkers } = rig('free-slot', { waitTimeoutMs: 50, pendingLimitPerOrg: 1 });
    const release = deferred();
    let attempts = 0;
    const org = uuid();
    const [first, second] = [scimDelete(org), scimDelete(org)];
    startWorkers(
      handlersWith(async (data, ctx) => {
        attempts += 1;
        await release.promise;
        // The first write fails its first attempt and finishes on its retry.
        if (data.resourceId === first.resourceId && ctx.attempt === 1)
          throw new TransientError('database restarting');
        return okOutcome(data.resourceId ?? '');
      }),
    );
    const write = (d: typeof first) =>
      producer.execute('scim.write', d, { jobId: `w-${d.resourceId}`, organizationId: org });
    expect((await write(first)).kind).toBe('timeout');
    expect((await write(second)).kind).toBe('busy');
    release.resolve();
    await until(() => attempts === 2);
    // The IdP's retry of the first write gets its outcome once the retry ran.
    await until(async () => (await write(first)).kind === 'done');
    // Admitted once the admission rescans (RESCAN_AFTER_MS after the busy answer); it may then take
    // longer than the 50 ms wait to finish.
    await until(async () => (await write(second)).kind === 'done');
    expect(attempts).toBe(3);
  });
});

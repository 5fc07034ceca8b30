// Uses a private redis-server (never the shared one) so it can be killed mid-test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueUnavailableError } from '../src/index.js';
import { handlersWith, okOutcome, privateRedis, scimDelete, sleep, uuid } from './helpers.js';
import type { PrivateRedis } from './helpers.js';
import { rig } from './setup.js';

let redis: PrivateRedis;

beforeAll(async () => {
  redis = await privateRedis();
  await redis.start();
});

afterAll(async () => {
  await redis.kill();
});

describe('Redis outage', () => {
  it('answers unavailable fast while Redis is down, and works again once it is back', async () => {
    const { producer, startWorkers } = rig('outage', { url: redis.url, waitTimeoutMs: 3_000 });
    startWorkers(handlersWith(async (data) => okOutcome(data.resourceId ?? '')));
    const org = uuid();
    const run = (data = scimDelete(org)) =>
      producer.execute('scim.write', data, { jobId: `w-${data.resourceId}`, organizationId: org });

    expect((await run()).kind).toBe('done');

    await redis.kill();
    for (let i = 0; i < 3; i += 1) {
      const started = Date.now();
      expect(await run()).toEqual({ kind: 'unavailable', retryAfterSeconds: 5 });
      expect(Date.now() - started).toBeLessThan(1_500);
    }
    const started = Date.now();
    await expect(producer.enqueue('mail.send', { v: 1, outboxId: uuid() })).rejects.toBeInstanceOf(
      QueueUnavailableError,
    );
    await expect(producer.counts()).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(3_000);

    await redis.start(); // empty (no persistence), same port
    // The same producer recovers once its connections are back (reconnect delay is capped at 2 s).
    const deadline = Date.now() + 10_000;
    let out = await run();
    while (out.kind !== 'done' && Date.now() < deadline) {
      expect(out.kind).toBe('unavailable');
      await sleep(200);
      out = await run();
    }
    expect(out.kind).toBe('done');
    // And it is fully back: outcomes arrive through events again, not only by the timeout check.
    for (let i = 0; i < 5; i += 1) {
      const t = Date.now();
      expect((await run()).kind).toBe('done');
      expect(Date.now() - t).toBeLessThan(1_000);
    }
  });

  it('answers unavailable when Redis is down from the start, without hanging', async () => {
    await redis.kill();
    const { producer } = rig('down-at-start', { url: redis.url });
    const org = uuid();
    const started = Date.now();
    const data = scimDelete(org);
    expect(
      await producer.execute('scim.write', data, { jobId: `w-${data.resourceId}`, organizationId: org }),
    ).toMatchObject({
      kind: 'unavailable',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    await redis.start();
  });
});

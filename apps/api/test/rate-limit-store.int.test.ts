// The batched rate-limit store against a real Redis: two api processes (two stores) share counts,
// a new process starts from the shared count, and a Redis outage leaves each counting on its own.
import { randomUUID } from 'node:crypto';
import { createFailFastClient, whenReady } from '@repo/jobs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBatchedStore } from '../src/plugins/rate-limit-store.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const namespace = `rlstore${randomUUID().slice(0, 8)}:`;
const clients = [createFailFastClient(REDIS_URL, 'rl-a', 250), createFailFastClient(REDIS_URL, 'rl-b', 250)];

beforeAll(async () => {
  await Promise.all(clients.map((c) => whenReady(c)));
});
afterAll(async () => {
  const keys = await clients[0]!.keys(`${namespace}*`);
  if (keys.length) await clients[0]!.del(...keys);
  for (const c of clients) c.disconnect();
});

const incr = (store: ReturnType<typeof createBatchedStore>, key: string) => {
  const s = new store.Store({});
  return new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    s.incr(key, (err, res) => (err || !res ? reject(err ?? new Error('no result')) : resolve(res))),
  );
};

it('counts of two processes add up in Redis; a process new to a key starts from the shared count', async () => {
  const a = createBatchedStore(clients[0]!, { namespace, windowMs: 60_000, flushMs: 10_000 });
  const b = createBatchedStore(clients[1]!, { namespace, windowMs: 60_000, flushMs: 10_000 });
  try {
    // The first request of a key waits for the shared count (0 so far); later ones count locally.
    expect((await incr(a, 'k')).current).toBe(1);
    for (let i = 2; i <= 30; i++) expect((await incr(a, 'k')).current).toBe(i);
    expect(await clients[0]!.get(`${namespace}k`)).toBe('1'); // not sent yet: one round trip per flush
    await a.flush();
    expect(await clients[0]!.get(`${namespace}k`)).toBe('30');
    const ttl = await clients[0]!.pttl(`${namespace}k`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const first = await incr(b, 'k');
    expect(first.current).toBe(31);
    expect(first.ttl).toBeGreaterThan(50_000);
    await incr(a, 'k');
    await Promise.all([a.flush(), b.flush()]);
    expect(await clients[0]!.get(`${namespace}k`)).toBe('32');
    // A process learns the others' counts with the reply to its own next flush.
    expect((await incr(b, 'k')).current).toBe(32);
    await b.flush();
    expect((await incr(b, 'k')).current).toBe(34);
    // Another credential is counted apart.
    expect((await incr(a, 'other')).current).toBe(1);
  } finally {
    a.close();
    b.close();
  }
});

it('with Redis unreachable, a process keeps counting on its own (the limit still applies per process)', async () => {
  const down = createFailFastClient('redis://127.0.0.1:1', 'rl-down', 100);
  const store = createBatchedStore(down, { namespace, windowMs: 60_000, flushMs: 10 });
  try {
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push((await incr(store, 'k')).current);
    await store.flush();
    seen.push((await incr(store, 'k')).current);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  } finally {
    store.close();
    down.disconnect();
  }
});

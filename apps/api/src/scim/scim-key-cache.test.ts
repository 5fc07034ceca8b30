import { describe, expect, test } from 'vitest';
import { createScimKeyCache } from './scim-key-cache.js';

/** A verifier over a mutable key table that counts its (database) checks. */
function keyTable(initial: Record<string, string>) {
  const keys = { ...initial };
  let checks = 0;
  return {
    keys,
    checks: () => checks,
    verify: async (org: string, key: string) => {
      checks += 1;
      return keys[org] === key;
    },
  };
}

describe('SCIM key cache', () => {
  test('a good key is checked once per ttl; a bad key every time', async () => {
    let now = 1_000;
    const table = keyTable({ a: 'k1' });
    const cache = createScimKeyCache(table.verify, { ttlMs: 2_000, now: () => now });
    expect(await cache.authenticate('a', 'k1')).toBe(true);
    expect(await cache.authenticate('a', 'k1')).toBe(true);
    expect(table.checks()).toBe(1);
    expect(await cache.authenticate('a', 'wrong')).toBe(false);
    expect(await cache.authenticate('a', 'wrong')).toBe(false);
    expect(table.checks()).toBe(3);
    // The key is trusted for the same key and organization only.
    expect(await cache.authenticate('b', 'k1')).toBe(false);

    table.keys['a'] = 'k2'; // rotated elsewhere: followed once the entry expires
    now += 1_999;
    expect(await cache.authenticate('a', 'k1')).toBe(true);
    now += 1;
    expect(await cache.authenticate('a', 'k1')).toBe(false);
  });

  test('forget ends the trust at once, also for a check that was in flight', async () => {
    const table = keyTable({ a: 'k1' });
    const cache = createScimKeyCache(table.verify, { ttlMs: 60_000 });
    expect(await cache.authenticate('a', 'k1')).toBe(true);
    table.keys['a'] = 'k2';
    cache.forget('a');
    expect(await cache.authenticate('a', 'k1')).toBe(false);

    // A check that read the old key before the rotation committed must not be cached.
    table.keys['a'] = 'k2';
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = createScimKeyCache(
      async (org, key) => {
        const ok = await table.verify(org, key);
        await gate;
        return ok;
      },
      { ttlMs: 60_000 },
    );
    const inFlight = slow.authenticate('a', 'k2');
    table.keys['a'] = 'k3';
    slow.forget('a');
    release();
    expect(await inFlight).toBe(true);
    expect(await slow.authenticate('a', 'k2')).toBe(false);
  });

  test('ttl 0 checks every time; the cache holds at most maxEntries', async () => {
    const table = keyTable({ a: 'k1', b: 'k2', c: 'k3' });
    const off = createScimKeyCache(table.verify, { ttlMs: 0 });
    await off.authenticate('a', 'k1');
    await off.authenticate('a', 'k1');
    expect(table.checks()).toBe(2);

    const small = createScimKeyCache(table.verify, { ttlMs: 60_000, maxEntries: 2 });
    for (const [org, key] of [
      ['a', 'k1'],
      ['b', 'k2'],
      ['c', 'k3'],
    ] as const)
      await small.authenticate(org, key);
    const before = table.checks();
    await small.authenticate('c', 'k3');
    await small.authenticate('b', 'k2');
    expect(table.checks()).toBe(before); // the two newest are kept
    await small.authenticate('a', 'k1');
    expect(table.checks()).toBe(before + 1); // the oldest was dropped
  });
});

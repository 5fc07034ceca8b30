import { describe, expect, it } from 'vitest';
import { blockingOptions, failFastOptions, reconnectDelay, toRedisOptions } from './connection.js';

describe('toRedisOptions', () => {
  it('parses redis URLs', () => {
    expect(toRedisOptions('redis://127.0.0.1:6390')).toEqual({ host: '127.0.0.1', port: 6390 });
    expect(toRedisOptions('rediss://u:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(toRedisOptions('redis://[::1]')).toEqual({ host: '::1', port: 6379 });
    expect(() => toRedisOptions('http://x')).toThrow();
  });

  it('builds fail-fast and blocking variants', () => {
    const fast = failFastOptions('redis://h:1', 500);
    expect(fast).toMatchObject({
      host: 'h',
      port: 1,
      enableOfflineQueue: false,
      connectTimeout: 500,
      commandTimeout: 500,
      maxRetriesPerRequest: 1,
    });
    expect(blockingOptions({ host: 'h' })).toMatchObject({ host: 'h', maxRetriesPerRequest: null });
  });

  it('reconnects forever with a capped delay', () => {
    expect(reconnectDelay(1)).toBe(200);
    expect(reconnectDelay(1_000)).toBe(2_000);
  });
});

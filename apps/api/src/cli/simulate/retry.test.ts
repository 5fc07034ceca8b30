import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, parseRetryAfter, retryDelay } from './retry.js';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    const now = Date.parse('Wed, 21 Oct 2025 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2025 07:28:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2025 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });

  it('is honoured with at most 20 % (≤ 1 s) jitter, and capped', () => {
    expect(retryDelay(0, 2000, DEFAULT_RETRY, () => 0)).toBe(2000);
    expect(retryDelay(0, 2000, DEFAULT_RETRY, () => 0.999)).toBeCloseTo(2399.6, 1);
    expect(retryDelay(0, 3_600_000, DEFAULT_RETRY, () => 0.5)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('without it backs off exponentially with jitter, capped', () => {
    const p = { maxRetries: 5, maxDelayMs: 4000, baseDelayMs: 500 };
    expect(retryDelay(0, null, p, () => 0)).toBe(250);
    expect(retryDelay(2, null, p, () => 0.999)).toBeCloseTo(1999, 0);
    expect(retryDelay(9, null, p, () => 1)).toBe(4000);
  });

  it('retries only 429 and 503', () => {
    expect([429, 503, 500, 409, 200].map(isRetryable)).toEqual([true, true, false, false, false]);
  });
});

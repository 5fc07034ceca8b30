// When to try a 429 / 503 again: Retry-After when the server gives it (capped), else exponential
// back-off; jitter either way so concurrent workers don't return in lockstep.

export interface RetryPolicy {
  maxRetries: number;
  /** Cap on any single wait (a huge Retry-After must not stall the run). */
  maxDelayMs: number;
  /** First back-off step when there is no Retry-After. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, maxDelayMs: 30_000, baseDelayMs: 500 };

export const isRetryable = (status: number): boolean => status === 429 || status === 503;

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Delay before retry number `attempt` (0-based). `random` is in [0, 1). */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== null) {
    // Honour the server, plus up to 20 % (at most 1 s) so waiters spread out.
    const jitter = random() * Math.min(1000, retryAfterMs * 0.2);
    return Math.min(policy.maxDelayMs, retryAfterMs + jitter);
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // "Equal jitter": half fixed, half random.
  return step / 2 + random() * (step / 2);
}

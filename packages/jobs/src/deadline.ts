// Bounds on Redis round trips: a caller must get an answer even when a promise never settles
// (first connection to a Redis that is down waits for 'ready' indefinitely).

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/** Rejects with DeadlineExceeded at `deadlineAt` (epoch ms). The abandoned promise is silenced. */
export function withDeadline<T>(promise: Promise<T>, deadlineAt: number): Promise<T> {
  promise.catch(() => undefined);
  const remaining = deadlineAt - Date.now();
  if (remaining <= 0) return Promise.reject(new DeadlineExceeded('deadline passed'));
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${remaining} ms`)), remaining);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** Waits for `promise` at most `ms`; true when it settled in time (fulfilled or rejected). */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  try {
    await withDeadline(promise, Date.now() + ms);
    return true;
  } catch (err) {
    return !(err instanceof DeadlineExceeded);
  }
}

import { conflict, invalidValue, lastOwner, notFound, preconditionFailed, seatLimit } from '@repo/domain';
import type { ExecuteOutcome } from '@repo/jobs';
import { describe, expect, test } from 'vitest';
import { appliedOrThrow, HintedCause, toTrpcError, writeErrorToTrpc } from './errors.js';

const hintsOf = (e: unknown) => (e instanceof Error && e.cause instanceof HintedCause ? e.cause.hints : null);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('domain errors', () => {
  test.each([
    [notFound('x'), 'NOT_FOUND'],
    [conflict('x'), 'CONFLICT'],
    [invalidValue('x'), 'BAD_REQUEST'],
    [seatLimit('x', { used: 3, seats: 3 }), 'PRECONDITION_FAILED'],
    [lastOwner('x'), 'PRECONDITION_FAILED'],
    [preconditionFailed('x'), 'PRECONDITION_FAILED'],
  ])('%s → %s, with the domain code as reason', (error, code) => {
    const mapped = toTrpcError(error);
    expect(mapped?.code).toBe(code);
    expect(mapped?.message).toBe('x');
    expect(hintsOf(mapped)?.reason).toBe(error.code);
  });

  test('details travel; anything else is not mapped', () => {
    expect(hintsOf(toTrpcError(seatLimit('x', { used: 3, seats: 3 })))?.details).toEqual({
      used: 3,
      seats: 3,
    });
    expect(toTrpcError(new Error('boom'))).toBeNull();
  });

  test('a worker rejection maps like the thrown error; protocol rejections by HTTP status', () => {
    expect(writeErrorToTrpc({ source: 'domain', code: 'seat_limit', message: 'full' })).toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'full',
    });
    expect(
      writeErrorToTrpc({ source: 'protocol', status: 409, scimType: 'uniqueness', detail: 'taken' }).code,
    ).toBe('CONFLICT');
    expect(writeErrorToTrpc({ source: 'protocol', status: 422, detail: 'odd' }).code).toBe('BAD_REQUEST');
    expect(writeErrorToTrpc({ source: 'protocol', status: 502, detail: 'odd' }).code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });
});

describe('queue states', () => {
  const outcome = (o: ExecuteOutcome<'admin.write'>) => thrown(() => appliedOrThrow(o));

  test.each([
    [{ kind: 'timeout', jobId: 'a-1', retryAfterSeconds: 1 } as const, 'SERVICE_UNAVAILABLE', 'timeout', 1],
    [{ kind: 'unavailable', retryAfterSeconds: 5 } as const, 'SERVICE_UNAVAILABLE', 'queue_unavailable', 5],
    [{ kind: 'busy', retryAfterSeconds: 2 } as const, 'TOO_MANY_REQUESTS', 'busy', 2],
  ])('%o → %s (retryable)', (o, code, reason, retryAfterSeconds) => {
    const e = outcome(o);
    expect(e).toMatchObject({ code });
    expect(hintsOf(e)).toEqual({ reason, retryAfterSeconds });
  });

  test('a failed job is an internal error with a message a person can act on', () => {
    const e = outcome({ kind: 'failed', jobId: 'a-1', reason: 'ECONNRESET' });
    expect(e).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: expect.stringMatching(/try again later/),
    });
    expect(String((e as Error).message)).not.toMatch(/ECONNRESET/);
  });

  test('done: the applied write, or its rejection', () => {
    const ok = { ok: true, status: 200, resourceType: 'Member', id: 'm', version: 2 } as const;
    expect(appliedOrThrow({ kind: 'done', jobId: 'a-1', result: ok })).toEqual(ok);
    const e = outcome({
      kind: 'done',
      jobId: 'a-1',
      result: { ok: false, error: { source: 'domain', code: 'last_owner', message: 'keep one' } },
    });
    expect(e).toMatchObject({ code: 'PRECONDITION_FAILED', message: 'keep one' });
  });
});

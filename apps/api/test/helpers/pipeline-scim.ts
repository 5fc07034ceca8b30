// A small SCIM client for the pipeline tests: real HTTP (fetch) with the organization's key, and a
// bounded "retry like an IdP" loop for 503/429 answers.
import { sleep } from './pipeline-util.js';

export interface ScimTarget {
  scimUrl: string;
  scimKey: string;
}

export interface ScimResponse {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
  /** Wall time of the request in milliseconds. */
  ms: number;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  userName,
  emails: [{ primary: true, value: userName }],
  ...extra,
});

export const addMembersBody = (...userIds: string[]) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }],
});

export async function scim(
  target: ScimTarget,
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<ScimResponse> {
  const started = performance.now();
  const res = await fetch(`${target.scimUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.scimKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    headers: res.headers,
    ms: performance.now() - started,
  };
}

export interface RetryOptions {
  /** Give up after this many attempts (default 40). */
  attempts?: number;
  /** Give up once this much time has passed (default 40 s). */
  withinMs?: number;
  /** Cap on the pause between attempts; Retry-After is honoured up to it (default 500 ms). */
  maxPauseMs?: number;
}

export interface Settled {
  final: ScimResponse;
  /** Every answer in order, the final one included. */
  history: ScimResponse[];
}

/**
 * Sends the same request until it gets an answer other than 503/429 (what an IdP does with
 * Retry-After), or a bound is reached; a network error (process being restarted) counts as a 503.
 */
export async function untilSettled(
  send: () => Promise<ScimResponse>,
  opts: RetryOptions = {},
): Promise<Settled> {
  const attempts = opts.attempts ?? 40;
  const deadline = Date.now() + (opts.withinMs ?? 40_000);
  const maxPause = opts.maxPauseMs ?? 500;
  const history: ScimResponse[] = [];
  for (let i = 0; i < attempts; i++) {
    let res: ScimResponse;
    try {
      res = await send();
    } catch {
      res = { status: 599, body: null, headers: new Headers(), ms: 0 };
    }
    history.push(res);
    if (res.status !== 503 && res.status !== 429 && res.status !== 599) return { final: res, history };
    if (Date.now() >= deadline) break;
    const retryAfter = Number(res.headers.get('retry-after') ?? '1') * 1000;
    await sleep(Math.min(retryAfter, maxPause));
  }
  const last = history.at(-1);
  if (!last) throw new Error('untilSettled: no attempt made');
  return { final: last, history };
}

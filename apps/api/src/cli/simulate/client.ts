// HTTP to the one SCIM base URL given on the command line (nothing else is ever contacted): a
// keep-alive pool sized to the concurrency, Entra's 60 s limit per request, bounded 429/503 retries.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Dialect } from './dialects.js';
import { DEFAULT_RETRY, isRetryable, parseRetryAfter, retryDelay, type RetryPolicy } from './retry.js';
import type { Recorder } from './stats.js';

export const ENTRA_TIMEOUT_MS = 60_000;
export const OKTA_USER_AGENT = 'Okta SCIM Client';
const SCIM_JSON = 'application/scim+json; charset=utf-8';

export interface ScimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the base URL, e.g. `/Users/abc`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Statuses that are not errors for this request. */
  expect: readonly number[];
}

export interface ScimResponse {
  status: number;
  body: unknown;
}

export interface ClientOptions {
  url: string;
  token: string;
  dialect: Dialect;
  concurrency: number;
  recorder: Recorder;
  /** Aborts every request and retry wait (the run's global deadline). */
  signal: AbortSignal;
  timeoutMs?: number;
  retry?: RetryPolicy;
  random?: () => number;
}

/** The base URL split so that resource paths go between its path and its query (`?aadOptscim062020`). */
export interface BaseUrl {
  origin: string;
  path: string;
  query: string;
}

export function parseBaseUrl(url: string, dialect: Dialect): BaseUrl {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--url must be http(s): ${url}`);
  let query = u.search.replace(/^\?/, '');
  // Entra's flag lives on the tenant URL; the query string then rides on every request.
  if (dialect === 'aadOptscim062020' && !/(^|&)aadOptscim062020(=|&|$)/i.test(query)) {
    query = query ? `${query}&aadOptscim062020` : 'aadOptscim062020';
  }
  return { origin: u.origin, path: u.pathname.replace(/\/+$/, ''), query };
}

export function requestPath(base: BaseUrl, path: string, query?: Record<string, string>): string {
  const extra = query ? new URLSearchParams(query).toString() : '';
  const q = [base.query, extra].filter((s) => s !== '').join('&');
  return `${base.path}${path}${q ? `?${q}` : ''}`;
}

/** Entra sends no Accept and (reportedly) no User-Agent; Okta announces itself. */
export function headersFor(dialect: Dialect, token: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (hasBody) headers['content-type'] = SCIM_JSON;
  if (dialect === 'okta') {
    headers['user-agent'] = OKTA_USER_AGENT;
    headers['accept'] = 'application/scim+json';
  }
  return headers;
}

export class ScimClient {
  private readonly pool: Pool;
  private readonly base: BaseUrl;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly opts: ClientOptions) {
    this.base = parseBaseUrl(opts.url, opts.dialect);
    this.timeoutMs = opts.timeoutMs ?? ENTRA_TIMEOUT_MS;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.random = opts.random ?? Math.random;
    this.pool = new Pool(this.base.origin, {
      connections: opts.concurrency,
      keepAliveTimeout: 30_000,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: { timeout: 10_000 },
    });
  }

  /**
   * One logical request, retried on 429/503 (bounded). Every attempt is recorded. Returns null when
   * no HTTP response came (recorded as an error); throws only when the run's deadline aborts it.
   */
  async send(kind: string, req: ScimRequest): Promise<ScimResponse | null> {
    const path = requestPath(this.base, req.path, req.query);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers = headersFor(this.opts.dialect, this.opts.token, payload !== undefined);
    for (let attempt = 0; ; attempt++) {
      this.opts.signal.throwIfAborted();
      const started = performance.now();
      let status: number;
      let body: unknown;
      let retryAfter: string | undefined;
      try {
        const res = await this.pool.request({
          method: req.method,
          path,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
          signal: this.opts.signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        status = res.statusCode;
        const ra = res.headers['retry-after'];
        retryAfter = Array.isArray(ra) ? ra[0] : ra;
        body = parseJson(await res.body.text());
      } catch (e) {
        this.opts.signal.throwIfAborted();
        this.opts.recorder.record(kind, req.method, 0, performance.now() - started);
        this.opts.recorder.error({ kind, method: req.method, path, status: 0, detail: errorText(e) });
        return null;
      }
      this.opts.recorder.record(kind, req.method, status, performance.now() - started);
      if (isRetryable(status) && attempt < this.retry.maxRetries) {
        this.opts.recorder.retries++;
        const wait = retryDelay(attempt, parseRetryAfter(retryAfter, Date.now()), this.retry, this.random);
        await sleep(wait, undefined, { signal: this.opts.signal });
        continue;
      }
      if (!req.expect.includes(status)) {
        this.opts.recorder.error({ kind, method: req.method, path, status, detail: detailOf(body) });
      }
      return { status, body };
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 500);
  }
}

function detailOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string')
    return body.detail;
  return body === null ? '' : JSON.stringify(body).slice(0, 300);
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

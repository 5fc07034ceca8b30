// A keep-alive HTTP client for the sequential measurements (one pooled connection per origin, like
// an IdP's): JSON in, status and JSON out.
import { Pool } from 'undici';

export interface HttpResponse {
  status: number;
  body: unknown;
}

export class HttpClient {
  private readonly pool: Pool;

  constructor(
    origin: string,
    private readonly token: string,
  ) {
    this.pool = new Pool(origin, {
      connections: 4,
      keepAliveTimeout: 30_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
  }

  async send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType = 'application/scim+json',
  ): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const res = await this.pool.request({
      method,
      path,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(payload === undefined ? {} : { 'content-type': contentType }),
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      // not JSON: keep the text (it's only shown in failures)
    }
    return { status: res.statusCode, body: parsed };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A failure description when the status isn't the expected one, else null (timedLoop's contract). */
export const expectStatus = (res: HttpResponse, ...expected: number[]): string | null =>
  expected.includes(res.status) ? null : `HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`;

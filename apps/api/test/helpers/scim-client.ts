// A SCIM client over real HTTP for integration tests: the organization's key, SCIM content type,
// and optional extras an IdP adds (a flag on the tenant URL, a User-Agent).
// NOTE: reconstructed from its uses in scim-dialects.int.test.ts after it was overwritten by
// mistake (pipeline tests); its author may want to compare it with their version.
export interface ScimClientOptions {
  /** Appended to every request's query string (e.g. Entra's `aadOptscim062020` flag). */
  query?: string;
  headers?: Record<string, string>;
}

export interface ScimClientResponse {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
}

export interface ScimClient {
  get(path: string): Promise<ScimClientResponse>;
  post(path: string, body: unknown): Promise<ScimClientResponse>;
  put(path: string, body: unknown): Promise<ScimClientResponse>;
  patch(path: string, body: unknown): Promise<ScimClientResponse>;
  delete(path: string): Promise<ScimClientResponse>;
}

/** `filter=<encoded>` for a list URL. */
export const filterQuery = (filter: string): string => `filter=${encodeURIComponent(filter)}`;

/** A SCIM PatchOp message with these operations. */
export const patchOp = (...operations: Array<Record<string, unknown>>) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: operations,
});

export function scimClient(baseUrl: string, key: string, opts: ScimClientOptions = {}): ScimClient {
  const url = (path: string) => {
    const full = `${baseUrl}${path}`;
    if (!opts.query) return full;
    return `${full}${full.includes('?') ? '&' : '?'}${opts.query}`;
  };
  const send = async (method: string, path: string, body?: unknown): Promise<ScimClientResponse> => {
    const res = await fetch(url(path), {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        ...opts.headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
      headers: res.headers,
    };
  };
  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    patch: (path, body) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
  };
}

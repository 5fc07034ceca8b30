// Raw HTTP for the reliability suite: every answer kept whole (status, headers, text) so tests can
// compare two answers byte for byte, plus tRPC and GraphQL calls without a typed client (the
// fuzz and isolation tests send what no typed client would).
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or null when it is not JSON. */
  json: unknown;
  ms: number;
}

export interface SendOptions {
  method?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  /** Serialized as JSON unless it is a string (sent as is). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function send(url: string, opts: SendOptions = {}): Promise<RawResponse> {
  const hasBody = opts.body !== undefined;
  const started = performance.now();
  const res = await fetch(url, {
    method: opts.method ?? (hasBody ? 'POST' : 'GET'),
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(hasBody ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
      ...opts.headers,
    },
    ...(hasBody ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: parseOrNull(text),
    ms: performance.now() - started,
  };
}

function parseOrNull(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** SCIM request with a SCIM key. */
export const scimSend = (scimUrl: string, key: string | null, method: string, path: string, body?: unknown) =>
  send(`${scimUrl}${path}`, {
    method,
    token: key,
    ...(body === undefined ? {} : { body, contentType: 'application/scim+json' }),
  });

/** A tRPC procedure over HTTP (no batching): queries as GET ?input=, mutations as POST. */
export function trpcSend(
  baseUrl: string,
  token: string | null,
  type: 'query' | 'mutation',
  path: string,
  input: unknown,
) {
  if (type === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return send(`${baseUrl}/trpc/${path}${query}`, { token });
  }
  return send(`${baseUrl}/trpc/${path}`, { method: 'POST', token, body: input === undefined ? '' : input });
}

export function graphqlSend(
  baseUrl: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
) {
  return send(`${baseUrl}/graphql`, {
    method: 'POST',
    token,
    body: { query, variables },
    headers: { accept: 'application/graphql-response+json, application/json' },
  });
}

/**
 * What a client can observe of an answer, with the given values (the ids it sent itself) replaced
 * by placeholders and the per-request id dropped: two answers that normalize equal tell the client
 * nothing more than each other.
 */
export function observable(res: RawResponse, substitutions: Record<string, string> = {}) {
  let text = res.text;
  // Longest first: a short substitution (an id's prefix) must not break a longer one, and object keys
  // that look like integers (a prefix such as "1234") would otherwise come first.
  const ordered = Object.entries(substitutions).sort(([a], [b]) => b.length - a.length);
  for (const [value, placeholder] of ordered) {
    if (value) text = text.split(value).join(placeholder);
  }
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // keep the text
  }
  return {
    status: res.status,
    body: stripVolatile(body),
    contentType: res.headers.get('content-type'),
    wwwAuthenticate: res.headers.get('www-authenticate'),
    etag: res.headers.get('etag'),
    location: res.headers.get('location'),
  };
}

/** Stack traces (tRPC in development) and request ids differ per request, not per resource. */
function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'stack')
        .map(([k, v]) => [
          k,
          typeof v === 'string' ? v.replace(/request [0-9a-f-]{36}/g, 'request <rid>') : stripVolatile(v),
        ]),
    );
  }
  return value;
}

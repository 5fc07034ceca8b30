// Request and response media types for the SCIM scope only (RFC 7644 §3.1, §8.1). The host's own
// parsers and content types stay untouched: this plugin is not wrapped in fastify-plugin.
import type { FastifyBodyParser, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidSyntax, ScimError } from '../errors.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

// A lone UTF-16 surrogate (`"\ud800"`: valid JSON, RFC 8259 §8.2, but no Unicode text) or a NUL
// character: no database text or JSON column takes them, so such a write — and then its failure
// report — could never be stored (the job retried until the client got 503s). Refused at once.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Far beyond any SCIM document (a PATCH value holding members is about six levels deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * Deepest `[`/`{` nesting of JSON text, outside strings. Checked before parsing because the
 * recursive code behind the parser (zod schemas, deep equality) would exhaust the stack on a
 * 2,000-level array that fits in a small body — a 500 instead of a 400.
 */
function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Empty body → undefined (the route decides whether it needs one); `__proto__` keys, strings
 * with a NUL character or a lone surrogate, and nesting deeper than MAX_JSON_DEPTH are refused.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw invalidSyntax(`The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw invalidSyntax("The key '__proto__' is not allowed");
      if (UNSTORABLE_TEXT.test(key) || (typeof value === 'string' && UNSTORABLE_TEXT.test(value))) {
        throw invalidSyntax(
          'The request body contains a string with a NUL character or a lone surrogate escape',
        );
      }
      return value;
    }) as unknown;
  } catch (error) {
    if (error instanceof ScimError) throw error;
    throw invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

const parseJson: FastifyBodyParser<string> = (_request, body, done) => {
  try {
    done(null, parseJsonBody(body));
  } catch (error) {
    done(error as Error);
  }
};

// Choice: a body without Content-Type is read as JSON (lenient: some scripts omit it); any other
// media type is 415, since RFC 7644 defines JSON bodies only.
const parseUntyped: FastifyBodyParser<string> = (request, body, done) => {
  if (request.headers['content-type'] === undefined) {
    parseJson(request, body, done);
    return;
  }
  done(new ScimError(415, 'Unsupported Content-Type: send application/scim+json or application/json.'));
};

export function registerScimContentTypes(app: FastifyInstance, maxPayloadBytes: number): void {
  app.removeAllContentTypeParsers();
  // The parser's bodyLimit is the advertised maxPayloadSize; Fastify rejects larger bodies (413).
  const options = { parseAs: 'string' as const, bodyLimit: maxPayloadBytes };
  app.addContentTypeParser(['application/scim+json', 'application/json'], options, parseJson);
  app.addContentTypeParser('*', options, parseUntyped);

  // Every answer in this scope, errors and 404s included, is a SCIM message.
  app.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return payload;
  });
}

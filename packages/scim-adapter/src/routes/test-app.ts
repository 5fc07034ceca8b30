// Builds a Fastify app hosting the plugin the way apps/api does, for the route tests.
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { scimPlugin } from './scim.plugin.js';
import { API_KEY, createTestPorts, ORG_ID, type TestPorts } from './test-ports.js';

export const PREFIX = '/scim/v2';
export const BASE = `${PREFIX}/${ORG_ID}`;

export interface TestApp {
  app: FastifyInstance;
  ports: TestPorts;
  /** Authenticated request against the test organization; JSON bodies sent as application/scim+json. */
  scim(
    method: InjectOptions['method'],
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function buildTestApp(ports: TestPorts = createTestPorts()): Promise<TestApp> {
  const app = Fastify();
  // A host route outside the prefix: the plugin's parsers and hooks must not reach it.
  app.post('/outside', async (request) => ({ body: request.body }));
  await app.register(scimPlugin(ports), { prefix: PREFIX });
  await app.ready();
  return {
    app,
    ports,
    scim: (method, path, body, headers = {}) =>
      app.inject({
        method,
        url: `${BASE}${path}`,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
  };
}

/** Response bodies as the tests read them. */
export interface ListBody {
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  Resources: Record<string, unknown>[];
}
export interface BulkBody {
  schemas: string[];
  Operations: Record<string, unknown>[];
}

// The SCIM plugin's ports with database outages turned into 503 + Retry-After (the plugin maps
// anything unexpected to 500, and knows nothing of databases).
import { ScimError, type ResourceReader, type ScimPorts } from '@repo/scim-adapter';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE,
  isDatabaseUnavailable,
} from '../db-unavailable.js';

const unavailable = () =>
  new ScimError(503, DATABASE_UNAVAILABLE, undefined, {
    'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
  });

function guarded<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (error) {
      throw isDatabaseUnavailable(error) ? unavailable() : error;
    }
  };
}

const guardedReader = (reader: ResourceReader): ResourceReader => ({
  list: guarded((ctx, query) => reader.list(ctx, query)),
  get: guarded((ctx, id, opts) => reader.get(ctx, id, opts)),
  version: guarded((ctx, id) => reader.version(ctx, id)),
});

export function withDatabaseOutages(ports: ScimPorts): ScimPorts {
  return {
    ...ports,
    users: guardedReader(ports.users),
    groups: guardedReader(ports.groups),
    auth: {
      authenticate: guarded((organizationId: string, key: string) =>
        ports.auth.authenticate(organizationId, key),
      ),
    },
  };
}

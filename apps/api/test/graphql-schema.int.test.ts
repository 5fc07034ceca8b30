// The committed schema.graphql is exactly what the code prints, and every organization-owned type
// carries its own organization scope check (not only the root fields).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isObjectType } from '../src/graphql/graphql-js.js';
import { printSchemaFile } from '../src/graphql/print.js';
import { schema } from '../src/graphql/schema/index.js';

describe('schema', () => {
  it('matches the committed apps/api/schema.graphql (run scripts/print-schema.ts after changing it)', () => {
    const committed = readFileSync(path.resolve(import.meta.dirname, '../schema.graphql'), 'utf8');
    expect(committed).toBe(printSchemaFile());
  });

  it('is read-only', () => {
    expect(schema.getMutationType()).toBeUndefined();
    expect(schema.getSubscriptionType()).toBeUndefined();
  });

  it.each(['Organization', 'Member', 'Group', 'AuditEvent', 'SyncFailure'])(
    'scopes every %s by its organization',
    (name) => {
      const type = schema.getType(name);
      expect(isObjectType(type)).toBe(true);
      const options = (type?.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
      expect(typeof options?.authScopes).toBe('function');
    },
  );
});

import { ScimError } from '@repo/scim-adapter';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { afterSql, orderBySql, resolveSort } from './sort-sql.js';
import { POSTGRES, SQLITE } from '../sql/sql-dialect.js';
import { USER_ATTRIBUTES } from './user-attributes.js';

const ID = '2819c223-7f76-453a-919d-413861904646';
const byCreated = resolveSort(USER_ATTRIBUTES, undefined, 'ascending');
const byUserName = resolveSort(USER_ATTRIBUTES, { attr: 'USERNAME' }, 'descending');
const byExternalId = resolveSort(USER_ATTRIBUTES, { attr: 'externalId' }, 'ascending');

function invalidValue(run: () => unknown) {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).scimType]).toEqual([400, 'invalidValue']);
    return;
  }
  throw new Error('expected invalidValue');
}

describe('sorting', () => {
  it('orders by the allow-listed column, then id, nulls last ascending', () => {
    expect(orderBySql(byCreated)).toBe('m.created_at asc, m.id asc');
    expect(orderBySql(byUserName)).toBe('m.user_name_lower desc, m.id desc');
    expect(orderBySql(byExternalId)).toBe(
      'case when m.external_id is null then 1 else 0 end asc, m.external_id asc, m.id asc',
    );
    expect(orderBySql(resolveSort(USER_ATTRIBUTES, { attr: 'id' }, 'ascending'))).toBe('m.id asc');
    expect(
      orderBySql(
        resolveSort(
          USER_ATTRIBUTES,
          { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'meta', sub: 'lastModified' },
          'ascending',
        ),
      ),
    ).toBe('m.updated_at asc, m.id asc');
  });

  it('rejects sortBy outside the allow-list', () => {
    invalidValue(() => resolveSort(USER_ATTRIBUTES, { attr: 'title' }, 'ascending'));
    invalidValue(() => resolveSort(USER_ATTRIBUTES, { attr: 'emails', sub: 'value' }, 'ascending'));
  });

  it('continues after a position with a row-value comparison', () => {
    expect(afterSql(byCreated, { key: 5, id: ID })).toEqual({
      sql: '(m.created_at, m.id) > (?, ?)',
      params: [5, ID],
    });
    expect(afterSql(byUserName, { key: 'b', id: ID }).sql).toBe('(m.user_name_lower, m.id) < (?, ?)');
    expect(afterSql(byExternalId, { key: null, id: ID })).toEqual({
      sql: '(m.external_id is null and m.id > ?)',
      params: [ID],
    });
    expect(afterSql(byExternalId, { key: 'x', id: ID }).sql).toBe(
      '((m.external_id is not null and (m.external_id, m.id) > (?, ?)) or m.external_id is null)',
    );
  });
});

describe('cursors', () => {
  it('round-trip as opaque base64url', () => {
    const cursor = encodeCursor(byCreated, { key: '2026-01-02T03:04:05.123456Z', id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, byCreated, POSTGRES)).toEqual({ key: '2026-01-02T03:04:05.123456Z', id: ID });
    const sqlite = encodeCursor(byCreated, { key: 1_700_000_000_000, id: ID });
    expect(decodeCursor(sqlite, byCreated, SQLITE)).toEqual({ key: 1_700_000_000_000, id: ID });
  });

  it('reject garbage, tampering and a changed sort with invalidValue', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    invalidValue(() => decodeCursor('not a cursor!', byCreated, POSTGRES));
    invalidValue(() => decodeCursor(Buffer.from('{').toString('base64url'), byCreated, POSTGRES));
    invalidValue(() =>
      decodeCursor(encode([1, 'meta.created', 0, "x'; drop table member", ID]), byCreated, POSTGRES),
    );
    invalidValue(() =>
      decodeCursor(encode([1, 'meta.created', 0, '2026-13-02T03:04:05.123456Z', ID]), byCreated, POSTGRES),
    );
    invalidValue(() => decodeCursor(encode([1, 'meta.created', 0, 12, 'no-uuid']), byCreated, SQLITE));
    invalidValue(() => decodeCursor(encode([1, 'meta.created', 0, null, ID]), byCreated, SQLITE));
    invalidValue(() => decodeCursor(encodeCursor(byCreated, { key: 1, id: ID }), byUserName, SQLITE));
    invalidValue(() => decodeCursor('A'.repeat(5000), byCreated, SQLITE));
  });
});

// RFC 9865 cursors: opaque base64url of the last row's (sort key, id) plus the sort it belongs to.
// Tampering can only move the position within the caller's own organization; every part is
// validated before it reaches SQL, so a bad cursor is 400 invalidValue, never a database error.
import { invalidValue } from '@repo/scim-adapter';
import { isUnstorableText } from '../text-guard.js';
import { isUuid, parseDateTime } from './filter-values.js';
import type { CursorPosition, SortSpec } from './sort-sql.js';
import type { Dialect } from '../sql/sql-dialect.js';

const VERSION = 1;
const MAX_CURSOR_LENGTH = 2048;
const MAX_KEY_LENGTH = 1000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PG_TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

type Payload = [
  version: number,
  sortName: string,
  descending: 0 | 1,
  key: string | number | null,
  id: string,
];

export function encodeCursor(spec: SortSpec, position: CursorPosition): string {
  const payload: Payload = [VERSION, spec.column.name, spec.descending ? 1 : 0, position.key, position.id];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

const invalid = () => invalidValue('The cursor is not valid; start again with an empty cursor (cursor=)');

export function decodeCursor(cursor: string, spec: SortSpec, dialect: Dialect): CursorPosition {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(payload) || payload.length !== 5) throw invalid();
  const [version, sortName, descending, key, id] = payload as unknown[];
  if (version !== VERSION || typeof id !== 'string' || !isUuid(id)) throw invalid();
  if (sortName !== spec.column.name || descending !== (spec.descending ? 1 : 0)) {
    throw invalidValue(
      'The cursor belongs to a different sortBy / sortOrder; keep them the same on every page',
    );
  }
  if (!validKey(key, spec, dialect)) throw invalid();
  return { key, id: id.toLowerCase() };
}

function validKey(key: unknown, spec: SortSpec, dialect: Dialect): key is CursorPosition['key'] {
  if (key === null) return spec.column.nullable;
  if (!spec.column.time)
    return typeof key === 'string' && key.length <= MAX_KEY_LENGTH && !isUnstorableText(key);
  if (dialect.kind === 'sqlite') return Number.isSafeInteger(key);
  return typeof key === 'string' && PG_TIME_KEY.test(key) && parseDateTime(key) !== undefined;
}

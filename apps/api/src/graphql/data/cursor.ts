// Opaque keyset cursors: base64url of [connection tag, sort key, id]. Every part is validated before
// it reaches SQL, so a tampered or foreign cursor is a BAD_USER_INPUT error, never a database error
// (and can only move the position inside the caller's own, already scoped, result set).
import type { Dialect } from '../../sql/sql-dialect.js';
import { badInput } from '../errors.js';

export type SortKind = 'time' | 'text';
export type IdKind = 'uuid' | 'bigint';

export interface CursorPosition {
  key: string | number;
  id: string;
}

const MAX_CURSOR_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BIGINT = /^\d{1,19}$/;
const PG_TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export const encodeCursor = (tag: string, position: CursorPosition): string =>
  Buffer.from(JSON.stringify([tag, position.key, position.id]), 'utf8').toString('base64url');

export interface CursorShape {
  tag: string;
  sortKind: SortKind;
  idKind: IdKind;
}

export function decodeCursor(cursor: string, shape: CursorShape, dialect: Dialect): CursorPosition {
  const invalid = () => badInput('The cursor is not valid for this connection; start again without one.');
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(payload) || payload.length !== 3) throw invalid();
  const [tag, key, id] = payload as unknown[];
  if (tag !== shape.tag || typeof id !== 'string') throw invalid();
  if (!(shape.idKind === 'uuid' ? UUID : BIGINT).test(id)) throw invalid();
  if (!validKey(key, shape.sortKind, dialect)) throw invalid();
  return { key, id };
}

function validKey(key: unknown, kind: SortKind, dialect: Dialect): key is string | number {
  if (kind === 'text') return typeof key === 'string' && key.length <= 320;
  // Time keys as Dialect.timeKeySql renders them: µs ISO text (PostgreSQL) or epoch ms (SQLite).
  if (dialect.kind === 'sqlite') return Number.isSafeInteger(key);
  return typeof key === 'string' && PG_TIME_KEY.test(key) && !Number.isNaN(Date.parse(key));
}

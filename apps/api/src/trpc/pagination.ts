// Keyset pagination: opaque cursors over (timestamp, id) or a numeric id, never OFFSET, so a page
// costs the same at any depth and rows inserted meanwhile cause neither gaps nor repeats.
import { z } from 'zod';
import { trpcError } from './errors.js';

export const PageSize = z.number().int().min(1).max(100).default(50);
export const Cursor = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w-]+$/, 'not a cursor returned by this API');

export interface Position {
  at: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const invalidCursor = () =>
  trpcError('BAD_REQUEST', 'The cursor is not valid; start again without a cursor.', {
    reason: 'invalid_cursor',
  });

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
}

const PositionPayload = z.tuple([z.number().int().nonnegative(), z.uuid()]);
const IdPayload = z.tuple([z.number().int().positive()]);

export const encodePosition = (p: Position): string => encode([p.at.getTime(), p.id]);

export function decodePosition(cursor: string): Position {
  const parsed = PositionPayload.safeParse(decode(cursor));
  if (!parsed.success) throw invalidCursor();
  return { at: new Date(parsed.data[0]), id: parsed.data[1] };
}

export const encodeId = (id: number): string => encode([id]);

export function decodeId(cursor: string): number {
  const parsed = IdPayload.safeParse(decode(cursor));
  if (!parsed.success) throw invalidCursor();
  return parsed.data[0];
}

/** Rows fetched with `limit + 1`: the extra row only tells whether a next page exists. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => string,
  view: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

/** The keyset condition for rows after `p` in ascending (createdAt, id) order. */
export const createdAfter = (p: Position) => ({
  $or: [{ createdAt: { $gt: p.at } }, { createdAt: p.at, id: { $gt: p.id } }],
});

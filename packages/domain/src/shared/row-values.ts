// Column values as the two drivers hand them back in plain SQL: PostgreSQL (as MikroORM configures
// pg) gives timestamps as text and JSON parsed; SQLite gives timestamps as epoch milliseconds, JSON
// as text and booleans as 0/1.
export const asDate = (v: unknown): Date =>
  v instanceof Date ? v : new Date(typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : String(v));

/** A nullable timestamp column. */
export const dateOrNull = (v: unknown): Date | null => (v == null ? null : asDate(v));

export const asJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export const asBoolean = (v: unknown): boolean => v === true || v === 1;

export const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// Typing filter comparison values by the attribute they are compared with (RFC 7643 §2.3).
import { invalidFilter, type FilterValue } from '@repo/scim-adapter';
import { isUnstorableText } from '../text-guard.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

// xsd:dateTime as SCIM clients send it: any number of fraction digits (.NET sends 7), an optional
// zone (UTC when absent).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Parses an xsd:dateTime (sub-millisecond digits truncated), or undefined when it isn't one. */
export function parseDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone = 'Z'] = m;
  const parts = [y, mo, d, h, mi].map(Number);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0] = parts;
  const second = Number(s);
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 (Entra's watermark starts at 0001-01-03).
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCDate() !== day) return undefined; // 31 February and friends
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offset = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    date.setTime(date.getTime() - sign * offset * 60_000);
  }
  // Years 1–9999: what both databases (and toISOString's plain form) can represent.
  const y2 = date.getUTCFullYear();
  return y2 >= 1 && y2 <= 9999 ? date : undefined;
}

/** A value compared with a string attribute; unquoted numbers (`externalId eq 12345`) count as text. */
export function stringValue(attribute: string, value: FilterValue): string {
  if (typeof value === 'string') {
    // No stored value has one, and PostgreSQL refuses the parameter (a 500 before).
    if (isUnstorableText(value))
      throw invalidFilter(
        `'${attribute}' can't be compared with text containing a NUL character or a lone surrogate`,
      );
    return value;
  }
  if (typeof value === 'number') return String(value);
  throw invalidFilter(`'${attribute}' is a string attribute; compare it with a string, not ${String(value)}`);
}

/** `true`/`false`, also as the strings "True"/"False" some IdPs send. */
export function booleanValue(attribute: string, value: FilterValue): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidFilter(`'${attribute}' is a boolean attribute; compare it with true or false`);
}

export function dateTimeValue(attribute: string, value: FilterValue): Date {
  const date = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (!date) {
    throw invalidFilter(
      `'${attribute}' is a dateTime attribute; compare it with an ISO 8601 date-time such as "2024-05-01T00:00:00Z", not ${JSON.stringify(value)}`,
    );
  }
  return date;
}

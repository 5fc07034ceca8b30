import { invalidValue } from '../errors.js';

export function checkDisplayName(displayName: string): string {
  if (displayName.trim() === '') throw invalidValue('displayName must not be empty.');
  if (displayName.length > 300) throw invalidValue('displayName cannot exceed 300 characters.');
  return displayName;
}

export const MAX_MEMBERS_PER_OPERATION = 10_000;

/** De-duplicates ids and enforces the per-operation limit. */
export function memberIdList(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_MEMBERS_PER_OPERATION) {
    throw invalidValue(`At most ${MAX_MEMBERS_PER_OPERATION} members can be changed in one operation.`);
  }
  return unique;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Member ids are UUIDs; anything else can't be a member (and must never reach a uuid column). */
export const isUuid = (id: string): boolean => UUID.test(id);

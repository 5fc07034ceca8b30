// Groups: POST/PUT parsing and rendering. Membership is carried as ids, never inside `document`.
import { invalidValue } from '../errors.js';
import { assertSafeKeys, getIgnoreCase, isPlainObject } from '../schemas/json.js';
import { GROUP_SCHEMA } from '../schemas/uris.js';
import { normalizeDocument } from './document.js';
import { memberIds } from './members.js';
import { documentEntries, renderMeta } from './meta.js';

export interface GroupWrite {
  displayName: string;
  externalId: string | null;
  /** undefined when the body has no members: PUT then leaves membership unchanged. */
  memberIds: string[] | undefined;
  document: Record<string, unknown>;
}

export interface GroupMemberView {
  value: string;
  display?: string;
}

export interface GroupView {
  id: string;
  displayName: string;
  externalId: string | null;
  document: Record<string, unknown>;
  /** undefined = not loaded (e.g. excludedAttributes=members) → no `members` key at all. */
  members?: GroupMemberView[];
  created: Date;
  lastModified: Date;
  version: number;
  location: string;
}

/** POST /Groups and PUT /Groups/{id} bodies. */
export function parseGroup(body: unknown): GroupWrite {
  if (!isPlainObject(body)) throw invalidValue('The Group must be a JSON object');
  assertSafeKeys(body);
  const document = normalizeDocument('Group', body, ['members']);
  const members = getIgnoreCase(body, 'members');
  return {
    displayName: displayNameOf(document.displayName),
    externalId: externalIdOf(document.externalId),
    memberIds: members === undefined || members === null ? undefined : memberIds(members),
    document,
  };
}

export function renderGroup(view: GroupView): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: view.id,
    ...(view.externalId === null ? {} : { externalId: view.externalId }),
    displayName: view.displayName,
    ...Object.fromEntries(documentEntries(view.document, ['displayName', 'externalId', 'members'])),
    ...(view.members
      ? {
          members: view.members.map((m) => ({
            value: m.value,
            ...(m.display === undefined ? {} : { display: m.display }),
          })),
        }
      : {}),
    meta: renderMeta('Group', view),
  };
}

export function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidValue("Attribute 'displayName' must be a non-empty string");
  }
  return value;
}

export function externalIdOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidValue("Attribute 'externalId' must be a string");
  return value;
}

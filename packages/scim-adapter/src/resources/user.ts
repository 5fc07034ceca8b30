// Users: POST/PUT parsing, PATCH, and rendering. Pure: the caller stores `document` and the columns.
import { invalidValue } from '../errors.js';
import { applyPatch } from '../patch/apply-patch.js';
import { parsePatchBody } from '../patch/parse-body.js';
import { assertSafeKeys, isPlainObject, type JsonObject } from '../schemas/json.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schemas/uris.js';
import { normalizeDocument } from './document.js';
import { documentEntries, renderMeta } from './meta.js';

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface UserWrite {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  emails: ScimEmail[];
  managerId: string | null;
  /** The resource to store and render later (canonical names, typed values, no server-managed attributes). */
  document: Record<string, unknown>;
}

export interface UserGroupView {
  value: string;
  display: string;
}

export interface UserView {
  id: string;
  /** Groups the user is a direct member of (readOnly); undefined = not loaded → no `groups` key. */
  groups?: UserGroupView[];
  document: Record<string, unknown>;
  active: boolean;
  created: Date;
  lastModified: Date;
  version: number;
  location: string;
}

/** POST /Users and PUT /Users/{id} bodies. */
export function parseUser(body: unknown): UserWrite {
  if (!isPlainObject(body)) throw invalidValue('The User must be a JSON object');
  assertSafeKeys(body);
  return toUserWrite(normalizeDocument('User', body));
}

/**
 * PATCH /Users/{id}. `current` is the rendered resource (as renderUser returns it); the result goes
 * through the same normalisation as parseUser, so a PATCH can never store what a POST could not.
 */
export function applyUserPatch(current: Record<string, unknown>, body: unknown): UserWrite {
  const patched = applyPatch(current, parsePatchBody(body), 'User');
  return toUserWrite(normalizeDocument('User', patched));
}

export function renderUser(view: UserView): Record<string, unknown> {
  const extension = view.document[ENTERPRISE_USER_SCHEMA];
  const hasExtension = isPlainObject(extension) && Object.keys(extension).length > 0;
  return {
    schemas: hasExtension ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: view.id,
    ...Object.fromEntries(documentEntries(view.document, ['active', 'password'])),
    active: view.active,
    ...(view.groups === undefined ? {} : { groups: view.groups.map((g) => ({ ...g, type: 'direct' })) }),
    meta: renderMeta('User', view),
  };
}

function toUserWrite(document: JsonObject): UserWrite {
  const { userName } = document;
  if (userName === undefined) throw invalidValue("Attribute 'userName' is required");
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw invalidValue("Attribute 'userName' must be a non-empty string");
  }
  // RFC 7643 leaves an omitted `active` undefined; IdPs create users without it and expect them enabled.
  if (document.active === undefined) document.active = true;
  const name = isPlainObject(document.name) ? document.name : {};
  const extension = document[ENTERPRISE_USER_SCHEMA];
  const manager = isPlainObject(extension) && isPlainObject(extension.manager) ? extension.manager : {};
  return {
    userName,
    externalId: stringOrNull(document.externalId),
    active: document.active === true,
    displayName: stringOrNull(document.displayName),
    givenName: stringOrNull(name.givenName),
    familyName: stringOrNull(name.familyName),
    emails: emailsOf(document.emails),
    managerId: stringOrNull(manager.value),
    document,
  };
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function emailsOf(value: unknown): ScimEmail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).flatMap((el): ScimEmail[] => {
    if (typeof el.value !== 'string') return [];
    return [
      {
        value: el.value,
        ...(typeof el.type === 'string' ? { type: el.type } : {}),
        ...(typeof el.primary === 'boolean' ? { primary: el.primary } : {}),
      },
    ];
  });
}

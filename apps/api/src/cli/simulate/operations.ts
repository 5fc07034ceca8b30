// One SCIM exchange each, as the simulated IdP performs it, with the response parsed by zod.
import type { ScimResponse } from './client.js';
import {
  entraUserCreate,
  entraUserPatch,
  groupAddMembers,
  groupCreate,
  groupRemoveMembers,
  groupRename,
  oktaActivePatch,
  oktaUser,
  type MemberRef,
  type UserPatch,
  type UserTarget,
} from './dialects.js';
import { listResponse, scimUser, withId, type ScimUser } from './responses.js';
import type { Session } from './session.js';
import { diffUser, type UserFacts } from './user-facts.js';

export type Lookup<T> = { found: false } | { found: true; resource: T } | null;

const okta = (s: Session): boolean => s.dialect === 'okta';
/** Okta pages its lookups; Entra sends the bare filter. */
const pageParams = (s: Session): Record<string, string> => (okta(s) ? { startIndex: '1', count: '100' } : {});

function parseList(s: Session, kind: string, res: ScimResponse | null): unknown[] | null {
  if (!res || res.status !== 200) return null;
  const list = listResponse.safeParse(res.body);
  if (!list.success) {
    s.recorder.error({ kind, method: 'GET', path: '-', status: 200, detail: 'not a SCIM ListResponse' });
    return null;
  }
  return list.data.Resources ?? [];
}

function idOf(s: Session, kind: string, method: string, res: ScimResponse | null): string | null {
  if (!res || res.status < 200 || res.status > 299) return null;
  const parsed = withId.safeParse(res.body);
  if (!parsed.success)
    s.recorder.error({ kind, method, path: '-', status: res.status, detail: 'response has no id' });
  return parsed.success ? parsed.data.id : null;
}

/** Test Connection: a user (and a group) that can't exist must give 200 + an empty ListResponse. */
export async function testConnection(s: Session, guid: string): Promise<string | null> {
  const probes: [string, string, Record<string, string>][] = okta(s)
    ? [
        ['testConnection.users', '/Users', { startIndex: '1', count: '1' }],
        ['testConnection.groups', '/Groups', { startIndex: '1', count: '1' }],
      ]
    : [
        ['testConnection.users', '/Users', { filter: `userName eq "${guid}"` }],
        [
          'testConnection.groups',
          '/Groups',
          { excludedAttributes: 'members', filter: `displayName eq "${guid}"` },
        ],
      ];
  for (const [kind, path, query] of probes) {
    const res = await s.client.send(kind, { method: 'GET', path, query, expect: [200] });
    if (!res) return `${path}: no response`;
    if (res.status !== 200) return `${path}: HTTP ${res.status}`;
    const list = listResponse.safeParse(res.body);
    if (!list.success) return `${path}: not a SCIM ListResponse`;
    if (!okta(s) && list.data.totalResults !== 0)
      return `${path}: a random GUID matched ${list.data.totalResults} resources`;
  }
  return null;
}

export async function lookupUser(s: Session, userName: string): Promise<Lookup<ScimUser>> {
  const kind = 'user.lookup';
  const res = await s.client.send(kind, {
    method: 'GET',
    path: '/Users',
    query: { filter: `userName eq "${userName}"`, ...pageParams(s) },
    expect: [200],
  });
  const resources = parseList(s, kind, res);
  if (!resources) return null;
  if (resources.length > 1) {
    s.recorder.error({
      kind,
      method: 'GET',
      path: '/Users',
      status: 200,
      detail: `DuplicateTargetEntries for ${userName}`,
    });
    return null;
  }
  if (resources.length === 0) return { found: false };
  const user = scimUser.safeParse(resources[0]);
  return user.success ? { found: true, resource: user.data } : null;
}

export async function createUser(s: Session, t: UserTarget): Promise<string | null> {
  const body = okta(s) ? oktaUser(t) : entraUserCreate(t);
  const res = await s.client.send('user.create', { method: 'POST', path: '/Users', body, expect: [201] });
  return idOf(s, 'user.create', 'POST', res);
}

export async function getUser(s: Session, id: string): Promise<ScimUser | null> {
  const res = await s.client.send('user.get', { method: 'GET', path: `/Users/${id}`, expect: [200] });
  if (!res || res.status !== 200) return null;
  const user = scimUser.safeParse(res.body);
  if (!user.success)
    s.recorder.error({ kind: 'user.get', method: 'GET', path: '-', status: 200, detail: 'unparseable User' });
  return user.success ? user.data : null;
}

function patchKind(p: UserPatch, initialManager: boolean): string {
  if (initialManager) return 'user.manager';
  if (p.attrs.length === 0 && !p.manager && p.active !== undefined)
    return p.active ? 'user.enable' : 'user.disable';
  return 'user.update';
}

/**
 * Brings the service's user to `target` the way the IdP would after reading it: Entra PATCHes only
 * what differs; Okta PATCHes (de)activation alone and otherwise PUTs the whole user.
 */
export async function syncUser(
  s: Session,
  id: string,
  current: UserFacts,
  target: UserTarget,
  managerId: string | null | undefined,
  opts: { initialManager?: boolean } = {},
): Promise<void> {
  const patch = diffUser(current, target, managerId, { formatted: !okta(s) });
  if (!patch) return;
  const kind = patchKind(patch, opts.initialManager ?? false);
  if (s.dialect === 'okta') {
    if (patch.attrs.length === 0 && !patch.manager && patch.active !== undefined) {
      await s.client.send(kind, {
        method: 'PATCH',
        path: `/Users/${id}`,
        body: oktaActivePatch(patch.active),
        expect: [200, 204],
      });
      return;
    }
    const body = oktaUser(target, { id, managerId: managerId ?? current.managerId });
    await s.client.send(kind, { method: 'PUT', path: `/Users/${id}`, body, expect: [200] });
    return;
  }
  await s.client.send(kind, {
    method: 'PATCH',
    path: `/Users/${id}`,
    body: entraUserPatch(s.dialect, patch),
    expect: [200, 204],
  });
}

/** DELETE, then the read-back Entra's validator does: the id must now be 404. */
export async function deleteUser(s: Session, id: string): Promise<void> {
  await s.client.send('user.delete', { method: 'DELETE', path: `/Users/${id}`, expect: [204] });
  await s.client.send('user.getDeleted', { method: 'GET', path: `/Users/${id}`, expect: [404] });
}

export async function lookupGroup(s: Session, displayName: string): Promise<Lookup<{ id: string }>> {
  const kind = 'group.lookup';
  const query: Record<string, string> = okta(s)
    ? { filter: `displayName eq "${displayName}"`, ...pageParams(s) }
    : { excludedAttributes: 'members', filter: `displayName eq "${displayName}"` };
  const resources = parseList(
    s,
    kind,
    await s.client.send(kind, { method: 'GET', path: '/Groups', query, expect: [200] }),
  );
  if (!resources) return null;
  if (resources.length === 0) return { found: false };
  const group = withId.safeParse(resources[0]);
  return group.success ? { found: true, resource: group.data } : null;
}

export async function createGroup(
  s: Session,
  g: { externalId: string; displayName: string },
): Promise<string | null> {
  const res = await s.client.send('group.create', {
    method: 'POST',
    path: '/Groups',
    body: groupCreate(s.dialect, g),
    expect: [201],
  });
  return idOf(s, 'group.create', 'POST', res);
}

export async function addMembers(s: Session, groupId: string, members: MemberRef[]): Promise<void> {
  const body = groupAddMembers(s.dialect, members);
  await s.client.send('group.addMembers', {
    method: 'PATCH',
    path: `/Groups/${groupId}`,
    body,
    expect: [204, 200],
  });
}

export async function removeMembers(s: Session, groupId: string, memberIds: string[]): Promise<void> {
  const body = groupRemoveMembers(s.dialect, memberIds);
  await s.client.send('group.removeMembers', {
    method: 'PATCH',
    path: `/Groups/${groupId}`,
    body,
    expect: [204, 200],
  });
}

/** Entra reads the group (without members) before writing a non-member attribute; Okta just PATCHes. */
export async function renameGroup(s: Session, groupId: string, displayName: string): Promise<void> {
  if (!okta(s)) {
    const res = await s.client.send('group.get', {
      method: 'GET',
      path: `/Groups/${groupId}`,
      query: { excludedAttributes: 'members' },
      expect: [200],
    });
    if (!res || res.status !== 200) return;
  }
  const body = groupRename(s.dialect, { id: groupId, displayName });
  await s.client.send('group.rename', {
    method: 'PATCH',
    path: `/Groups/${groupId}`,
    body,
    expect: [204, 200],
  });
}

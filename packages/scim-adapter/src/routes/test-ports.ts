// In-memory ports for the plugin's tests: one organization, a tiny user/group store that filters
// only on `eq` over userName / displayName / id, and a writer that applies writes at once with the
// resources module (the real SQL stores and the queue live in the host). Not exported by the package.
import { randomUUID } from 'node:crypto';
import { invalidFilter, invalidValue, notFound, ScimError, uniqueness } from '../errors.js';
import type { Filter } from '../filter/index.js';
import type {
  ListQuery,
  ListResult,
  ResourceReader,
  ResourceType,
  ScimLimits,
  ScimPorts,
  ScimRequestContext,
  StoredResource,
  WriteRequest,
  WriteResult,
} from '../ports.js';
import {
  applyUserPatch,
  parseGroup,
  parseUser,
  planGroupPatch,
  renderGroup,
  renderUser,
  type GroupMemberView,
} from '../resources/index.js';
import { joinUrl } from '../schemas/base-url.js';

export const ORG_ID = '6f1c0f0e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';
export const API_KEY = 'test-scim-key-0123456789';
/** An organization whose SCIM is turned off: its key is right, the answer is still 401. */
export const DISABLED_ORG_ID = '0d9f3a52-8c1e-4b7a-a6d5-3e2f1c0b9a87';
export const DISABLED_ORG_KEY = 'disabled-org-key';

export const TEST_LIMITS: ScimLimits = {
  maxResults: 5,
  defaultCount: 3,
  maxPayloadBytes: 4096,
  maxBulkOperations: 4,
};

interface Row {
  id: string;
  document: Record<string, unknown>;
  created: Date;
  lastModified: Date;
  version: number;
}
interface UserRow extends Row {
  active: boolean;
}
interface GroupRow extends Row {
  displayName: string;
  externalId: string | null;
  members: string[];
}

export interface TestPorts extends ScimPorts {
  users: ResourceReader;
  groups: ResourceReader;
  userRows: Map<string, UserRow>;
  groupRows: Map<string, GroupRow>;
  calls: {
    authenticate: { organizationId: string; key: string }[];
    authenticated: { ctx: ScimRequestContext; userAgent: string | undefined }[];
    lists: { type: ResourceType; query: ListQuery }[];
    gets: { type: ResourceType; id: string; includeMembers: boolean }[];
    writes: WriteRequest[];
  };
  /** The next write answers with this error instead of running. */
  failNextWrite(error: ScimError): void;
  seedUser(body: Record<string, unknown>): string;
  seedGroup(displayName: string, members?: string[]): string;
}

export function createTestPorts(limits: Partial<ScimLimits> = {}): TestPorts {
  const userRows = new Map<string, UserRow>();
  const groupRows = new Map<string, GroupRow>();
  const calls: TestPorts['calls'] = { authenticate: [], authenticated: [], lists: [], gets: [], writes: [] };
  let nextFailure: ScimError | undefined;

  const renderUserRow = (ctx: ScimRequestContext, row: UserRow) =>
    renderUser({ ...row, location: joinUrl(ctx.baseUrl, 'Users', row.id) });
  const renderGroupRow = (ctx: ScimRequestContext, row: GroupRow, includeMembers: boolean) =>
    renderGroup({
      id: row.id,
      displayName: row.displayName,
      externalId: row.externalId,
      document: row.document,
      created: row.created,
      lastModified: row.lastModified,
      version: row.version,
      location: joinUrl(ctx.baseUrl, 'Groups', row.id),
      ...(includeMembers ? { members: row.members.map(memberView) } : {}),
    });
  const memberView = (value: string): GroupMemberView => {
    const display = userRows.get(value)?.document.displayName;
    return typeof display === 'string' ? { value, display } : { value };
  };

  const users: ResourceReader = {
    async list(ctx, query) {
      calls.lists.push({ type: 'User', query });
      const rows = [...userRows.values()].filter((row) =>
        matches(query.filter, { ...row.document, id: row.id }),
      );
      return page(
        sortRows(rows, query, (row) => row.document),
        query,
        (row) => renderUserRow(ctx, row),
      );
    },
    async get(ctx, id, opts) {
      calls.gets.push({ type: 'User', id, ...opts });
      const row = userRows.get(id);
      return row ? stored(renderUserRow(ctx, row), row) : null;
    },
    async version(_ctx, id) {
      return userRows.get(id)?.version ?? null;
    },
  };

  const groups: ResourceReader = {
    async list(ctx, query) {
      calls.lists.push({ type: 'Group', query });
      const rows = [...groupRows.values()].filter((row) =>
        matches(query.filter, { id: row.id, displayName: row.displayName }),
      );
      const sorted = sortRows(rows, query, (row) => ({ displayName: row.displayName }));
      return page(sorted, query, (row) => renderGroupRow(ctx, row, query.includeMembers));
    },
    async get(ctx, id, opts) {
      calls.gets.push({ type: 'Group', id, ...opts });
      const row = groupRows.get(id);
      return row ? stored(renderGroupRow(ctx, row, opts.includeMembers), row) : null;
    },
    async version(_ctx, id) {
      return groupRows.get(id)?.version ?? null;
    },
  };

  function writeUser(ctx: ScimRequestContext, request: WriteRequest): WriteResult {
    if (request.method === 'POST') {
      const user = parseUser(request.body);
      assertUniqueUserName(user.userName, undefined);
      const row: UserRow = { id: randomUUID(), document: user.document, active: user.active, ...fresh() };
      userRows.set(row.id, row);
      return { kind: 'ok', status: 201, id: row.id };
    }
    const row = existing(userRows, request);
    if (request.method === 'DELETE') {
      userRows.delete(row.id);
      for (const group of groupRows.values()) group.members = group.members.filter((m) => m !== row.id);
      return { kind: 'ok', status: 204, id: row.id };
    }
    const user =
      request.method === 'PUT'
        ? parseUser(request.body)
        : applyUserPatch(renderUserRow(ctx, row), request.body);
    assertUniqueUserName(user.userName, row.id);
    Object.assign(row, { document: user.document, active: user.active }, touched(row));
    return { kind: 'ok', status: 200, id: row.id };
  }

  function writeGroup(request: WriteRequest): WriteResult {
    if (request.method === 'POST') {
      const group = parseGroup(request.body);
      assertUniqueDisplayName(group.displayName, undefined);
      const row: GroupRow = {
        id: randomUUID(),
        displayName: group.displayName,
        externalId: group.externalId,
        document: group.document,
        members: group.memberIds ?? [],
        ...fresh(),
      };
      groupRows.set(row.id, row);
      return { kind: 'ok', status: 201, id: row.id };
    }
    const row = existing(groupRows, request);
    if (request.method === 'DELETE') {
      groupRows.delete(row.id);
      return { kind: 'ok', status: 204, id: row.id };
    }
    if (request.method === 'PUT') {
      const group = parseGroup(request.body);
      assertUniqueDisplayName(group.displayName, row.id);
      Object.assign(row, {
        displayName: group.displayName,
        externalId: group.externalId,
        document: group.document,
      });
      if (group.memberIds !== undefined) row.members = group.memberIds;
    } else {
      for (const step of planGroupPatch(request.body)) {
        if (step.kind === 'set') {
          if (step.displayName !== undefined) row.displayName = step.displayName;
          if (step.externalId !== undefined) row.externalId = step.externalId;
        } else if (step.kind === 'addMembers') {
          row.members = [...new Set([...row.members, ...step.ids])];
        } else if (step.kind === 'removeMembers') {
          row.members = row.members.filter((m) => !step.ids.includes(m));
        } else {
          row.members = step.kind === 'replaceMembers' ? step.ids : [];
        }
      }
    }
    Object.assign(row, touched(row));
    return { kind: 'ok', status: 200, id: row.id };
  }

  function assertUniqueUserName(userName: string, self: string | undefined): void {
    const taken = [...userRows.values()].some(
      (row) => row.id !== self && String(row.document.userName).toLowerCase() === userName.toLowerCase(),
    );
    if (taken) throw uniqueness(`A user with userName '${userName}' already exists.`);
  }
  function assertUniqueDisplayName(displayName: string, self: string | undefined): void {
    const taken = [...groupRows.values()].some((row) => row.id !== self && row.displayName === displayName);
    if (taken) throw uniqueness(`A group named '${displayName}' already exists.`);
  }

  return {
    users,
    groups,
    userRows,
    groupRows,
    calls,
    limits: { ...TEST_LIMITS, ...limits },
    auth: {
      async authenticate(organizationId, key) {
        calls.authenticate.push({ organizationId, key });
        // The disabled organization's key is right, and it still fails like any other.
        return organizationId === ORG_ID && key === API_KEY;
      },
    },
    writer: {
      async write(ctx, request) {
        calls.writes.push(request);
        if (nextFailure) {
          const error = nextFailure;
          nextFailure = undefined;
          return { kind: 'error', error };
        }
        try {
          return request.resource === 'User' ? writeUser(ctx, request) : writeGroup(request);
        } catch (error) {
          // The worker reports domain and validation failures as results, not exceptions.
          if (error instanceof ScimError) return { kind: 'error', error };
          throw error;
        }
      },
    },
    onAuthenticated: (ctx, userAgent) => calls.authenticated.push({ ctx, userAgent }),
    failNextWrite(error) {
      nextFailure = error;
    },
    seedUser(body) {
      const user = parseUser(body);
      const row: UserRow = { id: randomUUID(), document: user.document, active: user.active, ...fresh() };
      userRows.set(row.id, row);
      return row.id;
    },
    seedGroup(displayName, members = []) {
      const document = { displayName };
      const row: GroupRow = {
        id: randomUUID(),
        displayName,
        externalId: null,
        document,
        members,
        ...fresh(),
      };
      groupRows.set(row.id, row);
      return row.id;
    },
  };
}

const fresh = () => ({ created: new Date(0), lastModified: new Date(0), version: 1 });
const touched = (row: Row) => ({ lastModified: new Date(), version: row.version + 1 });
const stored = (resource: Record<string, unknown>, row: Row): StoredResource => ({
  resource,
  version: row.version,
});

function existing<R extends Row>(rows: Map<string, R>, request: WriteRequest): R {
  const row = request.id === undefined ? undefined : rows.get(request.id);
  if (!row) throw notFound(`Resource ${request.id} not found.`);
  // The worker re-checks If-Match inside its transaction.
  if (request.ifMatch !== undefined && request.ifMatch !== row.version) {
    throw new ScimError(412, 'The resource has changed.');
  }
  return row;
}

const FILTERABLE = new Set(['username', 'displayname', 'id']);

/** `eq` on userName / displayName (case-insensitive) or id (exact); anything else is unsupported here. */
function matches(filter: Filter | undefined, values: Record<string, unknown>): boolean {
  if (filter === undefined) return true;
  if (
    filter.kind !== 'compare' ||
    filter.op !== 'eq' ||
    filter.path.uri !== undefined ||
    filter.path.sub !== undefined
  ) {
    throw invalidFilter('The test store supports only eq on userName, displayName and id');
  }
  const attr = filter.path.attr.toLowerCase();
  if (!FILTERABLE.has(attr)) throw invalidFilter(`The test store cannot filter on ${filter.path.attr}`);
  const key = Object.keys(values).find((k) => k.toLowerCase() === attr);
  const actual = key === undefined ? undefined : values[key];
  if (typeof actual !== 'string' || typeof filter.value !== 'string') return false;
  return attr === 'id' ? actual === filter.value : actual.toLowerCase() === filter.value.toLowerCase();
}

function sortRows<R>(rows: R[], query: ListQuery, values: (row: R) => Record<string, unknown>): R[] {
  if (query.sortBy === undefined) return rows;
  const attr = query.sortBy.attr.toLowerCase();
  const valueOf = (row: R) => {
    const entry = Object.entries(values(row)).find(([k]) => k.toLowerCase() === attr);
    return typeof entry?.[1] === 'string' ? entry[1] : '';
  };
  const sorted = [...rows].sort((a, b) => valueOf(a).localeCompare(valueOf(b)));
  return query.sortOrder === 'descending' ? sorted.reverse() : sorted;
}

/** Index pagination, or RFC 9865 cursors that are plain offsets here. */
function page<R>(rows: R[], query: ListQuery, render: (row: R) => Record<string, unknown>): ListResult {
  let offset = query.startIndex - 1;
  if (query.cursor !== undefined) {
    offset = query.cursor === '' ? 0 : Number(query.cursor);
    if (!Number.isSafeInteger(offset) || offset < 0) throw invalidValue('Unknown cursor');
  }
  const slice = rows.slice(offset, offset + query.count);
  const result: ListResult = { totalResults: rows.length, resources: slice.map(render) };
  const end = offset + slice.length;
  if (query.cursor !== undefined && end < rows.length) result.nextCursor = String(end);
  return result;
}

// The verifier's reading half: the service's state over SCIM only — /ServiceProviderConfig for the
// page size, paged GET /Users and /Groups, GET /Groups/{id} for each group's members.
import { listResponse, scimGroup, scimUser, serviceProviderConfig } from './responses.js';
import type { Session } from './session.js';
import { userFacts, type UserFacts } from './user-facts.js';
import {
  diffStates,
  expectedState,
  type ActualState,
  type Difference,
  type GroupFacts,
} from './verify-diff.js';

export interface Verification {
  ok: boolean;
  users: number;
  groups: number;
  differences: Difference[];
  /** Reading problems (pages that failed, unparseable resources): the comparison is incomplete. */
  problems: string[];
}

const DEFAULT_PAGE = 100;

export async function verify(s: Session): Promise<Verification> {
  const problems: string[] = [];
  const page = await pageSize(s, problems);
  const users: UserFacts[] = [];
  for (const raw of await listAll(s, 'verify.users', '/Users', {}, page, problems)) {
    const parsed = scimUser.safeParse(raw);
    if (parsed.success) users.push(userFacts(parsed.data));
    else problems.push(`unparseable User in /Users: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const expected = expectedState(s.directory, s.userIds, s.groupIds, s.dialect);
  const expectedIds = new Set(expected.groups.map((g) => g.id));
  const groupRows = await listAll(
    s,
    'verify.groups',
    '/Groups',
    { excludedAttributes: 'members' },
    page,
    problems,
  );
  let membersLeaked = false;
  const groups = await Promise.all(
    groupRows.map(async (raw): Promise<GroupFacts | null> => {
      const row = scimGroup.safeParse(raw);
      if (!row.success) {
        problems.push('unparseable Group in /Groups');
        return null;
      }
      if (row.data.members) membersLeaked = true;
      // Other tenants' groups in the same organization are not ours to compare.
      if (!expectedIds.has(row.data.id) && !expected.ownsGroup(row.data.displayName)) return null;
      return s.semaphore.use(() => readGroup(s, row.data.id, problems));
    }),
  );
  if (membersLeaked) problems.push('/Groups returned members despite excludedAttributes=members');
  const actual: ActualState = { users, groups: groups.filter((g): g is GroupFacts => g !== null) };
  const differences = diffStates(expected, actual);
  s.tick();
  return {
    ok: differences.length === 0 && problems.length === 0,
    users: expected.users.length,
    groups: expected.groups.length,
    differences,
    problems,
  };
}

async function pageSize(s: Session, problems: string[]): Promise<number> {
  const res = await s.client.send('verify.config', {
    method: 'GET',
    path: '/ServiceProviderConfig',
    expect: [200],
  });
  const config = serviceProviderConfig.safeParse(res?.body);
  const max = config.success ? config.data.filter?.maxResults : undefined;
  if (!max) problems.push('/ServiceProviderConfig has no filter.maxResults; paging by 100');
  return max ?? DEFAULT_PAGE;
}

/** Index pagination until totalResults is reached; bounded by the page count totalResults implies. */
async function listAll(
  s: Session,
  kind: string,
  path: string,
  query: Record<string, string>,
  count: number,
  problems: string[],
): Promise<unknown[]> {
  const all: unknown[] = [];
  let total = Infinity;
  for (
    let pages = 0;
    all.length < total && pages <= Math.ceil(Math.min(total, 10_000_000) / count) + 1;
    pages++
  ) {
    const res = await s.client.send(kind, {
      method: 'GET',
      path,
      query: { ...query, startIndex: String(all.length + 1), count: String(count) },
      expect: [200],
    });
    const list = listResponse.safeParse(res?.body);
    if (!res || res.status !== 200 || !list.success) {
      problems.push(`${path} page at ${all.length + 1}: ${res ? `HTTP ${res.status}` : 'no response'}`);
      break;
    }
    total = list.data.totalResults;
    const resources = list.data.Resources ?? [];
    if (resources.length === 0) break;
    all.push(...resources);
  }
  if (Number.isFinite(total) && all.length !== total)
    problems.push(`${path}: read ${all.length} of totalResults ${total}`);
  return all;
}

async function readGroup(s: Session, id: string, problems: string[]): Promise<GroupFacts | null> {
  const res = await s.client.send('verify.group', { method: 'GET', path: `/Groups/${id}`, expect: [200] });
  const group = scimGroup.safeParse(res?.body);
  if (!res || res.status !== 200 || !group.success) {
    problems.push(`/Groups/${id}: ${res ? `HTTP ${res.status}` : 'no response'}`);
    return null;
  }
  const g = group.data;
  return {
    id: g.id,
    displayName: g.displayName,
    externalId: g.externalId ?? null,
    memberIds: (g.members ?? []).map((m) => m.value),
  };
}

// The initial cycle: match-or-create every user (manager linked by a separate request once the
// manager exists), then match-or-create every group and add its members in PATCH batches.
import type { MemberRef } from './dialects.js';
import type { SimGroup, SimUser } from './directory.js';
import { addMembers, createGroup, createUser, lookupGroup, lookupUser, syncUser } from './operations.js';
import { skipped, type Session } from './session.js';
import { userTarget } from './target.js';
import { factsFromTarget, userFacts, type UserFacts } from './user-facts.js';

/** Entra adds several members per PATCH; 50 keeps bodies small at any group size. */
export const MEMBER_BATCH = 50;

interface Deferred {
  promise: Promise<string | null>;
  resolve: (id: string | null) => void;
}

function deferred(): Deferred {
  let resolve: (id: string | null) => void = () => undefined;
  const promise = new Promise<string | null>((r) => (resolve = r));
  return { promise, resolve };
}

export async function runInitialCycle(s: Session): Promise<void> {
  const users = s.directory.users.filter((u) => u.state !== 'deleted');
  const ready = new Map(users.map((u) => [u.key, deferred()]));
  await Promise.all(users.map((u) => provisionUser(s, u, ready)));
  await Promise.all(s.directory.groups.map((g) => provisionGroup(s, g)));
}

async function provisionUser(s: Session, u: SimUser, ready: Map<string, Deferred>): Promise<void> {
  const mine = ready.get(u.key);
  let created: { id: string; current: UserFacts | null } | null = null;
  try {
    created = await s.semaphore.use(() => matchOrCreate(s, u));
  } finally {
    // Reports waiting for this manager go on either way (without it if it failed).
    mine?.resolve(created?.id ?? null);
  }
  if (created && u.managerKey) {
    const managerId = await ready.get(u.managerKey)?.promise;
    if (managerId) {
      const { id, current } = created;
      // A freshly created user has no manager yet: Entra's reference write is an `Add`.
      const facts = current ?? factsFromTarget(id, userTarget(u), null);
      await s.semaphore.use(() => syncUser(s, id, facts, userTarget(u), managerId, { initialManager: true }));
    } else {
      skipped(s, 'user.manager', `manager of ${u.userPrincipalName}`);
    }
  }
  s.tick();
}

/** Lookup by the matching attribute; create when absent, else bring the match up to date. */
async function matchOrCreate(
  s: Session,
  u: SimUser,
): Promise<{ id: string; current: UserFacts | null } | null> {
  const target = userTarget(u);
  const match = await lookupUser(s, target.userName);
  if (!match) return null;
  if (!match.found) {
    const id = await createUser(s, target);
    if (id) s.userIds.set(u.key, id);
    return id ? { id, current: null } : null;
  }
  const current = userFacts(match.resource);
  s.userIds.set(u.key, current.id);
  // Manager left for the reference step; everything else now.
  await syncUser(s, current.id, current, target, undefined);
  return { id: current.id, current: factsFromTarget(current.id, target, current.managerId) };
}

async function provisionGroup(s: Session, g: SimGroup): Promise<void> {
  const id = await s.semaphore.use(async () => {
    const match = await lookupGroup(s, g.displayName);
    if (!match) return null;
    if (match.found) return match.resource.id;
    return createGroup(s, { externalId: g.key, displayName: g.displayName });
  });
  if (!id) {
    s.tick();
    return;
  }
  s.groupIds.set(g.key, id);
  const members: MemberRef[] = [];
  for (const key of g.members) {
    const memberId = s.userIds.get(key);
    const user = s.directory.index.get(key);
    if (memberId && user) members.push({ id: memberId, display: user.displayName });
    else skipped(s, 'group.addMembers', `member ${user?.userPrincipalName ?? key}`);
  }
  for (let i = 0; i < members.length; i += MEMBER_BATCH) {
    const batch = members.slice(i, i + MEMBER_BATCH);
    await s.semaphore.use(() => addMembers(s, id, batch));
  }
  s.tick();
}

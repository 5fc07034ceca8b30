// Incremental cycles: plan X changes from the seed, then replay each the way Entra does (read the
// user by id, PATCH the difference; DELETE then read back 404; group renames and member changes).
import { planCycle, changeKeys, type Change } from './changes.js';
import { deleteUser, getUser, addMembers, removeMembers, renameGroup, syncUser } from './operations.js';
import type { Rng } from './prng.js';
import { runKeyed } from './scheduler.js';
import { skipped, type Session } from './session.js';
import { userTarget } from './target.js';
import { userFacts } from './user-facts.js';

export async function runIncrementalCycle(s: Session, rng: Rng, count: number): Promise<Change[]> {
  const changes = planCycle(s.directory, rng, count, s.dialect);
  await runKeyed(
    changes.map((c) => ({
      keys: changeKeys(c),
      run: async () => {
        await applyChange(s, c);
        s.tick();
      },
    })),
    s.semaphore,
  );
  return changes;
}

async function applyChange(s: Session, c: Change): Promise<void> {
  switch (c.kind) {
    case 'updateUser':
    case 'disableUser':
    case 'enableUser':
    case 'softDeleteUser':
      return updateUser(s, c.user);
    case 'hardDeleteUser': {
      const id = s.userIds.get(c.user);
      if (!id) return skipped(s, 'user.delete', `user ${c.user}`);
      if (c.softFirst) await updateUser(s, c.user);
      return deleteUser(s, id);
    }
    case 'renameGroup': {
      const id = s.groupIds.get(c.group);
      if (!id) return skipped(s, 'group.rename', `group ${c.group}`);
      return renameGroup(s, id, c.displayName);
    }
    case 'addMembers':
    case 'removeMembers': {
      const id = s.groupIds.get(c.group);
      if (!id) return skipped(s, `group.${c.kind}`, `group ${c.group}`);
      const members = c.users.flatMap((key) => {
        const memberId = s.userIds.get(key);
        const user = s.directory.index.get(key);
        return memberId && user ? [{ id: memberId, display: user.displayName }] : [];
      });
      if (members.length < c.users.length) skipped(s, `group.${c.kind}`, 'a member');
      if (members.length === 0) return;
      return c.kind === 'addMembers'
        ? addMembers(s, id, members)
        : removeMembers(
            s,
            id,
            members.map((m) => m.id),
          );
    }
  }
}

/** GET /Users/{id}, then the dialect's PATCH (or Okta's PUT) with whatever differs from the source. */
async function updateUser(s: Session, key: string): Promise<void> {
  const u = s.directory.index.get(key);
  const id = s.userIds.get(key);
  if (!u || !id) return skipped(s, 'user.update', `user ${key}`);
  const current = await getUser(s, id);
  if (!current) return;
  // A hard-deleted user is disabled before its DELETE: its target is the soft-deleted state.
  const target = { ...userTarget(u), active: u.state === 'present' ? u.active : false };
  const managerId = u.managerKey ? s.userIds.get(u.managerKey) : undefined;
  if (u.managerKey && !managerId) skipped(s, 'user.update', `manager of ${u.userPrincipalName}`);
  await syncUser(s, id, userFacts(current), target, managerId);
}

// Seeds users straight through the domain service in one transaction (what the worker's handler
// does per job), for tests whose subject is the writes that follow, not the seeding.
import type { MikroORM } from '@mikro-orm/core';
import { provisionMember } from '@repo/domain';
import { scimContext } from '@repo/domain/testing';
import { parseUser } from '@repo/scim-adapter';
import { userBody } from './pipeline-scim.js';

export async function seedUsers(
  orm: MikroORM,
  organizationId: string,
  userNames: string[],
): Promise<string[]> {
  return orm.em.fork().transactional(async (em) => {
    const ids: string[] = [];
    for (const userName of userNames) {
      const member = await provisionMember(scimContext(em, organizationId), parseUser(userBody(userName)), {
        invitations: { publicUrl: 'http://localhost:3000' },
      });
      ids.push(member.id);
    }
    return ids;
  });
}

// A SCIM update that leaves the indexed columns alone is written as a heap-only tuple on
// PostgreSQL: the row's new version stays on its page and none of member's indexes gets an entry.
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSql, plainTransaction, updateMember, type MemberInput } from '../src/index.js';
import {
  createTestDatabase,
  createTestOrm,
  makeOrganization,
  scimContext,
  type TestDatabase,
} from '../src/testing/index.js';

describe('member updates on postgresql', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let organizationId: string;

  beforeAll(async () => {
    db = await createTestDatabase('postgresql', 'member_updates');
    orm = await createTestOrm(db);
    organizationId = (await makeOrganization(orm, { name: 'Updates' })).organization.id;
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('an update of unindexed attributes adds no index entries (heap-only, room left on each page)', async () => {
    // 600 members with documents of about 1 kB, the size Entra's users with an enterprise
    // extension reach: inserted one after another, as a sync does, they fill page after page.
    const ids = await plainTransaction(orm.em, async (em) => {
      const rows = await executeSql(
        em,
        `insert into member (id, organization_id, user_name, user_name_lower, email, email_lower, external_id,
           status, role, scim_managed, document, version, created_at, updated_at)
         select gen_random_uuid(), ?, 'User' || i || '@u.test', 'user' || i || '@u.test', 'User' || i || '@u.test',
           'user' || i || '@u.test', 'ext-' || i, 'invited', 'user', true, jsonb_build_object('userName', 'User' || i || '@u.test',
           'department', repeat('d', 900)), 1, now(), now()
         from generate_series(1, 600) as s(i) order by i returning id`,
        [organizationId],
      );
      return rows.map((r) => String(r['id']));
    });

    // Every tenth member (one per page or so), with a new displayName and manager, in one transaction
    // whose own statistics count the heap-only updates.
    const sample = ids.filter((_, i) => i % 10 === 0);
    const heapOnly = await plainTransaction(orm.em, async (em) => {
      for (const [n, id] of sample.entries()) {
        const input: MemberInput = {
          userName: `User${n * 10 + 1}@u.test`,
          externalId: `ext-${n * 10 + 1}`,
          active: true,
          displayName: 'Renamed',
          givenName: null,
          familyName: null,
          emails: [],
          managerId: 'boss',
          document: {
            userName: `User${n * 10 + 1}@u.test`,
            department: 'd'.repeat(900),
            displayName: 'Renamed',
          },
        };
        await updateMember(scimContext(em, organizationId), id, input);
      }
      const [row] = await executeSql(
        em,
        "select pg_stat_get_xact_tuples_hot_updated('member'::regclass) as n",
      );
      return Number(row?.['n']);
    });
    expect(sample).toHaveLength(60);
    expect(heapOnly).toBeGreaterThanOrEqual(54);
  });
});

// The per-request EntityManager: forked for tRPC, GraphQL and the dashboard, not for SCIM (plain
// SQL on the shared EntityManager), so a lookup pays for no fork and no async context.
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { createTestDatabase, createTestOrm, type TestDatabase } from '@repo/domain/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormContextPlugin } from '../src/plugins/orm-context.plugin.js';

describe('ormContextPlugin', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'orm-context');
    orm = await createTestOrm(db);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('forks one EntityManager per request, except under the prefixes it is told to skip', async () => {
    const app = Fastify();
    await app.register(ormContextPlugin, { orm, without: ['/scim/v2'] });
    const seen = new Set<unknown>();
    const handler = async () => {
      const em = RequestContext.getEntityManager();
      seen.add(em);
      return { forked: em !== undefined && em !== orm.em };
    };
    app.get('/scim/v2/:org/Users', handler);
    app.get('/trpc/members.list', handler);
    const get = async (url: string) => (await app.inject({ method: 'GET', url })).json<{ forked: boolean }>();
    expect(await get('/trpc/members.list')).toEqual({ forked: true });
    expect(await get('/trpc/members.list')).toEqual({ forked: true });
    expect(seen.size).toBe(2); // a fresh fork each time
    expect(await get('/scim/v2/org-1/Users')).toEqual({ forked: false });
    await app.close();
  });
});

// The activity report's hourly counts (rollUpActivity, rebuildActivityRollup) on both databases.
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSql, rebuildActivityRollup, rollUpActivity } from '../src/index.js';
import {
  createTestDatabase,
  createTestOrm,
  makeOrganization,
  type TestDatabase,
} from '../src/testing/index.js';

const HOUR = 3_600_000;
const H0 = Date.parse('2026-04-10T00:00:00.000Z');
const at = (hour: number, minute = 0) => new Date(H0 + hour * HOUR + minute * 60_000);

describe.each(['postgresql', 'sqlite'] as const)('activity roll-up on %s', (kind) => {
  let db: TestDatabase;
  let orm: MikroORM;
  let org: string;
  let other: string;
  const time = (d: Date) => (kind === 'postgresql' ? d : d.getTime());

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'activity_rollup');
    orm = await createTestOrm(db);
    org = (await makeOrganization(orm, { name: 'Counted' })).organization.id;
    other = (await makeOrganization(orm, { name: 'Other' })).organization.id;
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function event(
    createdAt: Date,
    action: string,
    opts: { outcome?: 'success' | 'failure'; actor?: 'scim' | 'admin'; organizationId?: string } = {},
  ) {
    await executeSql(
      orm.em.fork(),
      `insert into audit_event (organization_id, actor, action, outcome, target_type, created_at)
       values (?, ?, ?, ?, 'member', ?)`,
      [opts.organizationId ?? org, opts.actor ?? 'scim', action, opts.outcome ?? 'success', time(createdAt)],
    );
  }

  /** The counted rows, as comparable text. */
  async function counted(): Promise<string[]> {
    const rows = await executeSql(
      orm.em.fork(),
      `select o.name, h.hour, h.actor, h.action, h.outcome, h.events
       from audit_activity_hour h join organization o on o.id = h.organization_id`,
    );
    return rows
      .map((r) => {
        const hour = new Date(typeof r['hour'] === 'string' ? r['hour'] : Number(r['hour']));
        const h = (hour.getTime() - H0) / HOUR;
        return `${String(r['name'])} h${h} ${String(r['actor'])} ${String(r['action'])} ${String(r['outcome'])} ×${Number(r['events'])}`;
      })
      .sort();
  }

  it('counts each hour once it has closed and settled, per organization, actor, action and outcome', async () => {
    await event(at(0, 5), 'member.invited');
    await event(at(0, 50), 'member.invited');
    await event(at(0, 59), 'user.create', { outcome: 'failure' });
    await event(at(0, 30), 'member.invited', { organizationId: other });
    await event(at(2, 1), 'member.revoked', { actor: 'admin' });
    await event(at(3, 1), 'member.updated');

    // 3:03 — hour 2 closed three minutes ago: events may still be committing for it.
    const first = await rollUpActivity(orm.em.fork(), { now: at(3, 3) });
    expect(first).toEqual({ rolledUntil: at(2), hours: 2 });
    expect(await counted()).toEqual([
      'Counted h0 scim member.invited success ×2',
      'Counted h0 scim user.create failure ×1',
      'Other h0 scim member.invited success ×1',
    ]);

    const second = await rollUpActivity(orm.em.fork(), { now: at(3, 6) });
    expect(second).toEqual({ rolledUntil: at(3), hours: 1 });
    expect(await counted()).toContain('Counted h2 admin member.revoked success ×1');
    expect(await counted()).toHaveLength(4);

    // Nothing new has settled: nothing changes.
    expect(await rollUpActivity(orm.em.fork(), { now: at(3, 50) })).toEqual({ rolledUntil: at(3), hours: 0 });
    expect(await counted()).toHaveLength(4);
  });

  it('counts a backdated event only when rebuilt from its time', async () => {
    await event(at(0, 10), 'member.invited');
    await rollUpActivity(orm.em.fork(), { now: at(4, 6) });
    expect(await counted()).toContain('Counted h0 scim member.invited success ×2');

    const rebuilt = await rebuildActivityRollup(orm.em.fork(), at(0, 40), { now: at(4, 6) });
    expect(rebuilt).toEqual({ rolledUntil: at(4), hours: 4 });
    expect(await counted()).toEqual([
      'Counted h0 scim member.invited success ×3',
      'Counted h0 scim user.create failure ×1',
      'Counted h2 admin member.revoked success ×1',
      'Counted h3 scim member.updated success ×1',
      'Other h0 scim member.invited success ×1',
    ]);
  });

  it('works through a long history a week per transaction, resuming where the last call stopped', async () => {
    await event(at(24 * 20, 15), 'group.created');
    const now = at(24 * 20 + 1, 10);
    const partial = await rollUpActivity(orm.em.fork(), { now, maxChunks: 1 });
    expect(partial).toEqual({ rolledUntil: at(4 + 24 * 7), hours: 24 * 7 });
    expect(await counted()).not.toContain('Counted h480 scim group.created success ×1');

    const rest = await rollUpActivity(orm.em.fork(), { now });
    expect(rest).toEqual({ rolledUntil: at(24 * 20 + 1), hours: 24 * 20 + 1 - (4 + 24 * 7) });
    expect(await counted()).toContain('Counted h480 scim group.created success ×1');
  });
  it.runIf(kind === 'postgresql')(
    "reads an hour of events, and the oldest event's time, by index, not the whole table",
    async () => {
      const plans = await orm.em.fork().transactional(async (em) => {
        await executeSql(em, 'set local enable_seqscan = off');
        const explain = async (sql: string, params: unknown[] = []) =>
          (await executeSql(em, `explain ${sql}`, params)).map((r) => String(r['QUERY PLAN'])).join('\n');
        return [
          await explain(
            'select organization_id, actor, action, outcome, count(*) from audit_event where created_at >= ? and created_at < ? group by 1, 2, 3, 4',
            [at(0), at(1)],
          ),
          await explain('select min(created_at) from audit_event'),
        ];
      });
      for (const plan of plans) expect(plan).toContain('audit_event_created_index');
    },
  );
});

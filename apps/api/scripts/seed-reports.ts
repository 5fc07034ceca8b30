// Throwaway benchmark for the GraphQL reports (issue 9, item 6): seeds a PostgreSQL database with
// one organization of 100k members and 1M audit events (plus a smaller neighbour), set-based with
// generate_series, then times membershipSummary / syncFailureStats (and the other reports) as
// GraphQL requests through the real app, and prints EXPLAIN ANALYZE of their SQL.
//
//   node --import tsx scripts/seed-reports.ts [--reset] [--explain] [--runs 50]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scim_reports_bench (default)
import { performance } from 'node:perf_hooks';
import { createAdminToken, executeSql, initOrm, migrate } from '@repo/domain';
import { createProducer } from '@repo/jobs';
import type { MikroORM } from '@mikro-orm/core';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/scim_reports_bench';
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 50;
const BIG = '00000000-0000-4000-8000-00000000b16b';
const SMALL = '00000000-0000-4000-8000-0000000005a1';

async function admin(statement: string) {
  const orm = await initOrm({ url: url.replace(/\/[^/]+$/, '/postgres'), pool: { min: 0, max: 1 } });
  try {
    await executeSql(orm.em.fork(), statement);
  } finally {
    await orm.close(true);
  }
}

const run = (orm: MikroORM, statement: string, params: unknown[] = []) =>
  executeSql(orm.em.fork(), statement, params);

async function seedOrganization(
  orm: MikroORM,
  id: string,
  name: string,
  members: number,
  events: number,
  failures: number,
) {
  const t0 = performance.now();
  await run(
    orm,
    `insert into organization (id, name, seats, provision_mode, notification_recipients, created_at, updated_at)
    values (?, ?, ?, 'invite', '[]', now(), now())`,
    [id, name, members + 10_000],
  );
  // 70% confirmed, 10% invited, 5% accepted, 5% staged, 10% revoked; 90% SCIM-managed.
  await run(
    orm,
    `insert into member (id, organization_id, user_name, user_name_lower, email, email_lower, status, role,
      scim_managed, document, version, created_at, updated_at)
    select gen_random_uuid(), ?, 'User' || i || '@' || ?, 'user' || i || '@' || ?, 'user' || i || '@' || ?, 'user' || i || '@' || ?,
      (array['confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed','confirmed',
             'confirmed','confirmed','confirmed','confirmed','invited','invited','accepted','staged','revoked','revoked'])[1 + i % 20],
      'user', i % 10 <> 0, '{}', 1, now() - interval '90 days' + i * interval '50 ms', now()
    from generate_series(1, ?) i`,
    [id, name, name, name, name, members],
  );
  await run(
    orm,
    `insert into member_group (id, organization_id, display_name, display_name_lower, document, member_count, version, created_at, updated_at)
    select gen_random_uuid(), ?, 'Group ' || g, 'group ' || g, '{}', 0, 1, now(), now() from generate_series(0, 199) g`,
    [id],
  );
  // Every member in two of the 200 groups.
  await run(
    orm,
    `insert into group_membership (group_id, member_id, created_at)
    select g.id, m.id, now()
    from (select id, row_number() over (order by created_at, id) as rn from member where organization_id = ?) m
    join member_group g on g.organization_id = ? and g.display_name_lower in ('group ' || (m.rn % 200), 'group ' || ((m.rn * 7 + 3) % 200))`,
    [id, id],
  );
  await run(
    orm,
    `update member_group g set member_count = c.n from
    (select group_id, count(*) as n from group_membership group by group_id) c where c.group_id = g.id and g.organization_id = ?`,
    [id],
  );
  await run(
    orm,
    `insert into sync_failure (id, organization_id, fingerprint, resource_type, operation, target, code, message,
      attempts, occurrences, status, first_seen_at, last_seen_at, resolved_at)
    select gen_random_uuid(), ?, md5(? || i), (array['User','User','User','Group','Member','Organization'])[1 + i % 6],
      (array['create','replace','patch','delete'])[1 + i % 4], 'target-' || i,
      (array['seat_limit','conflict','invalid_value','unknown_members','not_found','last_owner','precondition_failed'])[1 + (i / 3) % 7],
      'failed', 1, 1 + i % 40,
      (array['open','open','open','open','resolved','resolved','resolved','resolved','resolved','dismissed'])[1 + i % 10],
      now() - interval '90 days' + i * (interval '90 days' / ?), now() - interval '90 days' + i * (interval '90 days' / ?) + (i % 72) * interval '1 hour',
      null
    from generate_series(1, ?) i`,
    [id, id, failures, failures, failures],
  );
  // ~8% failures; actions as the domain writes them.
  await run(
    orm,
    `insert into audit_event (organization_id, actor, actor_id, action, outcome, target_type, target_id, created_at)
    select ?, (array['scim','scim','scim','admin','system'])[1 + i % 5], null,
      case when i % 12 = 0 then (array['user.create','user.patch','group.patch'])[1 + i % 3]
           else (array['member.invited','member.updated','member.revoked','member.restored','group.members_added','group.members_removed','invitation.accepted','member.confirmed'])[1 + i % 8] end,
      case when i % 12 = 0 then 'failure' else 'success' end,
      case when i % 12 = 0 then 'sync_failure' else 'member' end,
      gen_random_uuid()::text,
      now() - interval '90 days' + i * (interval '90 days' / ?)
    from generate_series(1, ?) i`,
    [id, events, events],
  );
  console.log(
    `seeded ${name}: ${members} members, ${events} audit events, ${failures} sync failures in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function seed(orm: MikroORM) {
  const [row] = await run(orm, 'select count(*) as n from organization where id = ?', [BIG]);
  if (Number(row?.['n']) > 0) return console.log('already seeded (use --reset to start over)');
  await seedOrganization(orm, BIG, 'big.test', 100_000, 1_000_000, 20_000);
  await seedOrganization(orm, SMALL, 'small.test', 10_000, 100_000, 2_000);
  await run(orm, 'vacuum analyze');
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

const REPORTS: [string, string][] = [
  [
    'membershipSummary',
    'membershipSummary { total scimManaged notScimManaged seatsUsed seatLimit seatsAvailable byStatus { status total scimManaged notScimManaged } }',
  ],
  ['syncFailureStats CODE (all time)', 'syncFailureStats(groupBy: CODE) { key failures occurrences open }'],
  [
    'syncFailureStats DAY (30 days)',
    'syncFailureStats(groupBy: DAY, range: { from: "$FROM30" }) { key failures occurrences open }',
  ],
  [
    'syncFailureStats RESOURCE_TYPE (open, 7 days)',
    'syncFailureStats(groupBy: RESOURCE_TYPE, status: [OPEN], range: { from: "$FROM7" }) { key failures occurrences open }',
  ],
  [
    'provisioningActivity DAY (30 days)',
    'provisioningActivity(range: { from: "$FROM30" }, bucket: DAY) { points { start total failed } }',
  ],
  [
    'provisioningActivity HOUR (7 days)',
    'provisioningActivity(range: { from: "$FROM7" }, bucket: HOUR) { points { start total failed } }',
  ],
  [
    'members page of 100 with groups',
    'members(first: 100) { edges { node { id userName status groups { id displayName } } } }',
  ],
  [
    'members search "user4242" + totalCount',
    'members(first: 20, filter: { search: "user4242" }) { totalCount edges { node { id } } }',
  ],
];

async function measure(orm: MikroORM) {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: 'bench-reports',
  });
  const logger = pino({ level: 'warn' });
  const producer = createProducer({
    connection: config.redis.url,
    prefix: config.redis.prefix,
    pendingLimitPerOrg: 10,
    waitTimeoutMs: 1000,
    logger,
  });
  const app = await buildApp({ config, orm, producer, logger });
  const token = (
    await orm.em.fork().transactional((em) => createAdminToken(em, { organizationId: BIG, role: 'reader' }))
  ).token;
  const from30 = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const from7 = new Date(Date.now() - 7 * 86_400_000).toISOString();
  console.log(
    `\n${runs} sequential requests each (after 5 warm-ups), ms from request to parsed response (app.inject):`,
  );
  for (const [label, selection] of REPORTS) {
    const query = `query($org: ID!) { organization(id: $org) { ${selection.replace('$FROM30', from30).replace('$FROM7', from7)} } }`;
    const once = async () => {
      const t0 = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: { query, variables: { org: BIG } },
      });
      const body = res.json<{ errors?: unknown }>();
      if (body.errors) throw new Error(`${label}: ${JSON.stringify(body.errors)}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) await once();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await once());
    const s = stats(samples);
    console.log(
      `  ${label.padEnd(46)} p50 ${s.p50.toFixed(1).padStart(6)}  p95 ${s.p95.toFixed(1).padStart(6)}  max ${s.max.toFixed(1).padStart(6)}`,
    );
  }
  await app.close();
  await producer.close();
}

async function explain(orm: MikroORM) {
  const queries: [string, string][] = [
    [
      'membershipSummary',
      `select m.status, m.scim_managed, count(*) as n from member m where m.organization_id = '${BIG}' group by m.status, m.scim_managed`,
    ],
    [
      'syncFailureStats CODE',
      `select f.code, count(*), sum(f.occurrences), sum(case when f.status = 'open' then 1 else 0 end) from sync_failure f where f.organization_id = '${BIG}' group by f.code`,
    ],
    [
      'syncFailureStats DAY 30d',
      `select to_char(f.last_seen_at at time zone 'UTC', 'YYYY-MM-DD'), count(*), sum(f.occurrences) from sync_failure f where f.organization_id = '${BIG}' and f.last_seen_at >= now() - interval '30 days' group by 1`,
    ],
    [
      'provisioningActivity DAY 30d',
      `select to_char(date_trunc('day', a.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"'), a.action, a.outcome, count(*) from audit_event a where a.organization_id = '${BIG}' and a.created_at >= now() - interval '30 days' and a.created_at < now() group by 1, 2, 3`,
    ],
  ];
  for (const [label, statement] of queries) {
    const rows = await run(orm, `explain (analyze, buffers) ${statement}`);
    console.log(`\n-- ${label}\n${rows.map((r) => String(r['QUERY PLAN'])).join('\n')}`);
  }
}

if (args.includes('--reset'))
  await admin(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
await admin(`create database "${new URL(url).pathname.slice(1)}"`).catch(() => undefined);
await migrate({ url });
const orm = await initOrm({ url, pool: { min: 0, max: 10 } });
try {
  await seed(orm);
  if (args.includes('--explain')) await explain(orm);
  await measure(orm);
} finally {
  await orm.close(true);
}

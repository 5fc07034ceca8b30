// `pnpm bench`: starts the service (api + worker processes) on a fresh PostgreSQL database and Redis,
// measures the six figures of issue 9 in one run, prints the table and writes bench/results/.
// Everything it starts (processes, database, Redis keys) is removed at the end, also on failure.
//
// Environment (optional): BENCH_PORT (3950), BENCH_ITEMS (e.g. "2,3"; default all),
// BENCH_LOOKUP_SECONDS (10), BENCH_SCALE (full; smoke: every count cut so the run takes about a
// minute, for the test that keeps the bench working), BENCH_RESULTS_DIR (bench/results), REDIS_URL,
// TEST_DATABASE_URL (the admin connection for the database).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { rebuildActivityRollup } from '@repo/domain';
import { startService, type RunningService } from '../e2e/service.js';
import { CpuProbe, localRedisPid } from './cpu.js';
import { openDb, type BenchDb } from './db.js';
import { explainReads, type PlanEvidence } from './explain.js';
import { startInProcessApp } from './in-process-app.js';
import { WRITES_PER_SECOND, measureInitialSync, warmUpSync } from './initial-sync.js';
import { awaitInvitations, invitationsSent } from './invitation-delivery.js';
import { measureLookups, type LookupTarget } from './lookups.js';
import { machineInfo } from './machine.js';
import { RssSampler } from './memory.js';
import { measureMembership } from './membership.js';
import { measureQueueOverhead } from './queue-overhead.js';
import { deleteKeysWithPrefix } from './redis-cleanup.js';
import { formatResults, RESULTS_DIR, writeResults, type BenchResults, type ItemResult } from './report.js';
import { measureReports } from './reports.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { cpuTimes, stealPercent } from './steal.js';
import {
  seedAuditEvents,
  seedGroupOfAll,
  seedMembers,
  seedSyncFailures,
  seededUserName,
  vacuumAnalyze,
} from './seed.js';
import {
  measureSequentialFloor,
  measureWriteCeiling,
  sequentialFloorFigures,
  sequentialFloorRatioFigures,
  writeCeilingFigures,
  type SequentialFloor,
} from './write-ceiling.js';

const PORT = Number(process.env['BENCH_PORT'] ?? 3950);
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ITEMS = new Set((process.env['BENCH_ITEMS'] ?? '1,2,3,4,5,6').split(',').map((s) => Number(s.trim())));
const LOOKUP_SECONDS = Number(process.env['BENCH_LOOKUP_SECONDS'] ?? 10);
const SCALE = process.env['BENCH_SCALE'] ?? 'full';
if (SCALE !== 'full' && SCALE !== 'smoke') throw new Error(`BENCH_SCALE must be full or smoke, not ${SCALE}`);
const OUT_DIR = process.env['BENCH_RESULTS_DIR'] ?? RESULTS_DIR;
/** The whole run's bound; the measured parts take ~5 minutes on a 2-core machine. */
const RUN_LIMIT_MS = 17 * 60_000;

const FULL = {
  initialSync: { users: 10_000, groups: 100, membersPerGroup: 50, concurrency: 32, timeoutMs: 6 * 60_000 },
  // Item 1's service is warm: a running service has served bursts before (initial-sync.ts warmUpSync).
  initialSyncWarmUp: { users: 2_000, groups: 20, membersPerGroup: 50 },
  // Item 1's yardstick: the sync's connections and the worker's default WORKER_CONCURRENCY.
  writeCeiling: { connections: 32, workerConcurrency: 8, warmupSeconds: 3, durationSeconds: 15 },
  // 400 warm-up rounds, since a running service is warm: with 20 the ratio read 2.15–2.17, with 400
  // 1.98–2.07 (item 4 alone, host J).
  queueOverhead: { users: 200, warmup: 400, maxMs: 180_000 },
  // Items 3 and 4's yardstick: as many writes one at a time as item 3 times of each kind.
  sequentialFloor: { workerConcurrency: 8, writes: 500, warmup: 20, maxMs: 60_000 },
  lookups: {
    sizes: [1_000, 10_000, 100_000],
    connections: 32,
    durationSeconds: LOOKUP_SECONDS,
    warmupSeconds: 2,
    rounds: 5,
  },
  // 500 of each single change: with 200, p99 was the second-slowest sample and swung 14–38 ms.
  membership: { singleOps: 500, bulkSize: 1_000, bulkRepeats: 5 },
  // 200 requests per report: with 50, p99 was the slowest sample (one stall read 220 ms, p95 82).
  reports: { auditEvents: 1_000_000, syncFailures: 5_000, days: 30, requests: 200, warmup: 5 },
  // The per-credential rate limit protects production; here it would cap the load being measured.
  serviceEnv: { RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'error' },
  // Item 1 waits this long at most for the sync's invitation e-mails to be sent.
  invitationsTimeoutMs: 180_000,
};

/** Every part of the run at a size that proves it works; its figures say nothing about the targets. */
const SMOKE: typeof FULL = {
  ...FULL,
  initialSync: { users: 200, groups: 4, membersPerGroup: 10, concurrency: 8, timeoutMs: 60_000 },
  initialSyncWarmUp: { users: 40, groups: 2, membersPerGroup: 10 },
  writeCeiling: { ...FULL.writeCeiling, warmupSeconds: 1, durationSeconds: 2 },
  queueOverhead: { users: 20, warmup: 3, maxMs: 30_000 },
  sequentialFloor: { ...FULL.sequentialFloor, writes: 20, warmup: 3, maxMs: 30_000 },
  lookups: { ...FULL.lookups, sizes: [100, 1_000], durationSeconds: 1, warmupSeconds: 1, rounds: 1 },
  membership: { singleOps: 20, bulkSize: 100, bulkRepeats: 1 },
  reports: { ...FULL.reports, auditEvents: 10_000, syncFailures: 100, requests: 5, warmup: 1 },
};
const SETTINGS = SCALE === 'smoke' ? SMOKE : FULL;

const log = (line: string) => process.stdout.write(`${line}\n`);
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Org {
  organizationId: string;
  scimUrl: string;
  scimApiKey: string;
}

let service: RunningService | undefined;
let smtp: SmtpSink | undefined;
let db: BenchDb | undefined;
let sampler: RssSampler | undefined;
let cleaning: Promise<void> | undefined;

/** Idempotent: the normal end, a failure, a signal and the watchdog all come here. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    sampler?.stop();
    await db
      ?.close()
      .catch((e: unknown) => log(`bench: closing the database connection failed: ${message(e)}`));
    if (service) {
      const prefix = service.env['QUEUE_PREFIX'] ?? '';
      await service.stop().catch((e: unknown) => log(`bench: stopping the service failed: ${message(e)}`));
      const n = await deleteKeysWithPrefix(REDIS_URL, prefix).catch((e: unknown) => {
        log(`bench: removing Redis keys failed: ${message(e)}`);
        return 0;
      });
      log(`bench: service stopped, database dropped, ${n} Redis keys removed`);
    }
    await smtp?.close();
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`bench: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes; stopping`);
  void cleanup().finally(() => process.exit(2));
}, RUN_LIMIT_MS);

async function main(): Promise<number> {
  const startedAt = new Date();
  const t0 = performance.now();
  const loadSamples: number[] = [];
  const loadStart = os.loadavg();
  const cpuStart = cpuTimes();
  const loadTimer = setInterval(() => loadSamples.push(os.loadavg()[0] ?? 0), 5_000);
  loadTimer.unref();

  log(`bench: starting the service on port ${PORT} (fresh PostgreSQL database)…`);
  // E-mail goes over SMTP, as in production, to a server in this process.
  smtp = await startSmtpSink();
  const mail = smtp;
  service = await startService({
    port: PORT,
    logLevel: SETTINGS.serviceEnv.LOG_LEVEL,
    extraEnv: { ...SETTINGS.serviceEnv, SMTP_URL: mail.url },
  });
  const svc = service;
  db = await openDb(svc.db.url);
  const bdb = db;
  const machine = await machineInfo(bdb, REDIS_URL);
  sampler = new RssSampler(svc.pids, `${svc.baseUrl}/metrics`);
  sampler.start();
  const pids = { ...svc.pids, redis: await localRedisPid(REDIS_URL) };
  const cpu = { probe: new CpuProbe(pids, new URL(svc.db.url).pathname.slice(1)), cores: machine.cores };
  const createOrg = (name: string) => svc.cli<Org>(['org', 'create', '--name', name]);
  const redis = { url: REDIS_URL, prefix: svc.env['QUEUE_PREFIX'] ?? '' };

  /** The bare pipeline one write at a time, on the machine as it is now (items 3 and 4). */
  const sequentialFloor = () =>
    measureSequentialFloor(bdb, {
      databaseUrl: svc.db.url,
      redisUrl: REDIS_URL,
      ...SETTINGS.sequentialFloor,
    });
  /** An item's result with figures and details added after its own. */
  const withFloor = (
    item: ItemResult,
    figures: ItemResult['figures'],
    floor: SequentialFloor,
  ): ItemResult => ({
    ...item,
    figures: [...item.figures, ...figures],
    details: { ...(item.details as Record<string, unknown>), sequentialFloor: floor },
  });

  const items: ItemResult[] = [];
  /** Runs item n if selected; its RSS samples count toward `phase` (item 5). */
  const measure = async (
    n: number,
    title: string,
    phase: string | null,
    fn: (seconds: () => number) => Promise<ItemResult>,
  ) => {
    if (!ITEMS.has(n)) return;
    log(`bench: ${n}. ${title}…`);
    await sampler?.phase(phase);
    const started = performance.now();
    const seconds = () => Math.round((performance.now() - started) / 100) / 10;
    try {
      items.push(await fn(seconds));
    } catch (e) {
      log(`bench: ${n} failed: ${message(e)}`);
      items.push({
        item: n,
        title,
        figures: [],
        details: { stack: e instanceof Error ? e.stack : undefined },
        error: message(e),
        seconds: seconds(),
      });
    } finally {
      await sampler?.phase(null);
    }
  };

  // 4 and 1 run on a nearly empty database, as a first sync would. Item 4 comes first: its in-process
  // path runs in this process, which after item 1 holds the sync's results and ran slower (host J,
  // in-process p50 5.96 ms after the sync against 4.44–5.44 alone), flattering the ratio.
  await measure(4, 'Queue overhead', null, async (seconds) => {
    const [viaHttp, httpInProcess, inProcess] = await Promise.all([
      createOrg('Bench queue (HTTP)'),
      createOrg('Bench queue (HTTP, in-process writer)'),
      createOrg('Bench queue (in-process)'),
    ]);
    const app = await startInProcessApp(bdb.orm, svc.env);
    try {
      const item = await measureQueueOverhead(
        bdb,
        {
          baseUrl: svc.baseUrl,
          inProcessBaseUrl: app.baseUrl,
          redis,
          http: viaHttp,
          httpInProcess,
          inProcess,
          ...SETTINGS.queueOverhead,
        },
        seconds,
      );
      const floor = await sequentialFloor();
      return { ...withFloor(item, sequentialFloorRatioFigures(floor), floor), seconds: seconds() };
    } finally {
      await app.close();
    }
  });

  await measure(1, 'Initial sync', 'initial-sync', async (seconds) => {
    const warmOrg = await createOrg('Bench initial sync warm-up');
    const warmUp = await warmUpSync({
      scimUrl: warmOrg.scimUrl,
      organizationId: warmOrg.organizationId,
      redis,
      token: warmOrg.scimApiKey,
      ...SETTINGS.initialSync,
      ...SETTINGS.initialSyncWarmUp,
    });
    // Its invitations are sent before the sync starts, not during it.
    await invitationsSent(bdb, {
      organizationId: warmOrg.organizationId,
      window: warmUp.window,
      timeoutMs: SETTINGS.invitationsTimeoutMs,
    });
    const org = await createOrg('Bench initial sync');
    const acceptedBefore = mail.received;
    const { window, ...sync } = await measureInitialSync(
      {
        scimUrl: org.scimUrl,
        organizationId: org.organizationId,
        redis,
        token: org.scimApiKey,
        ...SETTINGS.initialSync,
      },
      cpu,
      seconds,
    );
    const invitations = await awaitInvitations(bdb, {
      organizationId: org.organizationId,
      window,
      sink: mail,
      acceptedBefore,
      timeoutMs: SETTINGS.invitationsTimeoutMs,
    });
    // After the sync and its invitations, on the idle service's machine: what the architecture
    // alone allows here.
    const ceiling = await measureWriteCeiling(bdb, {
      databaseUrl: svc.db.url,
      redisUrl: REDIS_URL,
      redisPid: pids.redis,
      cores: machine.cores,
      ...SETTINGS.writeCeiling,
    });
    const writesPerSecond = sync.figures.find((f) => f.label === WRITES_PER_SECOND)?.value ?? 0;
    return {
      ...sync,
      figures: [
        ...sync.figures,
        ...invitations,
        ...warmUp.figures,
        ...writeCeilingFigures(ceiling, writesPerSecond),
      ],
      details: { ...(sync.details as Record<string, unknown>), writeCeiling: ceiling },
      seconds: seconds(),
    };
  });

  // 2, 3, 5 and 6 need the large organizations.
  const needsData = [2, 3, 5, 6].some((n) => ITEMS.has(n));
  const seedTimes: Record<string, number> = {};
  let evidence: PlanEvidence[] = [];
  if (needsData) {
    try {
      const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        const out = await fn();
        seedTimes[name] = Math.round(performance.now() - started) / 1000;
        log(`bench: seeded ${name} in ${seedTimes[name]} s`);
        return out;
      };
      const sizes = SETTINGS.lookups.sizes;
      const orgs = await Promise.all(sizes.map((n) => createOrg(`Bench ${label(n)} members`)));
      const targets: LookupTarget[] = sizes.map((members, i) => {
        const org = orgs[i];
        if (!org) throw new Error('organization missing');
        return {
          label: label(members),
          members,
          organizationId: org.organizationId,
          scimApiKey: org.scimApiKey,
          tag: `o${label(members)}.bench.test`,
        };
      });
      for (const t of targets)
        await timed(`${t.label} members`, () => seedMembers(bdb, t.organizationId, t.members, t.tag));
      const big = targets.at(-1);
      if (!big) throw new Error('no sizes');
      // Every size gets a group of all its members (item 3 uses the largest): a lookup returns the
      // user's groups, so without it only the 100k users would carry one and item 2 would compare
      // a user in a group with users in none, not one size with another.
      let groupId = ''; // the last one, the largest organization's, is item 3's group
      for (const t of targets)
        groupId = await timed(`group of ${t.label}`, () =>
          seedGroupOfAll(bdb, t.organizationId, 'Bench everyone'),
        );
      const r = SETTINGS.reports;
      await timed(`${label(r.auditEvents)} audit events`, () =>
        seedAuditEvents(bdb, big.organizationId, r.auditEvents, r.days),
      );
      // The seeded events are backdated, which the service never writes: its worker counts each
      // hour once, after it closes, and would never see them. Counted once here, from their start.
      await timed('hourly activity counts of the seeded events', () =>
        rebuildActivityRollup(bdb.orm.em.fork(), new Date(Date.now() - (r.days + 1) * 86_400_000)),
      );
      await timed(`${label(r.syncFailures)} sync failures`, () =>
        seedSyncFailures(bdb, big.organizationId, r.syncFailures, r.days),
      );
      await timed('vacuum analyze, checkpoint', () => vacuumAnalyze(bdb));
      const adminToken = (
        await svc.cli<{ token: string }>(['token', 'create', '--all-orgs', '--role', 'reader'])
      ).token;

      await measure(2, 'Lookup scaling', 'lookups', (seconds) =>
        measureLookups(
          { baseUrl: svc.baseUrl, databaseUrl: svc.db.url, ...SETTINGS.lookups },
          targets,
          cpu,
          seconds,
        ),
      );
      await measure(3, 'Membership', 'membership', async (seconds) => {
        const item = await measureMembership(
          bdb,
          {
            baseUrl: svc.baseUrl,
            redis,
            organizationId: big.organizationId,
            scimApiKey: big.scimApiKey,
            groupId,
            ...SETTINGS.membership,
          },
          seconds,
        );
        const floor = await sequentialFloor();
        return { ...withFloor(item, sequentialFloorFigures(floor), floor), seconds: seconds() };
      });
      await measure(6, 'Reports', 'reports', (seconds) =>
        measureReports(
          {
            baseUrl: svc.baseUrl,
            adminToken,
            organizationId: big.organizationId,
            requests: r.requests,
            warmup: r.warmup,
            seeded: `${big.label} members, ${label(r.auditEvents)} audit events`,
          },
          seconds,
        ),
      );
      evidence = await explainReads(
        bdb,
        big.organizationId,
        seededUserName(big.tag, Math.floor(big.members / 2)),
      ).catch((e: unknown) => {
        log(`bench: EXPLAIN failed: ${message(e)}`);
        return [];
      });
    } catch (e) {
      // Seeding failed: the items that needed the data are reported as failed; the rest still count.
      log(`bench: seeding failed: ${message(e)}`);
      for (const n of [2, 3, 6].filter((i) => ITEMS.has(i) && !items.some((r) => r.item === i))) {
        items.push({
          item: n,
          title: 'needs the seeded data',
          figures: [],
          details: {},
          error: `seeding failed: ${message(e)}`,
          seconds: 0,
        });
      }
    }
  }
  if (ITEMS.has(5)) {
    items.push(
      sampler.result(
        [
          { label: 'during the initial sync', phases: ['initial-sync'] },
          {
            label: `with ${label(Math.max(...SETTINGS.lookups.sizes))} members stored (items 2, 3, 6)`,
            phases: ['lookups', 'membership', 'reports'],
          },
        ],
        0,
      ),
    );
  }
  clearInterval(loadTimer);

  const [dbSize] = await bdb.query<{ size: string }>(
    'select pg_size_pretty(pg_database_size(current_database())) as size',
  );
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    seconds: Math.round(performance.now() - t0) / 1000,
    machine,
    load: {
      start: loadStart.map((n) => Math.round(n * 100) / 100),
      end: os.loadavg().map((n) => Math.round(n * 100) / 100),
      max1m: Math.max(0, ...loadSamples),
      mean1m: loadSamples.length ? loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length : 0,
      samples: loadSamples.length,
      stealPercent: stealPercent(cpuStart, cpuTimes()),
    },
    settings: {
      scale: SCALE,
      ...SETTINGS,
      items: [...ITEMS],
      seedSeconds: seedTimes,
      databaseSize: dbSize?.size,
      evidence,
    },
    items: items.sort((a, b) => a.item - b.item),
  };
  const file = writeResults(results, OUT_DIR);
  log('');
  log(formatResults(results));
  log('');
  log(`bench: results written to ${file} and ${OUT_DIR}/latest.json`);
  return items.some((i) => i.error) ? 1 : 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  log(`bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(exitCode);

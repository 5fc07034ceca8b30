// The hourly counts behind the activity report (audit_activity_hour), kept up by the worker. An
// hour is counted once, after it has closed and settled: every audit event is written with the
// time of the transaction that commits it, and those take seconds, so after ROLLUP_SETTLE_MS no
// more events can arrive for it. Events written with an earlier time than that (a backfill, an
// import) are counted only after rebuildActivityRollup from their time.
import type { EntityManager } from '@mikro-orm/core';
import { forUpdate, isPostgres } from '../shared/locking.js';
import { plainTransaction } from '../shared/plain-transaction.js';
import { asDate } from '../shared/row-values.js';
import { execute, executeRun } from '../shared/sql.js';

export const ROLLUP_SETTLE_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
/** Hours per transaction: a first run over a long history commits as it goes. */
const CHUNK_HOURS = 24 * 7;
const STATE = 'activity';

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/** The UTC hour of audit_event.created_at, in the column's own type. */
const hourOf = (em: EntityManager) =>
  isPostgres(em)
    ? "date_trunc('hour', created_at at time zone 'UTC') at time zone 'UTC'"
    : `(created_at / ${HOUR_MS}) * ${HOUR_MS}`;

export interface RollupProgress {
  /** Every event created before this is counted in audit_activity_hour. */
  rolledUntil: Date;
  /** Hours counted by this call. */
  hours: number;
}

/**
 * Counts the audit events of every hour that closed at least ROLLUP_SETTLE_MS before `now` and is
 * not counted yet, CHUNK_HOURS per transaction, at most `maxChunks` of them per call. Concurrent
 * callers (several workers) take turns on the state row.
 */
export async function rollUpActivity(
  em: EntityManager,
  opts: { now?: Date; maxChunks?: number } = {},
): Promise<RollupProgress> {
  const settled = floorHour((opts.now ?? new Date()).getTime() - ROLLUP_SETTLE_MS);
  let hours = 0;
  let rolledUntil = 0;
  for (let chunk = 0; chunk < (opts.maxChunks ?? 60); chunk++) {
    const step = await plainTransaction(em, async (tx) => {
      const from = await lockedWatermark(tx, settled);
      if (from >= settled) return { from, to: from };
      const to = Math.min(from + CHUNK_HOURS * HOUR_MS, settled);
      await executeRun(
        tx,
        `insert into audit_activity_hour (organization_id, hour, actor, action, outcome, events)
         select organization_id, ${hourOf(tx)}, actor, action, outcome, count(*) from audit_event
         where created_at >= ? and created_at < ?
         group by 1, 2, 3, 4, 5
         on conflict (organization_id, hour, actor, action, outcome) do update set events = excluded.events`,
        [new Date(from), new Date(to)],
      );
      await executeRun(tx, 'update audit_rollup_state set rolled_until = ? where name = ?', [
        new Date(to),
        STATE,
      ]);
      return { from, to };
    });
    rolledUntil = step.to;
    hours += (step.to - step.from) / HOUR_MS;
    if (step.to >= settled) break;
  }
  return { rolledUntil: new Date(rolledUntil), hours };
}

/**
 * Counts again from `since` (rounded down to its hour): for audit events written with times
 * before the watermark, which the regular roll-up never revisits.
 */
export async function rebuildActivityRollup(
  em: EntityManager,
  since: Date,
  opts: { now?: Date; maxChunks?: number } = {},
): Promise<RollupProgress> {
  const from = floorHour(since.getTime());
  await plainTransaction(em, async (tx) => {
    if ((await lockedWatermark(tx, from)) <= from) return;
    await executeRun(tx, 'delete from audit_activity_hour where hour >= ?', [new Date(from)]);
    await executeRun(tx, 'update audit_rollup_state set rolled_until = ? where name = ?', [
      new Date(from),
      STATE,
    ]);
  });
  return rollUpActivity(em, opts);
}

/** Audit events created before this are counted in audit_activity_hour; null before the first count. */
export async function activityCountedUntil(em: EntityManager): Promise<Date | null> {
  const ms = await watermark(em, false);
  return ms === null ? null : new Date(ms);
}

async function watermark(em: EntityManager, lock: boolean): Promise<number | null> {
  const [row] = await execute(
    em,
    `select rolled_until from audit_rollup_state where name = ?${lock ? forUpdate(em) : ''}`,
    [STATE],
  );
  return row ? asDate(row['rolled_until']).getTime() : null;
}

/**
 * The watermark in epoch ms, locked for this transaction. The first call starts it at the hour of
 * the oldest event (or at `settled` when there is none yet: nothing before it to count).
 */
async function lockedWatermark(tx: EntityManager, settled: number): Promise<number> {
  const current = await watermark(tx, true);
  if (current !== null) return current;
  const [oldest] = await execute(tx, 'select min(created_at) as oldest from audit_event');
  const start = oldest?.['oldest'] == null ? settled : floorHour(asDate(oldest['oldest']).getTime());
  await executeRun(
    tx,
    'insert into audit_rollup_state (name, rolled_until) values (?, ?) on conflict (name) do nothing',
    [STATE, new Date(start)],
  );
  // Another worker may have started it first: its row is the one to follow.
  const started = await watermark(tx, true);
  if (started === null) throw new Error('audit_rollup_state has no activity row after inserting it');
  return started;
}

// Issue 4 §4: graceful shutdown of real processes. SIGTERM to the worker while jobs are active →
// they complete before it exits (code 0, in bounded time, nothing left for the stalled check);
// SIGTERM to the api while requests are in flight → every one is answered before it exits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/pipeline-processes.js';
import { scim, untilSettled, userBody, type ScimResponse } from './helpers/pipeline-scim.js';
import { eventually } from './helpers/pipeline-util.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { SCIM_WRITE_WAIT_MS: '3000' },
    workerEnv: {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '4',
      SHUTDOWN_TIMEOUT_MS: '10000',
    },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

const members = async (organizationId: string) =>
  Number(
    (
      await stack.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ n: string }>>('select count(*) as n from member where organization_id = ?', [
          organizationId,
        ])
    )[0]!.n,
  );

/** queue_jobs{queue="provisioning",state=…} from the api's /metrics. */
const queueGauge = async (apiUrl: string, state: string) => {
  const text = await (await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const m = new RegExp(`^queue_jobs\\{queue="provisioning",state="${state}"\\} (\\d+)$`, 'm').exec(text);
  return Number(m?.[1] ?? NaN);
};

describe('graceful shutdown', () => {
  it('SIGTERM to the worker with jobs active: they finish, exit 0 within the bound, none stalls', async () => {
    const org = await stack.organization('WorkerTerm');
    const target = { scimUrl: org.scimUrl(), scimKey: org.scimKey };
    const bodies = Array.from({ length: 40 }, (_, i) => userBody(`term${i}@example.com`));
    const settled = Promise.all(
      bodies.map((b) => untilSettled(() => scim(target, 'POST', '/Users', b), { withinMs: 40_000 })),
    );

    await eventually('the worker is busy', async () => (await members(org.id)) >= 4);
    const worker = stack.workers.at(-1)!;
    const appliedAtSignal = await members(org.id);
    const started = performance.now();
    worker.proc.kill('SIGTERM');
    const exit = await worker.exit;
    const ms = performance.now() - started;
    const appliedAtExit = await members(org.id);
    console.info(
      `worker SIGTERM → exit ${JSON.stringify(exit)} after ${ms.toFixed(0)} ms; applied ${appliedAtSignal} at the signal, ${appliedAtExit} at exit (of 40)`,
    );
    // The jobs active at the signal were finished, not abandoned (the backlog keeps it busy).
    expect(appliedAtExit).toBeGreaterThan(appliedAtSignal);
    expect(appliedAtExit).toBeLessThan(40);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(10_000);
    expect(worker.logs((l) => l['msg'] === 'workers closed')).toEqual([
      expect.objectContaining({ drained: true }),
    ]);
    // Nothing was left active: the jobs it held finished (or it would have abandoned them).
    expect(await queueGauge(stack.apis[0]!.url, 'active')).toBe(0);

    const next = await stack.startWorker();
    const results = await settled;
    expect(results.map((r) => r.final.status)).toEqual(Array(40).fill(201));
    expect(await members(org.id)).toBe(40);
    // A graceful exit leaves no lock to expire: the next worker found nothing stalled.
    expect(next.logs((l) => l['msg'] === 'job stalled; it will run again')).toEqual([]);
  }, 55_000);

  it('SIGTERM to the api with requests in flight: each is answered, then it exits 0', async () => {
    const org = await stack.organization('ApiTerm');
    const api = stack.apis[0]!;
    const target = { scimUrl: org.scimUrl(api), scimKey: org.scimKey };
    const inFlight: Array<Promise<ScimResponse | Error>> = Array.from({ length: 30 }, (_, i) =>
      scim(target, 'POST', '/Users', userBody(`apiterm${i}@example.com`)).catch((e: unknown) => e as Error),
    );
    await eventually('requests reached the worker', async () => (await members(org.id)) >= 2);
    const started = performance.now();
    api.process.proc.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    const exit = await api.process.exit;
    console.info(
      `api SIGTERM → exit ${JSON.stringify(exit)} after ${(performance.now() - started).toFixed(0)} ms`,
    );
    const errors = answers.filter((a): a is Error => a instanceof Error);
    expect(errors.map((e) => String(e))).toEqual([]);
    const statuses = (answers as ScimResponse[]).map((r) => r.status);
    console.info(
      `api SIGTERM: in-flight answers ${statuses.filter((x) => x === 201).length}×201, ${statuses.filter((x) => x === 503).length}×503`,
    );
    // Answered with the outcome, or 503 + Retry-After if it could not arrive before shutdown.
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
    // The closed api takes no new connection.
    await expect(fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();

    // Whatever got 503 is finished on retry through a new api process.
    const fresh = await stack.startApi();
    const again = { scimUrl: org.scimUrl(fresh), scimKey: org.scimKey };
    for (let i = 0; i < 30; i++) {
      const { final } = await untilSettled(() =>
        scim(again, 'POST', '/Users', userBody(`apiterm${i}@example.com`)),
      );
      expect(final.status).toBe(201);
    }
    expect(await members(org.id)).toBe(30);
  }, 55_000);
});

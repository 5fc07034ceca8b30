// Upkeep tasks on a timer. A run that outlasts the interval (ANALYZE of a large table, a first
// count over a long history) is not started again beside itself; a failure is logged and the next
// tick tries again. The timer does not keep the process alive.
import type { Logger } from '@repo/jobs';

export function every(
  ms: number,
  task: () => Promise<unknown>,
  opts: { logger: Logger; failure: string; runNow?: boolean },
): NodeJS.Timeout {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    task()
      .catch((e: unknown) => opts.logger.warn({ err: e }, opts.failure))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, ms);
  timer.unref();
  if (opts.runNow) tick();
  return timer;
}

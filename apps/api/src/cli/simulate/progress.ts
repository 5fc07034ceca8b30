// A progress bar for people at a terminal; nothing at all when piped or with --json.
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'simulate [{bar}] {percentage}% | {value}/{total} objects | {duration_formatted}',
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { every } from './periodic.js';

const logger = () => ({ warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() });

describe('every', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not start a run beside one still going, and runs again once it has ended', async () => {
    vi.useFakeTimers();
    let release!: () => void;
    const task = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const timer = every(1_000, task, { logger: logger(), failure: 'failed' });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(task).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(2);
    clearInterval(timer);
  });

  it('runs at once when asked, logs a failure and goes on', async () => {
    vi.useFakeTimers();
    const log = logger();
    const task = vi.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValue(undefined);
    const timer = every(1_000, task, { logger: log, failure: 'could not do it', runNow: true });
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(log.warn).toHaveBeenCalledWith({ err: expect.any(Error) }, 'could not do it');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(2);
    clearInterval(timer);
  });
});

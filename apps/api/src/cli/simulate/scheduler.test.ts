import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runKeyed, Semaphore } from './scheduler.js';

describe('runKeyed', () => {
  it('keeps tasks on the same key in order, runs others in parallel, never above the limit', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const task = (name: string, keys: string[], ms: number) => ({
      keys,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        running--;
      },
    });
    await runKeyed(
      [
        task('a1', ['a'], 30),
        task('b1', ['b'], 5),
        task('a2', ['a', 'c'], 1),
        task('c1', ['c'], 1),
        task('d', ['d'], 1),
      ],
      new Semaphore(2),
    );
    expect(peak).toBeLessThanOrEqual(2);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start c1')).toBeGreaterThan(log.indexOf('end a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(5);
  });

  it('runs the rest and then rethrows a failure', async () => {
    const ran: string[] = [];
    await expect(
      runKeyed(
        [
          { keys: ['x'], run: () => Promise.reject(new Error('boom')) },
          { keys: ['x'], run: async () => void ran.push('after') },
        ],
        new Semaphore(1),
      ),
    ).rejects.toThrow('boom');
    expect(ran).toEqual(['after']);
  });
});

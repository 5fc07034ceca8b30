import { EventEmitter } from 'node:events';
import type { QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { OutcomeWaiters } from './waiters.js';

const fakeEvents = () => new EventEmitter() as unknown as QueueEvents;

describe('OutcomeWaiters', () => {
  it('settles every waiter of a job from one listener pair, then forgets them', async () => {
    const events = fakeEvents();
    const waiters = new OutcomeWaiters(events);
    const a = waiters.register('j1', 1_000);
    const b = waiters.register('j1', 1_000);
    const other = waiters.register('j2', 1_000);
    expect(waiters.size).toBe(3);
    events.emit('completed', { jobId: 'j1', returnvalue: { sent: true } }, '1-0');
    await expect(a.finished).resolves.toEqual({ state: 'completed', returnvalue: { sent: true } });
    await expect(b.finished).resolves.toEqual({ state: 'completed', returnvalue: { sent: true } });
    events.emit('failed', { jobId: 'j2', failedReason: 'boom' }, '2-0');
    await expect(other.finished).resolves.toEqual({ state: 'failed', failedReason: 'boom' });
    expect(waiters.size).toBe(0);
    expect(events.listenerCount('completed')).toBe(1);
    expect(events.listenerCount('failed')).toBe(1);
  });

  it('times out with null, and cancel/closeAll settle at once', async () => {
    const waiters = new OutcomeWaiters(fakeEvents());
    await expect(waiters.register('j', 10).finished).resolves.toBeNull();
    const w = waiters.register('j', 10_000);
    w.cancel();
    await expect(w.finished).resolves.toBeNull();
    const c = waiters.register('k', 10_000);
    waiters.closeAll();
    await expect(c.finished).resolves.toEqual({ state: 'closed' });
    expect(waiters.size).toBe(0);
  });
});

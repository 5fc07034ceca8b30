import type { Producer } from '@repo/jobs';
import { describe, expect, it } from 'vitest';
import { dispatchMail } from './outbox-dispatch.js';

type Enqueue = Producer['enqueue'];

describe('dispatchMail', () => {
  it('swallows a failed hand-off (the notification sweep re-enqueues the row)', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const failing: Enqueue = () => Promise.reject(new Error('redis down'));
      dispatchMail({ enqueue: failing }, ['a']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

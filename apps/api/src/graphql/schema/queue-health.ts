// Query.queueHealth: the shared provisioning and mail queues. They serve every tenant, so only
// all-organization tokens see them.
import { QueueUnavailableError, type QueueCounts } from '@repo/jobs';
import { builder } from '../builder.js';
import { apiError } from '../errors.js';
import { costs } from '../limits.js';

interface QueueHealthDto extends QueueCounts {
  queue: string;
}

const QueueHealthRef = builder.objectRef<QueueHealthDto>('QueueHealth').implement({
  fields: (t) => ({
    queue: t.exposeString('queue'),
    waiting: t.exposeInt('waiting'),
    active: t.exposeInt('active'),
    delayed: t.exposeInt('delayed', { description: 'Waiting for a retry back-off.' }),
    failed: t.exposeInt('failed', { description: 'Failed for good (kept for a day).' }),
    oldestWaitingAgeMs: t.exposeFloat('oldestWaitingAgeMs', {
      nullable: true,
      description: 'Age of the oldest waiting job; null when none waits.',
    }),
  }),
});

builder.queryField('queueHealth', (t) =>
  t.field({
    type: [QueueHealthRef],
    authScopes: { allOrganizations: true },
    ...costs({ cost: 20 }),
    resolve: async (_root, _args, ctx) => {
      try {
        const counts = await ctx.queues.counts();
        return Object.entries(counts).map(([queue, c]) => ({ queue, ...c }));
      } catch (err) {
        if (err instanceof QueueUnavailableError)
          throw apiError('SERVICE_UNAVAILABLE', 'The queue (Redis) is not answering.');
        throw err;
      }
    },
  }),
);

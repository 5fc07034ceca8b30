// Organization.syncFailureStats: sync failures grouped by code, day or resource type.
import { builder } from '../builder.js';
import { syncFailureStats, type SyncFailureStatDto } from '../data/sync-failure-stats.data.js';
import { costs } from '../limits.js';
import { SyncFailureGroupByEnum, SyncFailureStatusEnum } from './enums.js';
import { TimeRangeInput } from './inputs.js';
import { OrganizationRef } from './refs.js';

const SyncFailureStatRef = builder.objectRef<SyncFailureStatDto>('SyncFailureStat').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The code, the resource type, or the UTC day (YYYY-MM-DD).' }),
    failures: t.exposeInt('failures', { description: 'Distinct failures.' }),
    occurrences: t.exposeInt('occurrences', { description: 'How often they happened in total.' }),
    open: t.exposeInt('open', { description: 'Failures still open.' }),
  }),
});

builder.objectField(OrganizationRef, 'syncFailureStats', (t) =>
  t.field({
    type: [SyncFailureStatRef],
    description:
      'Failures seen within the range, grouped; the same selection as syncFailures(filter: {range, status}). Largest groups first (DAY: by day).',
    args: {
      groupBy: t.arg({ type: SyncFailureGroupByEnum, required: true }),
      range: t.arg({ type: TimeRangeInput, required: false }),
      status: t.arg({ type: [SyncFailureStatusEnum], required: false }),
    },
    ...costs({ cost: 100, listSize: 20 }),
    resolve: (org, { groupBy, range, status }, ctx) =>
      syncFailureStats(ctx.em, ctx.dialect, org.id, groupBy, { range, status }),
  }),
);

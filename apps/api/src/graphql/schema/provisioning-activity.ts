// Organization.provisioningActivity: operations and outcomes per hour or day, from audit events.
import { builder } from '../builder.js';
import {
  provisioningActivity,
  type ActivityPointDto,
  type OperationCount,
  type ProvisioningActivityDto,
} from '../data/provisioning-activity.data.js';
import { badInput } from '../errors.js';
import { costs } from '../limits.js';
import { ActivityBucketEnum, AuditActorEnum } from './enums.js';
import { TimeRangeInput } from './inputs.js';
import { OrganizationRef } from './refs.js';

const OperationCountRef = builder.objectRef<OperationCount>('OperationCount').implement({
  fields: (t) => ({
    action: t.exposeString('action'),
    total: t.exposeInt('total'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
  }),
});

const ActivityPointRef = builder.objectRef<ActivityPointDto>('ActivityPoint').implement({
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
    total: t.exposeInt('total'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
    operations: t.expose('operations', {
      type: [OperationCountRef],
      description: 'By action, largest first.',
    }),
  }),
});

const ProvisioningActivityRef = builder.objectRef<ProvisioningActivityDto>('ProvisioningActivity').implement({
  fields: (t) => ({
    bucket: t.expose('bucket', { type: ActivityBucketEnum }),
    from: t.expose('from', { type: 'DateTime', description: 'range.from rounded down to the bucket.' }),
    to: t.expose('to', { type: 'DateTime' }),
    points: t.expose('points', {
      type: [ActivityPointRef],
      description: 'One per bucket, empty ones included.',
    }),
  }),
});

builder.objectField(OrganizationRef, 'provisioningActivity', (t) =>
  t.field({
    type: ProvisioningActivityRef,
    description: 'A time series of audited operations and their outcomes (at most 744 hours or 366 days).',
    args: {
      range: t.arg({
        type: TimeRangeInput,
        required: true,
        description: '`from` is required; `to` defaults to now.',
      }),
      bucket: t.arg({ type: ActivityBucketEnum, required: true }),
      actor: t.arg({
        type: AuditActorEnum,
        required: false,
        description: 'Only changes made by this actor.',
      }),
    },
    ...costs({ cost: 200 }),
    resolve: (org, { range, bucket, actor }, ctx) => {
      if (!range.from) throw badInput('"range.from" is required for provisioningActivity.');
      return provisioningActivity(ctx.em, ctx.dialect, org.id, {
        from: range.from,
        to: range.to ?? new Date(),
        bucket,
        actor,
      });
    },
  }),
);

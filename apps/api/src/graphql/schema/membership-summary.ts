// Organization.membershipSummary: counts by status and SCIM management, seats used and limit.
import { builder } from '../builder.js';
import {
  membershipSummary,
  type MembershipSummaryDto,
  type StatusCount,
} from '../data/membership-summary.data.js';
import { costs } from '../limits.js';
import { MemberStatusEnum } from './enums.js';
import { OrganizationRef } from './refs.js';

const StatusCountRef = builder.objectRef<StatusCount>('MemberStatusCount').implement({
  fields: (t) => ({
    status: t.expose('status', { type: MemberStatusEnum }),
    total: t.exposeInt('total'),
    scimManaged: t.exposeInt('scimManaged'),
    notScimManaged: t.exposeInt('notScimManaged'),
  }),
});

const MembershipSummaryRef = builder.objectRef<MembershipSummaryDto>('MembershipSummary').implement({
  fields: (t) => ({
    total: t.exposeInt('total'),
    scimManaged: t.exposeInt('scimManaged'),
    notScimManaged: t.exposeInt('notScimManaged'),
    byStatus: t.expose('byStatus', { type: [StatusCountRef], description: 'Every status, zeros included.' }),
    seatsUsed: t.exposeInt('seatsUsed', { description: 'Invited, accepted and confirmed members.' }),
    seatLimit: t.exposeInt('seatLimit', { nullable: true, description: 'null: unlimited.' }),
    seatsAvailable: t.exposeInt('seatsAvailable', { nullable: true, description: 'null: unlimited.' }),
  }),
});

builder.objectField(OrganizationRef, 'membershipSummary', (t) =>
  t.field({
    type: MembershipSummaryRef,
    ...costs({ cost: 100 }),
    resolve: (org, _args, ctx) => membershipSummary(ctx.em, org),
  }),
);

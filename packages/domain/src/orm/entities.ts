import { AdminToken } from '../admin-token/admin-token.entity.js';
import { AppliedJob } from '../applied-job/applied-job.entity.js';
import { AuditActivityHour, AuditRollupState } from '../audit/audit-activity.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { GroupMembership } from '../group/group-membership.entity.js';
import { Group } from '../group/group.entity.js';
import { Invitation } from '../invitation/invitation.entity.js';
import { Member } from '../member/member.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { OutboxEmail } from '../outbox/outbox-email.entity.js';
import { SyncFailure } from '../sync-failure/sync-failure.entity.js';

/** Listed explicitly: no globs, no reflection. */
export const entities = [
  Organization,
  Member,
  Group,
  GroupMembership,
  Invitation,
  AdminToken,
  AuditEvent,
  AuditActivityHour,
  AuditRollupState,
  SyncFailure,
  OutboxEmail,
  AppliedJob,
];

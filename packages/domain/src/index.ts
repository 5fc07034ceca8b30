// Public API of @repo/domain: entities, services (the only way state changes), errors, ORM setup.
export * from './errors.js';
export { createOrmConfig, databaseKind, type DatabaseConfig, type DatabaseKind } from './orm/config.js';
export { entities } from './orm/entities.js';
export { initOrm, migrate } from './orm/migrate.js';
export type { ServiceContext } from './shared/context.js';
export { hashSecret, newSecret, secretMatches } from './shared/secrets.js';
export { escapeHtml } from './shared/html.js';
export { execute as executeSql } from './shared/sql.js';
export { plainTransaction } from './shared/plain-transaction.js';
export { ANALYZE_CHECK_INTERVAL_MS, analyzeChangedTables } from './shared/planner-statistics.js';
export { isPostgres } from './shared/locking.js';

export * from './organization/organization.entity.js';
export * from './organization/organization.service.js';
export { seatsUsed } from './organization/seats.js';
export * from './member/member.entity.js';
export * from './member/member.rules.js';
export * from './member/member.service.js';
export type { MemberRow } from './member/member.repository.js';
export * from './member/committed-user.js';
export * from './member/member-groups.js';
export * from './group/group.entity.js';
export * from './group/group-membership.entity.js';
export * from './group/group.service.js';
export type { GroupHead } from './group/membership.repository.js';
export * from './invitation/invitation.entity.js';
export {
  acceptInvitation,
  sendInvitation,
  INVITATION_TTL_MS,
  type InvitationSettings,
} from './invitation/invitation.service.js';
export * from './admin-token/admin-token.entity.js';
export * from './admin-token/admin-token.service.js';
export * from './audit/audit-event.entity.js';
export * from './audit/audit-activity.entity.js';
export {
  activityCountedUntil,
  rebuildActivityRollup,
  rollUpActivity,
  ROLLUP_SETTLE_MS,
  type RollupProgress,
} from './audit/activity-rollup.service.js';
export * from './applied-job/applied-job.entity.js';
export * from './applied-job/applied-job.service.js';
export { recordAudit, type AuditInput } from './audit/audit.service.js';
export * from './sync-failure/sync-failure.entity.js';
export * from './outbox/outbox-email.entity.js';
export {
  createdOutboxIds,
  loadOutboxMessage,
  markOutboxAttemptFailed,
  markOutboxFailed,
  markOutboxSent,
  type EmailDraft,
  type OutboxMessage,
} from './outbox/outbox.service.js';
export {
  recordSyncFailure,
  resolveSyncFailures,
  setSyncFailureStatus,
  type RecordedSyncFailure,
  type SyncFailureRow,
} from './sync-failure/sync-failure.service.js';
export {
  adviceFor,
  failureFingerprint,
  redactSecrets,
  SyncFailureResourceTypes,
  type SyncFailureInput,
  type SyncFailureResourceType,
} from './sync-failure/sync-failure.rules.js';
export {
  failureEmail,
  testEmail,
  type FailureEmailInput,
  type FailureLine,
  type RenderedEmail,
} from './sync-failure/failure-email.js';
export { buildFailureDigest, type FailureDigestResult } from './notification/failure-digest.js';
export { MAX_LISTED_FAILURES } from './notification/failure-notification.js';
export { sendTestEmail } from './notification/test-email.js';
export { findOverdueNotifications, type OverdueNotifications } from './notification/notification-sweep.js';

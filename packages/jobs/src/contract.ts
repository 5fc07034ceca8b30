// The queue contract: every job's queue, versioned payload and result, in one table.
// Producer (apps/api) and consumer (apps/worker) both validate against these schemas, so a
// payload that does not match never runs and a handler result that does not match never
// reaches the api.
import { z } from 'zod';

/** NEVER rename: queue names are part of every Redis key BullMQ writes. */
export const QueueName = { provisioning: 'provisioning', mail: 'mail' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];
export const queueNames = Object.values(QueueName);

const Uuid = z.uuid();

// ---------------------------------------------------------------------------------------------
// Results

export const DomainErrorCode = z.enum([
  'conflict',
  'not_found',
  'seat_limit',
  'last_owner',
  'invalid_value',
  'precondition_failed',
]);
export type DomainErrorCode = z.infer<typeof DomainErrorCode>;

/** Why a write was not applied. Domain rejections are results, not job failures. */
export const WriteError = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('domain'),
    code: DomainErrorCode,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    source: z.literal('protocol'),
    status: z.number().int().min(400).max(599),
    scimType: z.string().optional(),
    detail: z.string(),
  }),
]);
export type WriteError = z.infer<typeof WriteError>;

/**
 * A User as its write committed it, when the worker knows all of it: the api answers the SCIM
 * request with it instead of reading the row back (a round trip to PostgreSQL per write).
 */
export const CommittedUser = z.object({
  document: z.record(z.string(), z.unknown()),
  active: z.boolean(),
  created: z.iso.datetime(),
  lastModified: z.iso.datetime(),
  groups: z.array(z.object({ value: z.string(), display: z.string() })),
});
export type CommittedUser = z.infer<typeof CommittedUser>;

export const WriteOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    status: z.union([z.literal(200), z.literal(201), z.literal(204)]),
    resourceType: z.enum(['User', 'Group', 'Member', 'Invitation', 'SyncFailure']).nullable(),
    id: z.string().nullable(),
    version: z.number().int().nullable(),
    user: CommittedUser.optional(),
  }),
  z.object({ ok: z.literal(false), error: WriteError }),
]);
export type WriteOutcome = z.infer<typeof WriteOutcome>;

// ---------------------------------------------------------------------------------------------
// Payloads. Ids and versions only: job data sits in Redis as plaintext (no secrets, no entities).

export const ScimWriteData = z
  .object({
    v: z.literal(1),
    organizationId: Uuid,
    requestId: z.string().min(1).max(200),
    resource: z.enum(['User', 'Group']),
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
    resourceId: Uuid.optional(),
    /** The adapter's validated, normalized request body (a PatchOp message for PATCH). */
    body: z.json().optional(),
    ifMatch: z.string().optional(),
  })
  .superRefine((d, ctx) => {
    // The shape every write needs; catching it here keeps a half-built job out of the queue.
    if (d.method === 'POST' && d.resourceId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['resourceId'], message: 'POST creates: no resourceId' });
    }
    if (d.method !== 'POST' && d.resourceId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resourceId'], message: `${d.method} needs a resourceId` });
    }
    if (d.method !== 'DELETE' && d.body === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `${d.method} needs a body` });
    }
  });
export type ScimWriteData = z.infer<typeof ScimWriteData>;

const memberCommand = <K extends string>(kind: K) => z.object({ kind: z.literal(kind), memberId: Uuid });
const groupMembersCommand = <K extends string>(kind: K) =>
  z.object({ kind: z.literal(kind), groupId: Uuid, memberIds: z.array(Uuid).min(1).max(10_000) });

export const AdminCommand = z.discriminatedUnion('kind', [
  memberCommand('member.revoke'),
  memberCommand('member.restore'),
  memberCommand('member.remove'),
  memberCommand('member.confirm'),
  z.object({
    kind: z.literal('member.setExternalId'),
    memberId: Uuid,
    externalId: z.string().min(1).nullable(),
  }),
  memberCommand('invitation.resend'),
  // A hash of the invitation token: the token itself never enters Redis.
  z.object({ kind: z.literal('invitation.accept'), tokenHash: z.string().min(1) }),
  groupMembersCommand('group.addMembers'),
  groupMembersCommand('group.removeMembers'),
  z.object({ kind: z.literal('syncFailure.retry'), failureId: Uuid }),
]);
export type AdminCommand = z.infer<typeof AdminCommand>;

export const AdminWriteData = z.object({
  v: z.literal(1),
  organizationId: Uuid,
  requestId: z.string().min(1).max(200),
  actor: z.object({ tokenId: z.string().min(1) }),
  command: AdminCommand,
});
export type AdminWriteData = z.infer<typeof AdminWriteData>;

export const MailSendData = z.object({ v: z.literal(1), outboxId: Uuid });
export const MailSendResult = z.object({ sent: z.boolean() });

export const FailureDigestData = z.object({ v: z.literal(1), organizationId: Uuid });
export const FailureDigestResult = z.object({ emails: z.number().int().min(0) });

// ---------------------------------------------------------------------------------------------
// The table

interface JobSpec<D extends z.ZodType, R extends z.ZodType> {
  queue: QueueName;
  data: D;
  result: R;
  /** Default job id: at most one such job exists while it is kept (any state). */
  jobId?: (data: z.output<D>) => string;
  /** Default deduplication id: blocks re-adds only until the job finishes. */
  dedupId?: (data: z.output<D>) => string;
}

// Identity helper so jobId/dedupId callbacks see the payload type of their own job.
const defineJob = <D extends z.ZodType, R extends z.ZodType>(spec: JobSpec<D, R>) => spec;

export const jobs = {
  'scim.write': defineJob({ queue: QueueName.provisioning, data: ScimWriteData, result: WriteOutcome }),
  'admin.write': defineJob({ queue: QueueName.provisioning, data: AdminWriteData, result: WriteOutcome }),
  // One send per outbox row, however often the row is enqueued.
  'mail.send': defineJob({
    queue: QueueName.mail,
    data: MailSendData,
    result: MailSendResult,
    jobId: (d) => `mail-${d.outboxId}`,
  }),
  // One digest per organization and window: the producer passes jobId `digest-<org>-<dueMs>`, so
  // failures of the same window fold into one job, and a later window is never dropped.
  'failure.digest': defineJob({
    queue: QueueName.mail,
    data: FailureDigestData,
    result: FailureDigestResult,
  }),
};

export type JobName = keyof typeof jobs;
export const jobNames = Object.keys(jobs) as JobName[];
/** What a producer passes. */
export type JobInput<N extends JobName> = z.input<(typeof jobs)[N]['data']>;
/** What a handler receives (parsed). */
export type JobData<N extends JobName> = z.output<(typeof jobs)[N]['data']>;
export type JobResult<N extends JobName> = z.output<(typeof jobs)[N]['result']>;

export const isJobName = (name: string): name is JobName => Object.hasOwn(jobs, name);

// The table is keyed by N, but TS cannot follow a generic index into a schema's output type;
// these two functions are the single place that bridges it.
export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N> {
  return jobs[name].data.parse(data) as JobData<N>;
}

export function safeParseJobData<N extends JobName>(
  name: N,
  data: unknown,
): { success: true; data: JobData<N> } | { success: false; error: z.ZodError } {
  const r = jobs[name].data.safeParse(data);
  return r.success ? { success: true, data: r.data as JobData<N> } : { success: false, error: r.error };
}

export function safeParseJobResult<N extends JobName>(
  name: N,
  value: unknown,
): { success: true; data: JobResult<N> } | { success: false; error: z.ZodError } {
  const r = jobs[name].result.safeParse(value);
  return r.success ? { success: true, data: r.data as JobResult<N> } : { success: false, error: r.error };
}

// ---------------------------------------------------------------------------------------------
// Handlers (implemented by apps/worker)

export interface JobContext {
  jobId: string;
  /**
   * When the job was added (epoch ms). With jobId it names this job: its stalled re-runs and
   * retries share both, while a later job added under the same id (after the first was removed)
   * has a new one.
   */
  enqueuedAt: number;
  name: JobName;
  /** 1-based number of this attempt. */
  attempt: number;
  maxAttempts: number;
  /** True when a throw now ends the job as failed (no retry left): record "retries exhausted". */
  isFinalAttempt: boolean;
  /**
   * True on the job's first start: no earlier run (a retry, or a re-run after a stall or a crash)
   * can have committed anything, so exactly-once checks can be skipped.
   */
  firstRun: boolean;
  requestId?: string;
  log: (obj: Record<string, unknown>, msg: string) => void;
}

/** A missing or misspelled handler fails to compile: `handlers satisfies Handlers`. */
export type Handlers = {
  [N in JobName]: (data: JobData<N>, ctx: JobContext) => Promise<JobResult<N>>;
};

type KeyFn = (data: unknown) => string;

/** The job's default id and deduplication id, if its spec defines them. */
export function jobKeys(name: JobName, data: unknown): { jobId?: string; dedupId?: string } {
  const spec = jobs[name] as { jobId?: KeyFn; dedupId?: KeyFn };
  return { jobId: spec.jobId?.(data), dedupId: spec.dedupId?.(data) };
}

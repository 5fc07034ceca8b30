// Membership and member-state changes go through the provisioning queue like SCIM writes do:
// the worker applies them in one transaction with the same domain rules, audit and failure records.
import { createHash } from 'node:crypto';
import { canonicalJson, type AdminCommand, type WriteOutcome } from '@repo/jobs';
import type { TrpcContext } from './context.js';
import { settledOutcome, writeErrorToTrpc, type AppliedWrite } from './errors.js';

export interface AdminWrite {
  organizationId: string;
  /** The admin token id (audit actorId); 'invitee' for the public invitation accept. */
  actorId: string;
  command: AdminCommand;
  /** What makes two calls the same job; default: the request id. */
  idempotencyKey?: string;
}

/**
 * The job id covers (organization, command, request id): a retry of the same HTTP request (same
 * x-request-id) joins its job and gets its outcome; a new request is a new job, so a change that
 * was refused (say, out of seats) can be tried again at once after the admin fixed the cause.
 */
export function adminJobId(organizationId: string, command: AdminCommand, key: string): string {
  const material = canonicalJson([organizationId, command, key]);
  return `a-${createHash('sha256').update(material).digest('hex')}`;
}

/** Runs the command through the queue and returns the worker's outcome; queue states throw. */
export async function executeAdminCommand(ctx: TrpcContext, write: AdminWrite): Promise<WriteOutcome> {
  const { organizationId, command } = write;
  const jobId = adminJobId(organizationId, command, write.idempotencyKey ?? ctx.requestId);
  const outcome = await ctx.producer.execute(
    'admin.write',
    { v: 1, organizationId, requestId: ctx.requestId, actor: { tokenId: write.actorId }, command },
    { jobId, organizationId },
  );
  return settledOutcome(outcome);
}

/** Runs the command through the queue; a rejection throws its TRPCError. */
export async function applyAdminCommand(ctx: TrpcContext, write: AdminWrite): Promise<AppliedWrite> {
  const result = await executeAdminCommand(ctx, write);
  if (!result.ok) throw writeErrorToTrpc(result.error);
  return result;
}

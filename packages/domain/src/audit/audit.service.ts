import type { ServiceContext } from '../shared/context.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditInput {
  action: string;
  targetType: 'member' | 'group' | 'organization' | 'invitation' | 'admin_token' | 'sync_failure';
  targetId: string | null;
  data?: Record<string, unknown>;
  outcome?: 'success' | 'failure';
}

/** Persisted with the change it describes (same unit of work / transaction). */
export function recordAudit(ctx: ServiceContext, input: AuditInput): void {
  ctx.em.create(AuditEvent, {
    organization: ctx.organizationId,
    actor: ctx.actor,
    actorId: ctx.actorId ?? null,
    action: input.action,
    outcome: input.outcome ?? 'success',
    targetType: input.targetType,
    targetId: input.targetId,
    data: input.data ?? null,
    requestId: ctx.requestId ?? null,
    createdAt: ctx.now ?? new Date(),
  });
}

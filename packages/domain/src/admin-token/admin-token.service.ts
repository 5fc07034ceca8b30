import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit } from '../audit/audit.service.js';
import { invalidValue, notFound } from '../errors.js';
import { Organization } from '../organization/organization.entity.js';
import { hashSecret, newSecret } from '../shared/secrets.js';
import { AdminToken, type AdminRole } from './admin-token.entity.js';

export interface AdminPrincipal {
  tokenId: string;
  role: AdminRole;
  /** null = all organizations */
  organizationId: string | null;
}

/** Creates an admin token; the plaintext is returned once and stored hashed. */
export async function createAdminToken(
  em: EntityManager,
  input: { organizationId: string | null; role: AdminRole; name?: string; createdBy?: string | null },
): Promise<{ token: string; id: string }> {
  if (input.organizationId !== null && !(await em.count(Organization, input.organizationId))) {
    throw notFound('Organization not found.');
  }
  const name = (input.name ?? `${input.role} token`).trim();
  if (!name || name.length > 100) throw invalidValue('A token name is 1 to 100 characters.');
  const token = newSecret('sat');
  const row = em.create(AdminToken, {
    id: randomUUID(),
    organization: input.organizationId,
    role: input.role,
    name,
    tokenHash: hashSecret(token),
  });
  if (input.organizationId) {
    recordAudit(
      {
        em,
        organizationId: input.organizationId,
        actor: input.createdBy ? 'admin' : 'system',
        actorId: input.createdBy ?? null,
      },
      {
        action: 'admin_token.created',
        targetType: 'admin_token',
        targetId: row.id,
        data: { role: input.role, name },
      },
    );
  }
  await em.flush();
  return { token, id: row.id };
}

/** Looks a presented token up by its hash (unique index); revoked tokens don't authenticate. */
export async function authenticateAdminToken(
  em: EntityManager,
  token: string,
): Promise<AdminPrincipal | null> {
  const row = await em.findOne(AdminToken, { tokenHash: hashSecret(token), revokedAt: null });
  if (!row) return null;
  return { tokenId: row.id, role: row.role, organizationId: row.organization?.id ?? null };
}

export async function revokeAdminToken(em: EntityManager, tokenId: string, scope: string | null, by: string) {
  const row = await em.findOne(AdminToken, { id: tokenId, ...(scope ? { organization: scope } : {}) });
  if (!row) throw notFound('Token not found.');
  if (!row.revokedAt) {
    row.revokedAt = new Date();
    if (row.organization) {
      recordAudit(
        { em, organizationId: row.organization.id, actor: 'admin', actorId: by },
        { action: 'admin_token.revoked', targetType: 'admin_token', targetId: row.id },
      );
    }
    await em.flush();
  }
  return row;
}

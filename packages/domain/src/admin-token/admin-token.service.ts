import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { auditRows } from '../audit/audit.service.js';
import { invalidValue, notFound } from '../errors.js';
import { insertRows, withInserts, type TableRows } from '../shared/insert-rows.js';
import { forUpdate } from '../shared/locking.js';
import { asDate, dateOrNull, textOrNull } from '../shared/row-values.js';
import { hashSecret, newSecret } from '../shared/secrets.js';
import { execute } from '../shared/sql.js';
import { AdminToken, type AdminRole } from './admin-token.entity.js';

export interface AdminPrincipal {
  tokenId: string;
  role: AdminRole;
  /** null = all organizations */
  organizationId: string | null;
}

/** A token's row as the admin API shows it (never its hash). */
export interface AdminTokenRow {
  id: string;
  name: string;
  role: AdminRole;
  organizationId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/**
 * Creates an admin token; the plaintext is returned once and stored hashed. Plain SQL, like the
 * other settings changes (organization.service.ts says why).
 */
export async function createAdminToken(
  em: EntityManager,
  input: { organizationId: string | null; role: AdminRole; name?: string; createdBy?: string | null },
): Promise<{ token: string; id: string }> {
  if (input.organizationId !== null) {
    const [org] = await execute(em, 'select id from organization where id = ?', [input.organizationId]);
    if (!org) throw notFound('Organization not found.');
  }
  const name = (input.name ?? `${input.role} token`).trim();
  if (!name || name.length > 100) throw invalidValue('A token name is 1 to 100 characters.');
  const token = newSecret('sat');
  const id = randomUUID();
  const now = new Date();
  const rows: TableRows[] = [
    {
      table: 'admin_token',
      columns: ['id', 'organization_id', 'role', 'name', 'token_hash', 'created_at'],
      rows: [[id, input.organizationId, input.role, name, hashSecret(token), now]],
    },
  ];
  if (input.organizationId) {
    const ctx = {
      em,
      organizationId: input.organizationId,
      actor: input.createdBy ? ('admin' as const) : ('system' as const),
      actorId: input.createdBy ?? null,
      now,
    };
    rows.push(
      auditRows(ctx, [
        {
          action: 'admin_token.created',
          targetType: 'admin_token',
          targetId: id,
          data: { role: input.role, name },
        },
      ]),
    );
  }
  await insertRows(em, rows);
  return { token, id };
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

/** Revokes a token of the scope (null = any); revoking twice changes nothing. */
export async function revokeAdminToken(
  em: EntityManager,
  tokenId: string,
  scope: string | null,
  by: string,
): Promise<AdminTokenRow> {
  const [row] = await execute(
    em,
    `select id, name, role, organization_id, created_at, revoked_at, last_used_at from admin_token
      where id = ?${scope ? ' and organization_id = ?' : ''}${forUpdate(em)}`,
    [tokenId, ...(scope ? [scope] : [])],
  );
  if (!row) throw notFound('Token not found.');
  const token: AdminTokenRow = {
    id: String(row['id']),
    name: String(row['name']),
    role: row['role'] as AdminRole,
    organizationId: textOrNull(row['organization_id']),
    createdAt: asDate(row['created_at']),
    revokedAt: dateOrNull(row['revoked_at']),
    lastUsedAt: dateOrNull(row['last_used_at']),
  };
  if (token.revokedAt) return token;
  const now = new Date();
  const events = token.organizationId
    ? [
        auditRows({ em, organizationId: token.organizationId, actor: 'admin', actorId: by, now }, [
          { action: 'admin_token.revoked', targetType: 'admin_token', targetId: token.id },
        ]),
      ]
    : [];
  await withInserts(em, events, 'update admin_token set revoked_at = ? where id = ?', [now, token.id]);
  return { ...token, revokedAt: now };
}

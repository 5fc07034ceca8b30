import type { EntityManager } from '@mikro-orm/core';
import { authenticateAdminToken, type AdminPrincipal } from '@repo/domain';

/** Reads `Authorization: Bearer <admin token>`; null when absent, malformed or unknown. */
export async function adminPrincipalFrom(
  em: EntityManager,
  authorization: string | undefined,
): Promise<AdminPrincipal | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1] || match[1].length > 200) return null;
  return authenticateAdminToken(em, match[1]);
}

/** Whether a principal may see (or, with admin role, change) an organization. */
export const canAccessOrganization = (p: AdminPrincipal, organizationId: string): boolean =>
  p.organizationId === null || p.organizationId === organizationId;

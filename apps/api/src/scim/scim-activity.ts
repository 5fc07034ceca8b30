import type { MikroORM } from '@mikro-orm/core';
import { Organization } from '@repo/domain';
import type { ScimClient, ScimRequestContext } from '@repo/scim-adapter';

/**
 * Records the last SCIM request and the detected IdP for the admin console, at most once a minute
 * per organization so a sync of thousands of requests doesn't write the organization row each time.
 */
export function createScimActivityRecorder(orm: MikroORM, intervalMs = 60_000) {
  const last = new Map<string, { at: number; client: ScimClient }>();
  return (ctx: ScimRequestContext): void => {
    const now = Date.now();
    const seen = last.get(ctx.organizationId);
    if (seen && now - seen.at < intervalMs && seen.client === ctx.client) return;
    last.set(ctx.organizationId, { at: now, client: ctx.client });
    void orm.em
      .fork()
      .nativeUpdate(
        Organization,
        { id: ctx.organizationId },
        { lastScimRequestAt: new Date(now), lastScimClient: ctx.client },
      )
      .catch(() => last.delete(ctx.organizationId));
  };
}

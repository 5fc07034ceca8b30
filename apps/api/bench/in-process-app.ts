// Item 4's baseline over HTTP: the api itself (buildApp, the same routes, auth, validation and
// answer), running in the bench process, whose SCIM writer calls the domain service directly
// instead of going through the queue. Only POST /Users, the request item 4 measures.
import type { MikroORM } from '@mikro-orm/core';
import {
  provisionedUserState,
  plainTransaction,
  provisionMember,
  resolveSyncFailures,
  type MemberRow,
  type MemberServiceSettings,
  type ServiceContext,
} from '@repo/domain';
import { parseUser, type ScimWriter } from '@repo/scim-adapter';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createApiProducer } from '../src/producer.js';
import { renderCommittedUser } from '../src/scim/scim-writer.js';

/** The worker's transaction for a SCIM POST /Users (provision, resolve its failures), in-process. */
export async function provisionInProcess(
  orm: MikroORM,
  settings: MemberServiceSettings,
  organizationId: string,
  requestId: string,
  body: unknown,
): Promise<MemberRow> {
  return plainTransaction(orm.em, async (em) => {
    const ctx: ServiceContext = { em, organizationId, actor: 'scim', requestId };
    const member = await provisionMember(ctx, parseUser(body), settings);
    await resolveSyncFailures(ctx, { resourceType: 'User', target: member.userName });
    return member;
  });
}

/** A SCIM writer that runs provisionInProcess instead of enqueueing. */
export function inProcessUserWriter(orm: MikroORM, settings: MemberServiceSettings): ScimWriter {
  return {
    async write(ctx, req) {
      if (req.resource !== 'User' || req.method !== 'POST') {
        throw new Error(
          `the in-process baseline handles POST /Users only, not ${req.method} ${req.resource}`,
        );
      }
      const member = await provisionInProcess(orm, settings, ctx.organizationId, ctx.requestId, req.body);
      // Answered like the queue's writer: from the committed row when the member is new.
      const user = provisionedUserState(member);
      return {
        kind: 'ok',
        status: 201,
        id: member.id,
        ...(user ? { stored: renderCommittedUser(ctx, member.id, member.version, user) } : {}),
      };
    },
  };
}

/** Listens on a free loopback port with the service's own configuration (env). */
export async function startInProcessApp(orm: MikroORM, env: Record<string, string>) {
  const config = loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'error' });
  const logger = pino({ level: config.logLevel });
  const producer = createApiProducer(config, logger);
  const app = await buildApp({
    config,
    orm,
    producer,
    logger,
    scimWriter: inProcessUserWriter(orm, { invitations: { publicUrl: config.http.publicUrl } }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl: address,
    async close() {
      await app.close();
      await producer.close();
    },
  };
}

// Shared by the tRPC integration tests: callers built by hand from a principal (createCaller) and
// typed HTTP clients (httpBatchLink) for the same tokens.
import { randomUUID } from 'node:crypto';
import {
  authenticateAdminToken,
  Member,
  OutboxEmail,
  provisionMember,
  type AdminPrincipal,
} from '@repo/domain';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import type { TrpcContext } from '../src/trpc/context.js';
import { HintedCause } from '../src/trpc/errors.js';
import { createCaller, type AppRouter } from '../src/trpc/router.js';
import type { TestApp, TestOrganization } from './helpers/test-app.js';

export async function principalOf(testApp: TestApp, token: string): Promise<AdminPrincipal> {
  const principal = await authenticateAdminToken(testApp.orm.em.fork(), token);
  if (!principal) throw new Error('token does not authenticate');
  return principal;
}

/** A caller whose every call gets a fresh context (fresh fork, new request id), like a request. */
export function callerFor(testApp: TestApp, principal: AdminPrincipal | null, requestId?: () => string) {
  return createCaller((): TrpcContext => ({
    em: testApp.orm.em.fork(),
    principal,
    requestId: requestId?.() ?? randomUUID(),
    producer: testApp.producer,
    config: testApp.config,
    // Callers built by hand skip HTTP, so no SCIM key cache of the app's is involved.
    scimKeys: { forget: () => undefined },
  }));
}

export function clientFor(testApp: TestApp, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${testApp.url}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

export interface CaughtError {
  code: string;
  message: string;
  reason: string | null;
  httpStatus: number | null;
  details: Record<string, unknown> | null;
}

/** The error a call failed with, the same way for createCaller and HTTP; null when it succeeded. */
export async function errorOf(call: Promise<unknown>): Promise<CaughtError | null> {
  try {
    await call;
    return null;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = (e as TRPCClientError<AppRouter>).data;
      return {
        code: data?.code ?? 'UNKNOWN',
        message: e.message,
        reason: data?.reason ?? null,
        httpStatus: data?.httpStatus ?? null,
        details: data?.details ?? null,
      };
    }
    if (e instanceof TRPCError) {
      const hints = e.cause instanceof HintedCause ? e.cause.hints : null;
      return {
        code: e.code,
        message: e.message,
        reason: hints?.reason ?? null,
        httpStatus: null,
        details: hints?.details ?? null,
      };
    }
    throw e;
  }
}

/** Creates a user through the SCIM API (so through the queue and the worker); returns its id. */
export async function scimUser(
  org: TestOrganization,
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(`${org.scimUrl}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.scimKey}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
      ...extra,
    }),
  });
  const body = (await res.json()) as { id?: string; detail?: string };
  if (res.status !== 201 || !body.id)
    throw new Error(`SCIM create ${userName}: ${res.status} ${body.detail ?? ''}`);
  return body.id;
}

/**
 * Provisions a member with the domain service, as the worker does for a SCIM POST (actor scim):
 * invited (with an invitation e-mail in the outbox) or staged per the organization's mode.
 */
export async function seedMember(
  testApp: TestApp,
  organizationId: string,
  userName: string,
  opts: { externalId?: string; displayName?: string } = {},
): Promise<string> {
  return testApp.orm.em.fork().transactional(async (em) => {
    const member = await provisionMember(
      { em, organizationId, actor: 'scim' },
      {
        userName,
        externalId: opts.externalId ?? null,
        active: true,
        displayName: opts.displayName ?? null,
        givenName: null,
        familyName: null,
        emails: [{ value: userName, type: 'work', primary: true }],
        managerId: null,
        document: { userName },
      },
      { invitations: { publicUrl: 'http://localhost:3000' } },
    );
    return member.id;
  });
}

/** The token in the newest invitation e-mail to `email` (read from the outbox row). */
export async function invitationToken(
  testApp: TestApp,
  organizationId: string,
  email: string,
): Promise<string> {
  const rows = await testApp.orm.em
    .fork()
    .find(
      OutboxEmail,
      { organization: organizationId, kind: 'invitation' },
      { orderBy: { createdAt: 'desc' } },
    );
  const row = rows.find((r) => r.to.includes(email));
  const token = row ? /[?&]token=([^\s&"<]+)/.exec(row.text)?.[1] : undefined;
  if (!token) throw new Error(`no invitation e-mail to ${email}`);
  return decodeURIComponent(token);
}

export async function memberRow(testApp: TestApp, memberId: string): Promise<Member | null> {
  return testApp.orm.em.fork().findOne(Member, memberId);
}

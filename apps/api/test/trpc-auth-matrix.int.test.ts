// The authorization matrix: EVERY procedure of the router × {no token, reader, admin, another
// organization's admin}, through createCaller and over HTTP with the typed client. Expectations
// come from each procedure's `meta.access`, and the sample inputs must cover the router exactly,
// so a new procedure can't skip this test.
import { randomUUID } from 'node:crypto';
import type { AdminPrincipal } from '@repo/domain';
import type { inferRouterInputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appRouter, type AppRouter } from '../src/trpc/router.js';
import type { ProcedureMeta } from '../src/trpc/trpc.js';
import { startTestApp, type TestApp, type TestOrganization } from './helpers/test-app.js';
import { callerFor, clientFor, errorOf, principalOf, type CaughtError } from './trpc-helpers.js';

type Inputs = inferRouterInputs<AppRouter>;
type Samples = { [A in keyof Inputs]: { [P in keyof Inputs[A]]: (organizationId: string) => Inputs[A][P] } };

// A valid input per procedure; ids are random, so admins get clean NOT_FOUNDs, not side effects.
const samples: Samples = {
  organizations: {
    get: (o) => ({ organizationId: o }),
    update: (o) => ({ organizationId: o, name: 'Renamed' }),
  },
  scim: {
    status: (o) => ({ organizationId: o }),
    enable: (o) => ({ organizationId: o }),
    disable: (o) => ({ organizationId: o }),
    rotateKey: (o) => ({ organizationId: o }),
  },
  members: {
    list: (o) => ({ organizationId: o }),
    get: (o) => ({ organizationId: o, memberId: randomUUID() }),
    setExternalId: (o) => ({ organizationId: o, memberId: randomUUID(), externalId: 'ext-1' }),
    revoke: (o) => ({ organizationId: o, memberId: randomUUID() }),
    restore: (o) => ({ organizationId: o, memberId: randomUUID() }),
    confirm: (o) => ({ organizationId: o, memberId: randomUUID() }),
    remove: (o) => ({ organizationId: o, memberId: randomUUID() }),
  },
  invitations: {
    resend: (o) => ({ organizationId: o, memberId: randomUUID() }),
    accept: () => ({ token: `inv_${randomUUID()}` }),
  },
  groups: {
    list: (o) => ({ organizationId: o }),
    get: (o) => ({ organizationId: o, groupId: randomUUID() }),
    addMembers: (o) => ({ organizationId: o, groupId: randomUUID(), memberIds: [randomUUID()] }),
    removeMembers: (o) => ({ organizationId: o, groupId: randomUUID(), memberIds: [randomUUID()] }),
  },
  syncFailures: {
    list: (o) => ({ organizationId: o }),
    get: (o) => ({ organizationId: o, failureId: randomUUID() }),
    resolve: (o) => ({ organizationId: o, failureId: randomUUID() }),
    dismiss: (o) => ({ organizationId: o, failureId: randomUUID() }),
    retry: (o) => ({ organizationId: o, failureId: randomUUID() }),
  },
  notifications: {
    get: (o) => ({ organizationId: o }),
    set: (o) => ({ organizationId: o, digestWindowMinutes: 30 }),
    sendTest: (o) => ({ organizationId: o }),
  },
  auditEvents: {
    list: (o) => ({ organizationId: o }),
  },
  tokens: {
    list: (o) => ({ organizationId: o }),
    create: (o) => ({ organizationId: o, role: 'reader', name: 'matrix' }),
    revoke: (o) => ({ organizationId: o, tokenId: randomUUID() }),
  },
};

interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation';
  access: ProcedureMeta['access'] | undefined;
  sample: (organizationId: string) => unknown;
}

const sampleByPath = new Map<string, (organizationId: string) => unknown>(
  Object.entries(samples).flatMap(([area, procs]) =>
    Object.entries(procs as Record<string, (o: string) => unknown>).map(
      ([name, fn]) => [`${area}.${name}`, fn] as const,
    ),
  ),
);

type ProcedureDef = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: ProcedureMeta } };
const procedures: ProcedureInfo[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
).map(([path, p]) => {
  if (p._def.type === 'subscription') throw new Error(`${path}: subscriptions are not covered`);
  return {
    path,
    type: p._def.type,
    access: p._def.meta?.access,
    sample: sampleByPath.get(path) ?? (() => ({})),
  };
});

type Who = 'no token' | 'reader' | 'admin' | "other organization's admin";
type Expectation = 'unauthorized' | 'forbidden' | 'allowed';

function expectation(p: ProcedureInfo, who: Who): Expectation {
  if (p.access === 'public') return 'allowed';
  if (who === 'no token') return 'unauthorized';
  if (who === "other organization's admin") return 'forbidden';
  if (who === 'reader' && p.access === 'admin') return 'forbidden';
  return 'allowed';
}

// An allowed call on random ids succeeds or is refused cleanly; never 401/403, never a 500.
const CLEAN_REFUSALS = ['NOT_FOUND', 'BAD_REQUEST', 'PRECONDITION_FAILED', 'CONFLICT'];

function check(p: ProcedureInfo, who: Who, error: CaughtError | null): void {
  const expected = expectation(p, who);
  if (expected === 'allowed') {
    if (error)
      expect(CLEAN_REFUSALS, `${p.path} as ${who}: ${error.code} ${error.message}`).toContain(error.code);
  } else {
    expect(error?.code, `${p.path} as ${who}`).toBe(
      expected === 'unauthorized' ? 'UNAUTHORIZED' : 'FORBIDDEN',
    );
  }
}

type Invoke = (p: ProcedureInfo, input: unknown) => Promise<unknown>;

let testApp: TestApp;
let orgA: TestOrganization;
let orgB: TestOrganization;
let principals: Record<Exclude<Who, 'no token'>, AdminPrincipal>;

beforeAll(async () => {
  testApp = await startTestApp();
  orgA = await testApp.organization('Org A');
  orgB = await testApp.organization('Org B');
  principals = {
    reader: await principalOf(testApp, orgA.readerToken),
    admin: await principalOf(testApp, orgA.adminToken),
    "other organization's admin": await principalOf(testApp, orgB.adminToken),
  };
});
afterAll(async () => {
  await testApp?.close();
});

test('the sample inputs cover exactly the router’s procedures', () => {
  expect([...sampleByPath.keys()].sort()).toEqual(procedures.map((p) => p.path).sort());
});

test('every procedure declares its access; a reader can only query', () => {
  for (const p of procedures) {
    expect(p.access, p.path).toBeDefined();
    if (p.type === 'mutation') expect(p.access, `${p.path} is a mutation`).not.toBe('reader');
    if (p.type === 'query') expect(p.access, `${p.path} is a query`).not.toBe('admin');
  }
});

const WHO: Who[] = ['no token', 'reader', 'admin', "other organization's admin"];

describe.each(['createCaller', 'http'] as const)('via %s', (transport) => {
  const tokenOf = (who: Who): string | undefined =>
    who === 'no token'
      ? undefined
      : who === 'reader'
        ? orgA.readerToken
        : who === 'admin'
          ? orgA.adminToken
          : orgB.adminToken;

  function invoker(who: Who): Invoke {
    if (transport === 'createCaller') {
      const caller = callerFor(testApp, who === 'no token' ? null : principals[who]) as unknown as Record<
        string,
        Record<string, (input: unknown) => Promise<unknown>>
      >;
      return (p, input) => {
        const [area = '', name = ''] = p.path.split('.');
        return caller[area]![name]!(input);
      };
    }
    const client = clientFor(testApp, tokenOf(who)) as unknown as Record<
      string,
      Record<string, { query(input: unknown): Promise<unknown>; mutate(input: unknown): Promise<unknown> }>
    >;
    return (p, input) => {
      const [area = '', name = ''] = p.path.split('.');
      const proc = client[area]![name]!;
      return p.type === 'query' ? proc.query(input) : proc.mutate(input);
    };
  }

  describe.each(WHO)('as %s', (who) => {
    test.each(procedures.map((p) => [p.path, p] as const))('%s', async (_path, p) => {
      const error = await errorOf(invoker(who)(p, p.sample(orgA.id)));
      check(p, who, error);
      if (transport === 'http' && error?.code === 'UNAUTHORIZED') expect(error.httpStatus).toBe(401);
      if (transport === 'http' && error?.code === 'FORBIDDEN') expect(error.httpStatus).toBe(403);
    });
  });

  test('a scoped token learns nothing about another organization: same answer whether it exists or not', async () => {
    const call = invoker("other organization's admin");
    for (const p of procedures.filter((x) => x.access !== 'public')) {
      const existing = await errorOf(call(p, p.sample(orgA.id)));
      const missing = await errorOf(call(p, p.sample(randomUUID())));
      expect(existing?.code, p.path).toBe('FORBIDDEN');
      expect(missing, p.path).toEqual(existing);
    }
  });
});

test('an all-organizations token reaches any organization; an unknown one is NOT_FOUND', async () => {
  const reader = callerFor(testApp, await principalOf(testApp, await testApp.allOrgsToken('reader')));
  expect((await reader.organizations.get({ organizationId: orgB.id })).name).toBe('Org B');
  expect(await errorOf(reader.organizations.update({ organizationId: orgB.id, name: 'x' }))).toMatchObject({
    code: 'FORBIDDEN',
  });
  expect(await errorOf(reader.members.list({ organizationId: randomUUID() }))).toMatchObject({
    code: 'NOT_FOUND',
  });
});

test('a malformed, unknown or revoked token is UNAUTHORIZED over HTTP', async () => {
  const org = await testApp.organization('Tokens');
  const admin = clientFor(testApp, org.adminToken);
  const created = await admin.tokens.create.mutate({
    organizationId: org.id,
    role: 'reader',
    name: 'short-lived',
  });
  expect(
    (await clientFor(testApp, created.token).scim.status.query({ organizationId: org.id })).enabled,
  ).toBe(true);
  await admin.tokens.revoke.mutate({ organizationId: org.id, tokenId: created.id });
  for (const token of [created.token, 'sat_unknown', 'two words']) {
    const error = await errorOf(clientFor(testApp, token).scim.status.query({ organizationId: org.id }));
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, reason: 'unauthenticated' });
  }
});

// Test helpers for the GraphQL API: POST /graphql over real HTTP, and seeding by raw SQL where the
// domain services would be slow or can't set timestamps.
import { randomUUID } from 'node:crypto';
import { executeSql } from '@repo/domain';
import type { TestApp } from './helpers/test-app.js';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

// Response data is whatever the query selected; the assertions check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphQLResult<T = any> {
  status: number;
  data: T | null | undefined;
  errors: GraphQLErrorBody[] | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function gql<T = any>(
  t: TestApp,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<T>> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GraphQLErrorBody[] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The nodes of a connection, in order. */
export const nodesOf = <T>(connection: { edges: { node: T }[] }): T[] => connection.edges.map((e) => e.node);

/** Runs a statement on a fresh fork; Dates and booleans bound as each database stores them. */
export async function sql(t: TestApp, statement: string, params: unknown[] = []) {
  const sqlite = t.db.kind === 'sqlite';
  const bound = params.map((p) => {
    if (p instanceof Date) return sqlite ? p.getTime() : p.toISOString();
    if (typeof p === 'boolean' && sqlite) return Number(p);
    return p;
  });
  return executeSql(t.orm.em.fork(), statement, bound);
}

export interface SeedMember {
  id: string;
  userName: string;
  email: string | null;
  status: 'staged' | 'invited' | 'accepted' | 'confirmed' | 'revoked';
  scimManaged: boolean;
  createdAt: Date;
}

/** Inserts members directly (set-based, with chosen statuses and creation times). */
export async function insertMembers(
  t: TestApp,
  organizationId: string,
  members: readonly Omit<SeedMember, 'id'>[],
) {
  const rows: SeedMember[] = members.map((m) => ({ id: randomUUID(), ...m }));
  for (const m of rows) {
    await sql(
      t,
      `insert into member (id, organization_id, user_name, user_name_lower, email, email_lower, status, role, scim_managed, document, version, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, 'user', ?, '{}', 1, ?, ?)`,
      [
        m.id,
        organizationId,
        m.userName,
        m.userName.toLowerCase(),
        m.email,
        m.email?.toLowerCase() ?? null,
        m.status,
        m.scimManaged,
        m.createdAt,
        m.createdAt,
      ],
    );
  }
  return rows;
}

export async function insertGroup(
  t: TestApp,
  organizationId: string,
  displayName: string,
  memberIds: readonly string[] = [],
) {
  const id = randomUUID();
  const now = new Date();
  await sql(
    t,
    `insert into member_group (id, organization_id, display_name, display_name_lower, document, member_count, version, created_at, updated_at)
     values (?, ?, ?, ?, '{}', ?, 1, ?, ?)`,
    [id, organizationId, displayName, displayName.toLowerCase(), memberIds.length, now, now],
  );
  for (const memberId of memberIds) {
    await sql(t, 'insert into group_membership (group_id, member_id, created_at) values (?, ?, ?)', [
      id,
      memberId,
      now,
    ]);
  }
  return id;
}

export async function insertAuditEvent(
  t: TestApp,
  e: {
    organizationId: string;
    action: string;
    outcome?: 'success' | 'failure';
    actor?: 'scim' | 'admin' | 'system';
    targetType?: string;
    targetId?: string | null;
    createdAt: Date;
  },
) {
  await sql(
    t,
    `insert into audit_event (organization_id, actor, action, outcome, target_type, target_id, created_at) values (?, ?, ?, ?, ?, ?, ?)`,
    [
      e.organizationId,
      e.actor ?? 'scim',
      e.action,
      e.outcome ?? 'success',
      e.targetType ?? 'member',
      e.targetId ?? null,
      e.createdAt,
    ],
  );
}

export async function insertSyncFailure(
  t: TestApp,
  f: {
    organizationId: string;
    code: string;
    resourceType: string;
    status?: 'open' | 'resolved' | 'dismissed';
    occurrences?: number;
    firstSeenAt: Date;
    lastSeenAt: Date;
    target?: string;
  },
) {
  const id = randomUUID();
  await sql(
    t,
    `insert into sync_failure (id, organization_id, fingerprint, resource_type, operation, target, code, message, attempts, occurrences, status, first_seen_at, last_seen_at)
     values (?, ?, ?, ?, 'create', ?, ?, 'it failed', 1, ?, ?, ?, ?)`,
    [
      id,
      f.organizationId,
      id.replace(/-/g, ''),
      f.resourceType,
      f.target ?? `target-${id.slice(0, 8)}`,
      f.code,
      f.occurrences ?? 1,
      f.status ?? 'open',
      f.firstSeenAt,
      f.lastSeenAt,
    ],
  );
  return id;
}

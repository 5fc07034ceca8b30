// What procedures return: plain JSON (dates as ISO strings), never entities, hashes or documents
// the caller didn't ask for. Same shape over HTTP and through createCaller.
import type {
  AdminToken,
  AdminTokenRow,
  AuditEvent,
  Group,
  Member,
  OrganizationSettings,
  SyncFailureRow,
} from '@repo/domain';

/** Entities (reads) and plain-SQL rows (settings changes) alike: nullable columns may be absent. */
type Nullish<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] | undefined };

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const organizationView = (
  o: Nullish<
    Pick<
      OrganizationSettings,
      'id' | 'name' | 'seats' | 'provisionMode' | 'scimEnabled' | 'createdAt' | 'updatedAt'
    >,
    'seats'
  >,
  seatsUsed: number,
) => ({
  id: o.id,
  name: o.name,
  seats: o.seats ?? null,
  seatsUsed,
  provisionMode: o.provisionMode,
  scimEnabled: o.scimEnabled,
  createdAt: iso(o.createdAt),
  updatedAt: iso(o.updatedAt),
});

export const memberView = (m: Member) => ({
  id: m.id,
  userName: m.userName,
  externalId: m.externalId ?? null,
  email: m.email ?? null,
  displayName: m.displayName ?? null,
  givenName: m.givenName ?? null,
  familyName: m.familyName ?? null,
  status: m.status,
  previousStatus: m.previousStatus ?? null,
  role: m.role,
  scimManaged: m.scimManaged,
  version: m.version,
  createdAt: iso(m.createdAt),
  updatedAt: iso(m.updatedAt),
});
export type MemberView = ReturnType<typeof memberView>;

export const groupView = (g: Group) => ({
  id: g.id,
  displayName: g.displayName,
  externalId: g.externalId ?? null,
  memberCount: g.memberCount,
  version: g.version,
  createdAt: iso(g.createdAt),
  updatedAt: iso(g.updatedAt),
});

export const syncFailureView = (f: Nullish<SyncFailureRow, 'resolvedAt' | 'notifiedAt'>) => ({
  id: f.id,
  resourceType: f.resourceType,
  operation: f.operation,
  target: f.target,
  code: f.code,
  message: f.message,
  status: f.status,
  attempts: f.attempts,
  occurrences: f.occurrences,
  firstSeenAt: iso(f.firstSeenAt),
  lastSeenAt: iso(f.lastSeenAt),
  resolvedAt: isoOrNull(f.resolvedAt),
  notifiedAt: isoOrNull(f.notifiedAt),
});

export const auditEventView = (e: AuditEvent) => ({
  id: e.id,
  actor: e.actor,
  actorId: e.actorId ?? null,
  action: e.action,
  outcome: e.outcome,
  targetType: e.targetType,
  targetId: e.targetId ?? null,
  data: e.data ?? null,
  requestId: e.requestId ?? null,
  createdAt: iso(e.createdAt),
});

export const adminTokenView = (t: AdminTokenRow | AdminToken) => ({
  id: t.id,
  name: t.name,
  role: t.role,
  organizationId: 'organizationId' in t ? t.organizationId : (t.organization?.id ?? null),
  createdAt: iso(t.createdAt),
  revokedAt: isoOrNull(t.revokedAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
});

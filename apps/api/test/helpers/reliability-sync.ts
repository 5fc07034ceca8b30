// Shared by the crash, restart and multi-process tests: run the Entra simulator against a base
// URL, and read back from the database what "nothing lost, nothing twice" means — one member per
// userName and externalId, one invitation e-mail per member (outbox rows and .eml files), no sync
// failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { runSimulation, type SimulationResult } from '../../src/cli/simulate/run.js';
import { eventually } from './pipeline-util.js';

export interface SyncSize {
  users: number;
  groups: number;
  membersPerGroup: number;
  concurrency?: number;
  seed?: string;
  timeoutMs?: number;
}

/** The initial sync as Entra runs it (legacy dialect), verified against the simulated directory. */
export function simulate(url: string, token: string, size: SyncSize): Promise<SimulationResult> {
  return runSimulation({
    url,
    token,
    users: size.users,
    groups: size.groups,
    membersPerGroup: size.membersPerGroup,
    concurrency: size.concurrency ?? 16,
    seed: size.seed ?? 'reliability',
    cycles: 0,
    timeoutMs: size.timeoutMs ?? 300_000,
  });
}

/** What a failing run should show in the assertion message. */
export const explain = (r: SimulationResult) => ({
  errors: r.summary.errors.slice(0, 10),
  differences: r.verification?.differences.slice(0, 10) ?? 'not verified (timed out)',
  problems: r.verification?.problems ?? [],
});

/** The one-line summary printed for the CI log. */
export const describeRun = (r: SimulationResult): string => {
  const p = r.summary.provisioning;
  const retried = r.summary.kinds.reduce(
    (n, k) =>
      n +
      Object.entries(k.statuses)
        .filter(([s]) => s === '503' || s === '429')
        .reduce((a, [, c]) => a + c, 0),
    0,
  );
  return `${p.requests} requests (${p.writes} writes) in ${p.seconds}s, ${p.writesPerSecond} writes/s, ${retried} answers 503/429 retried by the client`;
};

type Rows = Array<Record<string, unknown>>;
const query = (orm: MikroORM, sql: string, params: unknown[] = []): Promise<Rows> =>
  orm.em.fork().getConnection().execute<Rows>(sql, params);

/** The `n` of a `select count(*) as n …`. */
const count = async (orm: MikroORM, sql: string, params: unknown[]): Promise<number> =>
  Number((await query(orm, sql, params))[0]!['n']);

export async function memberCount(orm: MikroORM, organizationId: string): Promise<number> {
  return count(orm, 'select count(*) as n from member where organization_id = ?', [organizationId]);
}

export interface Invariants {
  members: number;
  duplicateUserNames: Rows;
  duplicateExternalIds: Rows;
  /** Members with more than one creation audit event (provisioned twice). */
  provisionedTwice: Rows;
  /** Recipients with more than one invitation row in the outbox. */
  duplicateInvitationRows: Rows;
  invitationRows: number;
  /** Members provisioned as invited (each must get exactly one invitation). */
  invitedMembers: number;
  /** Recipients with more than one invitation .eml file (mail actually sent twice). */
  duplicateInvitationFiles: Array<[string, number]>;
  invitationFiles: number;
  syncFailures: Rows;
}

/**
 * Waits until the mail worker has sent every outbox row of the organization. Bounded, but past
 * the notification sweep's reach: a row whose mail job could not be enqueued (Redis down at that
 * moment) is re-enqueued by the sweep once it is 60 s old, and the sweep runs every 30 s.
 */
export async function outboxDrained(
  orm: MikroORM,
  organizationId: string,
  withinMs = 150_000,
): Promise<void> {
  const pending = () =>
    query(
      orm,
      `select id, attempts, last_error, created_at from outbox_email where organization_id = ? and status <> 'sent'`,
      [organizationId],
    );
  try {
    await eventually('outbox drained', async () => (await pending()).length === 0, withinMs, 500);
  } catch (e) {
    throw new Error(`${String(e)}: ${JSON.stringify((await pending()).slice(0, 5))}`, { cause: e });
  }
}

/** Invitation e-mails written as .eml files under `dirs`, by recipient (To: header). */
export function invitationFilesByRecipient(dirs: string[]): Map<string, number> {
  const byRecipient = new Map<string, number>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const head = text.split(/\r?\n\r?\n/)[0] ?? '';
      if (!/^Subject:.*invit/im.test(head)) continue;
      const to = /^To:\s*(.+)$/im.exec(head)?.[1]?.trim().toLowerCase() ?? '?';
      byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
    }
  }
  return byRecipient;
}

export async function invariants(
  orm: MikroORM,
  organizationId: string,
  outboxDirs: string[] = [],
): Promise<Invariants> {
  // The outbox directory is shared by every organization of the stack: count this one's recipients.
  const recipients = new Set(
    (
      await query(
        orm,
        `select lower("to"->>0) as r from outbox_email where organization_id = ? and kind = 'invitation'`,
        [organizationId],
      )
    ).map((row) => String(row['r'])),
  );
  const files = new Map([...invitationFilesByRecipient(outboxDirs)].filter(([to]) => recipients.has(to)));
  return {
    members: await memberCount(orm, organizationId),
    duplicateUserNames: await query(
      orm,
      'select user_name_lower, count(*) as n from member where organization_id = ? group by 1 having count(*) > 1',
      [organizationId],
    ),
    duplicateExternalIds: await query(
      orm,
      'select external_id, count(*) as n from member where organization_id = ? and external_id is not null group by 1 having count(*) > 1',
      [organizationId],
    ),
    provisionedTwice: await query(
      orm,
      `select target_id, count(*) as n from audit_event where organization_id = ? and action in ('member.invited', 'member.staged', 'member.linked', 'member.provisioned_revoked') group by 1 having count(*) > 1`,
      [organizationId],
    ),
    duplicateInvitationRows: await query(
      orm,
      `select "to"::text as recipient, count(*) as n from outbox_email where organization_id = ? and kind = 'invitation' group by 1 having count(*) > 1`,
      [organizationId],
    ),
    invitationRows: await count(
      orm,
      `select count(*) as n from outbox_email where organization_id = ? and kind = 'invitation'`,
      [organizationId],
    ),
    invitedMembers: await count(
      orm,
      `select count(*) as n from audit_event where organization_id = ? and action = 'member.invited'`,
      [organizationId],
    ),
    duplicateInvitationFiles: [...files.entries()].filter(([, n]) => n > 1),
    invitationFiles: [...files.values()].reduce((a, b) => a + b, 0),
    syncFailures: await query(
      orm,
      'select code, target, message from sync_failure where organization_id = ?',
      [organizationId],
    ),
  };
}

/** The invariants every run must keep; `expectedMembers` is the number of users the IdP created. */
export function invariantViolations(inv: Invariants, expectedMembers: number): Record<string, unknown> {
  return {
    members: inv.members === expectedMembers ? 'ok' : `${inv.members} ≠ ${expectedMembers}`,
    duplicateUserNames: inv.duplicateUserNames.slice(0, 5),
    duplicateExternalIds: inv.duplicateExternalIds.slice(0, 5),
    provisionedTwice: inv.provisionedTwice.slice(0, 5),
    duplicateInvitationRows: inv.duplicateInvitationRows.slice(0, 5),
    invitationRows:
      inv.invitationRows === inv.invitedMembers
        ? 'ok'
        : `${inv.invitationRows} rows ≠ ${inv.invitedMembers} invited members`,
    duplicateInvitationFiles: inv.duplicateInvitationFiles.slice(0, 5),
    invitationFiles:
      inv.invitationFiles === inv.invitationRows
        ? 'ok'
        : `${inv.invitationFiles} files ≠ ${inv.invitationRows} rows`,
    syncFailures: inv.syncFailures.slice(0, 5),
  };
}

export const NO_VIOLATIONS = {
  members: 'ok',
  duplicateUserNames: [],
  duplicateExternalIds: [],
  provisionedTwice: [],
  duplicateInvitationRows: [],
  invitationRows: 'ok',
  duplicateInvitationFiles: [],
  invitationFiles: 'ok',
  syncFailures: [],
};

/** Lines of `lines` that contain a secret, or its random part (the text after `scim_` / `sat_`). */
export function linesWithSecrets(lines: readonly string[], secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((secret) => [secret, secret.replace(/^[a-z]+_/, '').slice(0, 16)]);
  return lines.filter((line) => needles.some((n) => line.includes(n))).map((line) => line.slice(0, 200));
}

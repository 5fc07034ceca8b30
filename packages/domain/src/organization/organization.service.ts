import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { auditRows, recordAudit, type AuditInput } from '../audit/audit.service.js';
import { invalidValue, notFound } from '../errors.js';
import { isEmailAddress } from '../member/member.rules.js';
import type { ServiceContext } from '../shared/context.js';
import { insertRows, withInserts } from '../shared/insert-rows.js';
import { forUpdate } from '../shared/locking.js';
import { asBoolean, asDate, asJson, dateOrNull } from '../shared/row-values.js';
import { hashSecret, newSecret, secretMatches } from '../shared/secrets.js';
import { execute } from '../shared/sql.js';
import { Organization, type ProvisionMode } from './organization.entity.js';

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalidValue('The organization name must not be empty.');
  if (trimmed.length > 200) throw invalidValue('The organization name cannot exceed 200 characters.');
  return trimmed;
}

function checkSeats(seats: number | null): number | null {
  if (seats !== null && (!Number.isInteger(seats) || seats < 1 || seats > 10_000_000)) {
    throw invalidValue('Seats must be a whole number from 1 to 10,000,000, or unlimited.');
  }
  return seats;
}

/** Validates notification recipients; a malformed address is refused with the address named. */
export function checkRecipients(emails: readonly string[]): string[] {
  const cleaned = [...new Set(emails.map((e) => e.trim()).filter(Boolean))];
  const bad = cleaned.filter((e) => !isEmailAddress(e) || e.length > 320);
  if (bad.length) throw invalidValue(`Not a valid e-mail address: ${bad.join(', ')}`);
  if (cleaned.length > 50) throw invalidValue('At most 50 notification recipients.');
  return cleaned;
}

/** Creates an organization with SCIM enabled; the plaintext key is returned once and stored hashed. */
export async function createOrganization(
  em: EntityManager,
  input: { name: string; seats?: number | null; provisionMode?: ProvisionMode },
): Promise<{ organization: Organization; scimApiKey: string }> {
  const scimApiKey = newSecret('scim');
  const now = new Date();
  const organization = em.create(Organization, {
    id: randomUUID(),
    name: checkName(input.name),
    seats: checkSeats(input.seats ?? null),
    provisionMode: input.provisionMode ?? 'invite',
    scimEnabled: true,
    scimKeyHash: hashSecret(scimApiKey),
    scimKeyRotatedAt: now,
  });
  recordAudit(
    { em, organizationId: organization.id, actor: 'system' },
    {
      action: 'organization.created',
      targetType: 'organization',
      targetId: organization.id,
      data: { name: organization.name },
    },
  );
  await em.flush();
  return { organization, scimApiKey };
}

/**
 * An organization's settings as the admin API reads and changes them. The settings services are
 * plain SQL, like the write path: the unit of work would enter an AsyncLocalStorage, and on Node 20
 * the first one turns on a promise hook for the rest of the api's life (see plainTransaction).
 */
export interface OrganizationSettings {
  id: string;
  name: string;
  seats: number | null;
  provisionMode: ProvisionMode;
  scimEnabled: boolean;
  scimKeyRotatedAt: Date | null;
  notificationRecipients: string[];
  digestWindowMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

const SETTINGS_COLUMNS = `id, name, seats, provision_mode, scim_enabled, scim_key_rotated_at,
  notification_recipients, digest_window_minutes, created_at, updated_at`;

const settingsOf = (r: Record<string, unknown>): OrganizationSettings => ({
  id: String(r['id']),
  name: String(r['name']),
  seats: r['seats'] == null ? null : Number(r['seats']),
  provisionMode: r['provision_mode'] as ProvisionMode,
  scimEnabled: asBoolean(r['scim_enabled']),
  scimKeyRotatedAt: dateOrNull(r['scim_key_rotated_at']),
  notificationRecipients: asJson<string[]>(r['notification_recipients']),
  digestWindowMinutes: Number(r['digest_window_minutes']),
  createdAt: asDate(r['created_at']),
  updatedAt: asDate(r['updated_at']),
});

/**
 * The organization's settings, row-locked on PostgreSQL for the change that follows (the lock also
 * serialises failure-notification decisions); null when it is gone.
 */
export async function lockOrganizationSettings(ctx: ServiceContext): Promise<OrganizationSettings | null> {
  const [row] = await execute(
    ctx.em,
    `select ${SETTINGS_COLUMNS} from organization where id = ?${forUpdate(ctx.em)}`,
    [ctx.organizationId],
  );
  return row ? settingsOf(row) : null;
}

/** lockOrganizationSettings for a change that needs the organization: not found when it is gone. */
export async function lockSettings(ctx: ServiceContext): Promise<OrganizationSettings> {
  const org = await lockOrganizationSettings(ctx);
  if (!org) throw notFound('Organization not found.');
  return org;
}

/** Reads the organization's settings (no lock). */
export async function readOrganizationSettings(ctx: ServiceContext): Promise<OrganizationSettings> {
  const [row] = await execute(ctx.em, `select ${SETTINGS_COLUMNS} from organization where id = ?`, [
    ctx.organizationId,
  ]);
  if (!row) throw notFound('Organization not found.');
  return settingsOf(row);
}

/**
 * Writes the changed columns (updated_at with them) and the audit event in one statement on
 * PostgreSQL; with nothing changed, the event alone.
 */
async function saveSettings(
  ctx: ServiceContext,
  changes: Record<string, unknown>,
  audit: AuditInput,
): Promise<Date | null> {
  const columns = Object.keys(changes);
  const events = auditRows(ctx, [audit]);
  if (!columns.length) {
    await insertRows(ctx.em, [events]);
    return null;
  }
  const now = ctx.now ?? new Date();
  await withInserts(
    ctx.em,
    [events],
    `update organization set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ? where id = ?`,
    [...Object.values(changes), now, ctx.organizationId],
  );
  return now;
}

export async function rotateScimKey(ctx: ServiceContext): Promise<{ scimApiKey: string; rotatedAt: Date }> {
  const org = await lockSettings(ctx);
  const scimApiKey = newSecret('scim');
  const rotatedAt = ctx.now ?? new Date();
  await saveSettings(
    ctx,
    { scim_key_hash: hashSecret(scimApiKey), scim_key_rotated_at: rotatedAt },
    { action: 'scim.key_rotated', targetType: 'organization', targetId: org.id },
  );
  return { scimApiKey, rotatedAt };
}

export async function setScimEnabled(ctx: ServiceContext, enabled: boolean): Promise<OrganizationSettings> {
  const org = await lockSettings(ctx);
  if (org.scimEnabled === enabled) return org;
  const updatedAt = await saveSettings(
    ctx,
    { scim_enabled: enabled },
    { action: enabled ? 'scim.enabled' : 'scim.disabled', targetType: 'organization', targetId: org.id },
  );
  return { ...org, scimEnabled: enabled, updatedAt: updatedAt ?? org.updatedAt };
}

export async function updateOrganization(
  ctx: ServiceContext,
  input: { name?: string; seats?: number | null; provisionMode?: ProvisionMode },
): Promise<OrganizationSettings> {
  const org = await lockSettings(ctx);
  const changes: Record<string, unknown> = {};
  const next = { ...org };
  if (input.name !== undefined) next.name = changes['name'] = checkName(input.name);
  if (input.seats !== undefined) next.seats = changes['seats'] = checkSeats(input.seats);
  if (input.provisionMode !== undefined) next.provisionMode = changes['provisionMode'] = input.provisionMode;
  const changed: Record<string, unknown> = {};
  if (next.name !== org.name) changed['name'] = next.name;
  if (next.seats !== org.seats) changed['seats'] = next.seats;
  if (next.provisionMode !== org.provisionMode) changed['provision_mode'] = next.provisionMode;
  const updatedAt = await saveSettings(ctx, changed, {
    action: 'organization.updated',
    targetType: 'organization',
    targetId: org.id,
    data: changes,
  });
  return { ...next, updatedAt: updatedAt ?? org.updatedAt };
}

export async function setNotificationSettings(
  ctx: ServiceContext,
  input: { recipients?: readonly string[]; digestWindowMinutes?: number },
): Promise<OrganizationSettings> {
  const org = await lockSettings(ctx);
  const next = { ...org };
  if (input.recipients !== undefined) next.notificationRecipients = checkRecipients(input.recipients);
  if (input.digestWindowMinutes !== undefined) {
    if (
      !Number.isInteger(input.digestWindowMinutes) ||
      input.digestWindowMinutes < 1 ||
      input.digestWindowMinutes > 1440
    ) {
      throw invalidValue('The digest window must be 1 to 1440 minutes.');
    }
    next.digestWindowMinutes = input.digestWindowMinutes;
  }
  const changed: Record<string, unknown> = {};
  if (JSON.stringify(next.notificationRecipients) !== JSON.stringify(org.notificationRecipients)) {
    changed['notification_recipients'] = JSON.stringify(next.notificationRecipients);
  }
  if (next.digestWindowMinutes !== org.digestWindowMinutes) {
    changed['digest_window_minutes'] = next.digestWindowMinutes;
  }
  const updatedAt = await saveSettings(ctx, changed, {
    action: 'notifications.updated',
    targetType: 'organization',
    targetId: org.id,
    data: { recipients: next.notificationRecipients.length, digestWindowMinutes: next.digestWindowMinutes },
  });
  return { ...next, updatedAt: updatedAt ?? org.updatedAt };
}

/**
 * True only for an existing organization with SCIM enabled and this key. Unknown organization,
 * disabled SCIM and a wrong key are indistinguishable to the caller; the hash compare is constant-time.
 */
export async function verifyScimKey(
  em: EntityManager,
  organizationId: string,
  key: string,
): Promise<boolean> {
  // Every SCIM request runs this: plain SQL, no entity hydration (measured 0.9 → 0.1 ms CPU).
  const [org] = await execute(em, 'select scim_enabled, scim_key_hash from organization where id = ?', [
    organizationId,
  ]);
  const hash = typeof org?.['scim_key_hash'] === 'string' ? org['scim_key_hash'] : null;
  const matches = secretMatches(key, hash);
  return matches && (org?.['scim_enabled'] === true || org?.['scim_enabled'] === 1);
}

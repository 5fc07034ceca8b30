import { seatLimit } from '../errors.js';
import type { ServiceContext } from '../shared/context.js';
import { execute } from '../shared/sql.js';

/** Seats used: members that are invited, accepted or confirmed (index on organization, status). */
export async function seatsUsed(ctx: ServiceContext): Promise<number> {
  const [row] = await execute(
    ctx.em,
    `select count(*) as used from member
      where organization_id = ? and status in ('invited', 'accepted', 'confirmed')`,
    [ctx.organizationId],
  );
  return Number(row?.['used'] ?? 0);
}

export interface ProvisioningSettings {
  provisionMode: 'invite' | 'stage';
  /** null = unlimited. */
  seats: number | null;
  /** For the invitation e-mail, read in the same statement. */
  organizationName: string;
}

/** The organization's columns ProvisioningSettings reads, for a caller that selects them itself. */
export const PROVISIONING_SETTINGS_COLUMNS = 'provision_mode, seats, name';

export const provisioningSettingsOf = (row: Record<string, unknown>): ProvisioningSettings => ({
  provisionMode: row['provision_mode'] === 'stage' ? 'stage' : 'invite',
  seats: row['seats'] == null ? null : Number(row['seats']),
  organizationName: String(row['name']),
});

/** What provisioning needs of the organization, in plain SQL. */
export async function provisioningSettings(ctx: ServiceContext): Promise<ProvisioningSettings> {
  const [row] = await execute(
    ctx.em,
    `select ${PROVISIONING_SETTINGS_COLUMNS} from organization where id = ?`,
    [ctx.organizationId],
  );
  if (!row) throw new Error(`Organization ${ctx.organizationId} not found`);
  return provisioningSettingsOf(row);
}

/** Throws seat_limit when one more seat would exceed the organization's limit. */
export async function assertSeatAvailable(
  ctx: ServiceContext,
  settings?: ProvisioningSettings,
): Promise<void> {
  const { seats } = settings ?? (await provisioningSettings(ctx));
  if (seats == null) return;
  const used = await seatsUsed(ctx);
  if (used >= seats) {
    throw seatLimit(
      `Seat limit reached: ${used} of ${seats} seats are used. Raise the organization's seats or revoke members.`,
      { used, seats },
    );
  }
}

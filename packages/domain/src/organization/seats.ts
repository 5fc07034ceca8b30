import { seatLimit } from '../errors.js';
import { Member } from '../member/member.entity.js';
import type { ServiceContext } from '../shared/context.js';
import { Organization } from './organization.entity.js';

/** Seats used: members that are invited, accepted or confirmed (index on organization, status). */
export async function seatsUsed(ctx: ServiceContext): Promise<number> {
  return ctx.em.count(Member, {
    organization: ctx.organizationId,
    status: { $in: ['invited', 'accepted', 'confirmed'] },
  });
}

/** Throws seat_limit when one more seat would exceed the organization's limit. */
export async function assertSeatAvailable(ctx: ServiceContext): Promise<void> {
  const org = await ctx.em.findOneOrFail(Organization, ctx.organizationId);
  if (org.seats == null) return;
  const used = await seatsUsed(ctx);
  if (used >= org.seats) {
    throw seatLimit(
      `Seat limit reached: ${used} of ${org.seats} seats are used. Raise the organization's seats or revoke members.`,
      { used, seats: org.seats },
    );
  }
}

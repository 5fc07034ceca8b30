// Pure rules for members (DESIGN §5). No I/O: unit-tested in member.rules.test.ts.
import { invalidValue } from '../errors.js';
import type { MemberStatus } from './member.entity.js';

export interface EmailInput {
  value: string;
  type?: string;
  primary?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmailAddress = (s: string): boolean => EMAIL.test(s);

/** The e-mail used: the primary one, else userName when it is an address, else work, else the first. */
export function chooseEmail(userName: string, emails: readonly EmailInput[]): string | null {
  const usable = emails.filter((e) => e.value.trim() !== '');
  const primary = usable.find((e) => e.primary === true);
  if (primary) return primary.value.trim();
  if (isEmailAddress(userName)) return userName.trim();
  const work = usable.find((e) => e.type?.toLowerCase() === 'work');
  return (work ?? usable[0])?.value.trim() ?? null;
}

/** Statuses that occupy a seat; staged and revoked members don't. */
export const consumesSeat = (status: MemberStatus): boolean =>
  status === 'invited' || status === 'accepted' || status === 'confirmed';

export type ActiveStatus = Exclude<MemberStatus, 'revoked'>;

/** Revoke remembers the status it replaced; revoking a revoked member changes nothing. */
export function revoked(status: MemberStatus, previous: ActiveStatus | null) {
  return status === 'revoked'
    ? { status: 'revoked' as const, previousStatus: previous }
    : { status: 'revoked' as const, previousStatus: status };
}

/** Restore returns to the remembered status (invited when nothing was remembered). */
export function restored(status: MemberStatus, previous: ActiveStatus | null) {
  if (status !== 'revoked') return { status, previousStatus: null };
  return { status: previous ?? ('invited' as const), previousStatus: null };
}

export const lower = (s: string): string => s.toLowerCase();

/** Length and emptiness limits shared by every write path. */
export function checkUserName(userName: string): string {
  if (userName.trim() === '') throw invalidValue('userName must not be empty.');
  if (userName.length > 300) throw invalidValue('userName cannot exceed 300 characters.');
  return userName;
}

export function checkExternalId(externalId: string | null): string | null {
  if (externalId === null) return null;
  if (externalId.length > 300) throw invalidValue('externalId cannot exceed 300 characters.');
  return externalId === '' ? null : externalId;
}

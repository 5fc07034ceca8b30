import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new high-entropy secret (SCIM key, admin token, invitation token), URL-safe. */
export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

/** Secrets are random 256-bit values, so SHA-256 is a sufficient at-rest hash (no KDF needed). */
export const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(presented: string, storedHash: string | null): boolean {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) && storedHash !== null;
}

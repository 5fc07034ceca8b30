// Every SCIM request presents the organization's key; checking it costs a database round trip,
// which at Entra's request rates is a third of a lookup's cost. A key that checked out is trusted
// for ttlMs. Rotating or disabling through this process forgets the organization at once; another
// process (the CLI, a second api) is followed within ttlMs.
import { hashSecret } from '@repo/domain';

export type VerifyScimKey = (organizationId: string, key: string) => Promise<boolean>;

export interface ScimKeyCache {
  authenticate: VerifyScimKey;
  /** Call after the organization's key or SCIM switch changed. */
  forget(organizationId: string): void;
}

export function createScimKeyCache(
  verify: VerifyScimKey,
  options: { ttlMs: number; maxEntries?: number; now?: () => number },
): ScimKeyCache {
  const { ttlMs, maxEntries = 10_000, now = Date.now } = options;
  // Keyed by the key's hash: the plaintext key is never kept.
  const trusted = new Map<string, { organizationId: string; until: number }>();
  // Bumped by forget(): a check that started before a rotation must not cache the old answer.
  const generation = new Map<string, number>();

  return {
    async authenticate(organizationId, key) {
      if (ttlMs <= 0) return verify(organizationId, key);
      const entryKey = `${organizationId}:${hashSecret(key)}`;
      const hit = trusted.get(entryKey);
      if (hit && hit.until > now()) return true;
      if (hit) trusted.delete(entryKey);
      const before = generation.get(organizationId) ?? 0;
      const ok = await verify(organizationId, key);
      if (ok && (generation.get(organizationId) ?? 0) === before) {
        // Oldest first out: Map keeps insertion order.
        if (trusted.size >= maxEntries) trusted.delete(trusted.keys().next().value!);
        trusted.set(entryKey, { organizationId, until: now() + ttlMs });
      }
      return ok;
    },

    forget(organizationId) {
      generation.set(organizationId, (generation.get(organizationId) ?? 0) + 1);
      for (const [k, v] of trusted) if (v.organizationId === organizationId) trusted.delete(k);
    },
  };
}

// The `meta` block every rendered resource carries (RFC 7643 §3.1).

export interface ResourceTimes {
  created: Date;
  lastModified: Date;
  version: number;
  location: string;
}

export function renderMeta(resourceType: 'User' | 'Group', view: ResourceTimes): Record<string, unknown> {
  return {
    resourceType,
    created: view.created.toISOString(),
    lastModified: view.lastModified.toISOString(),
    location: view.location,
    // Weak ETag: the same version may serialise differently (attribute order, excludedAttributes).
    version: `W/"${view.version}"`,
  };
}

const SERVER_OWNED = new Set(['schemas', 'id', 'meta']);

/** Document entries except those the renderer owns (and `extra`, compared case-insensitively). */
export function documentEntries(
  document: Record<string, unknown>,
  extra: readonly string[],
): [string, unknown][] {
  const skip = new Set([...SERVER_OWNED, ...extra.map((name) => name.toLowerCase())]);
  return Object.entries(document).filter(([key]) => !skip.has(key.toLowerCase()));
}

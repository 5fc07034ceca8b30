// ListResponse message (RFC 7644 §3.4.2, RFC 9865 §2).

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ListPage {
  totalResults: number;
  resources: readonly Record<string, unknown>[];
  /** Index mode: the 1-based index of the first result. Omitted in cursor mode (RFC 9865). */
  startIndex?: number;
  nextCursor?: string;
}

export function listResponse(page: ListPage): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.totalResults,
    // The number actually returned, not the requested count (Bitwarden's bug, reference §1.3).
    itemsPerPage: page.resources.length,
    ...(page.startIndex === undefined ? {} : { startIndex: page.startIndex }),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    // Capital R and always present, even when empty (authentik broke on Bitwarden's `resources`).
    Resources: page.resources,
  };
}

// The interfaces the SCIM plugin needs from its host (apps/api). The adapter knows the protocol;
// the host knows the database and the queue.
import type { ScimError } from './errors.js';
import type { AttrPath, Filter } from './filter/index.js';

export type ResourceType = 'User' | 'Group';

/** Which IdP is calling, detected from headers (Okta's User-Agent, Entra's headers). */
export type ScimClient = 'entra' | 'okta' | 'unknown';

export interface ScimRequestContext {
  organizationId: string;
  requestId: string;
  /** Absolute SCIM base URL of the organization, e.g. http://host:3000/scim/v2/<org> */
  baseUrl: string;
  client: ScimClient;
}

export interface ListQuery {
  filter?: Filter;
  /** 1-based (index pagination). */
  startIndex: number;
  /** Page size, already capped at the advertised maximum; 0 = totals only. */
  count: number;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
  /** RFC 9865 cursor pagination: '' asks for the first page, a value continues. */
  cursor?: string;
  /**
   * Whether memberships must be loaded: Group `members` (false for excludedAttributes=members or
   * attributes without members); for Users the same rule applied to `groups`.
   */
  includeMembers: boolean;
}

export interface ListResult {
  totalResults: number;
  /** Rendered SCIM resources (the plugin applies attributes / excludedAttributes). */
  resources: Record<string, unknown>[];
  /** RFC 9865: present when more pages follow in cursor mode. */
  nextCursor?: string;
}

export interface StoredResource {
  resource: Record<string, unknown>;
  version: number;
}

export interface ResourceReader {
  list(ctx: ScimRequestContext, query: ListQuery): Promise<ListResult>;
  get(ctx: ScimRequestContext, id: string, opts: { includeMembers: boolean }): Promise<StoredResource | null>;
  /** Current row version (ETag / If-Match / job identity), null when it doesn't exist. */
  version(ctx: ScimRequestContext, id: string): Promise<number | null>;
}

export interface WriteRequest {
  resource: ResourceType;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  id?: string;
  /** The validated request body (not yet applied). */
  body?: unknown;
  /** From If-Match: the version the client expects. */
  ifMatch?: number;
  /** The target's version when the request arrived (null for POST). */
  targetVersion: number | null;
}

export type WriteResult =
  | {
      kind: 'ok';
      status: 200 | 201 | 204;
      id: string | null;
      /** The resource as the write committed it, when the writer has all of it: no read back. */
      stored?: StoredResource;
    }
  | { kind: 'error'; error: ScimError };

export interface ScimWriter {
  write(ctx: ScimRequestContext, request: WriteRequest): Promise<WriteResult>;
}

export interface ScimAuthenticator {
  /** Same false for unknown organization, wrong key and disabled SCIM. */
  authenticate(organizationId: string, key: string): Promise<boolean>;
}

export interface ScimLimits {
  maxResults: number;
  defaultCount: number;
  maxPayloadBytes: number;
  maxBulkOperations: number;
}

export interface ScimPorts {
  users: ResourceReader;
  groups: ResourceReader;
  writer: ScimWriter;
  auth: ScimAuthenticator;
  limits: ScimLimits;
  /** Called after authentication, e.g. to record the last SCIM request and client; must not throw. */
  onAuthenticated?: (ctx: ScimRequestContext, userAgent: string | undefined) => void;
}

// What differs between /Users and /Groups: validation of request bodies and the PATCH answer.
import type { PatchOperation } from '../patch/index.js';
import type { ResourceReader, ResourceType, ScimPorts } from '../ports.js';
import { PATCH_OP_SCHEMA } from '../schemas/uris.js';

export interface ResourceKind {
  type: ResourceType;
  /** Endpoint name as it appears in URLs and Location headers. */
  endpoint: 'Users' | 'Groups';
  reader(ports: ScimPorts): ResourceReader;
  /**
   * Validates a POST/PUT body and returns its canonical form for the queue (bad input → 400 now,
   * never a job). The worker parses it again with the same function, so it must round-trip.
   */
  normalizeResource(body: unknown): unknown;
  /** Validates a PatchOp body and returns the canonical PatchOp message. */
  normalizePatch(body: unknown): unknown;
  /** PATCH success without `attributes`: Users 200 + resource (Entra reads it), Groups 204 (Entra's preference). */
  patchReturnsResource: boolean;
}

/** The canonical PatchOp message the worker re-parses: lower-case ops, trimmed paths, no undefined keys. */
export function patchMessage(operations: readonly PatchOperation[]): Record<string, unknown> {
  return {
    schemas: [PATCH_OP_SCHEMA],
    Operations: operations.map(({ op, path, value }) => ({
      op,
      ...(path === undefined ? {} : { path }),
      ...(value === undefined ? {} : { value }),
    })),
  };
}

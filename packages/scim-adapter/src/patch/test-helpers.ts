// Test-only helpers shared by the schemas/patch/resources unit tests.
import { ScimError, type ScimType } from '../errors.js';

/** The scimType thrown by `fn` ('none' for a ScimError without one); fails if nothing is thrown. */
export function scimTypeThrown(fn: () => unknown): ScimType | 'none' {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error.scimType ?? 'none';
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

/** The ScimError thrown by `fn`. */
export function scimErrorThrown(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

export const PATCH_SCHEMAS = ['urn:ietf:params:scim:api:messages:2.0:PatchOp'];

/** A PatchOp message around the given operations. */
export function patchBody(...Operations: unknown[]): Record<string, unknown> {
  return { schemas: PATCH_SCHEMAS, Operations };
}

// /Users: bodies validated with the resources module before anything is queued.
import { invalidValue, noTarget } from '../errors.js';
import { parsePatchBody, resolveTarget, type PatchOperation } from '../patch/index.js';
import type { ScimPorts } from '../ports.js';
import { parseUser } from '../resources/index.js';
import { assertSafeKeys, isPlainObject } from '../schemas/json.js';
import type { Endpoint } from './endpoint.js';
import { patchMessage, type ResourceKind } from './resource-kind.js';
import { resourceEndpoint } from './resource.routes.js';

export const userKind: ResourceKind = {
  type: 'User',
  endpoint: 'Users',
  reader: (ports) => ports.users,
  normalizeResource: (body) => parseUser(body).document,
  normalizePatch: (body) => {
    const operations = parsePatchBody(body);
    operations.forEach(checkUserOperation);
    return patchMessage(operations);
  },
  patchReturnsResource: true,
};

export const usersEndpoint = (ports: ScimPorts): Endpoint => resourceEndpoint(userKind, ports);

/**
 * The checks that need no current state, in the order applyPatch makes them, so an unknown path is
 * a 400 now rather than a failed job. The worker applies the operations to the committed resource.
 */
function checkUserOperation(operation: PatchOperation): void {
  assertSafeKeys(operation.value);
  if (operation.path !== undefined) {
    resolveTarget('User', operation.path);
    return;
  }
  if (operation.op === 'remove') throw noTarget("'remove' needs a path (RFC 7644 §3.5.2.2)");
  if (!isPlainObject(operation.value))
    throw invalidValue(`'${operation.op}' without a path needs an object value`);
  for (const key of Object.keys(operation.value)) {
    if (key.toLowerCase() !== 'schemas') resolveTarget('User', key);
  }
}

// /Groups: members travel as ids; PATCH is planned (validated) here and applied as set operations
// by the worker.
import { parsePatchBody } from '../patch/index.js';
import type { ScimPorts } from '../ports.js';
import { parseGroup, planGroupPatch } from '../resources/index.js';
import type { Endpoint } from './endpoint.js';
import { patchMessage, type ResourceKind } from './resource-kind.js';
import { resourceEndpoint } from './resource.routes.js';

export const groupKind: ResourceKind = {
  type: 'Group',
  endpoint: 'Groups',
  reader: (ports) => ports.groups,
  normalizeResource: (body) => {
    const group = parseGroup(body);
    // parseGroup keeps members out of `document`; put them back as ids so the worker sees them.
    if (group.memberIds === undefined) return group.document;
    return { ...group.document, members: group.memberIds.map((value) => ({ value })) };
  },
  normalizePatch: (body) => {
    planGroupPatch(body); // throws on anything the worker could not apply
    return patchMessage(parsePatchBody(body));
  },
  patchReturnsResource: false,
};

export const groupsEndpoint = (ports: ScimPorts): Endpoint => resourceEndpoint(groupKind, ports);

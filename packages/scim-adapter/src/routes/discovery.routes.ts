// Discovery endpoints (RFC 7644 §4), from the schemas module, telling the truth about this plugin.
import { notFound } from '../errors.js';
import { listResponse } from '../list/list-response.js';
import type { ScimPorts } from '../ports.js';
import { resourceType, resourceTypes } from '../schemas/resource-types.js';
import { schemaDocument, schemaDocuments } from '../schemas/documents.js';
import { serviceProviderConfig } from '../schemas/service-provider-config.js';
import type { ResourceTypeName } from '../schemas/types.js';
import type { Endpoint, ScimReply } from './endpoint.js';

const ok = (body: unknown): ScimReply => ({ status: 200, body });

/** All of them fit one page: startIndex 1, itemsPerPage = totalResults. */
const everything = (resources: Record<string, unknown>[]): ScimReply =>
  ok(listResponse({ totalResults: resources.length, startIndex: 1, resources }));

export function serviceProviderConfigEndpoint(ports: ScimPorts): Endpoint {
  return {
    list: async ({ ctx }) =>
      ok(
        serviceProviderConfig({
          baseUrl: ctx.baseUrl,
          bulk: true,
          maxOperations: ports.limits.maxBulkOperations,
          maxPayloadSize: ports.limits.maxPayloadBytes,
          maxResults: ports.limits.maxResults,
          filter: true,
          sort: true,
          etag: true,
          changePassword: false,
        }),
      ),
  };
}

const RESOURCE_TYPE_NAMES: readonly ResourceTypeName[] = ['User', 'Group'];

export const resourceTypesEndpoint: Endpoint = {
  list: async ({ ctx }) => everything(resourceTypes(ctx.baseUrl)),
  get: async ({ ctx, id = '' }) => {
    const name = RESOURCE_TYPE_NAMES.find((candidate) => candidate.toLowerCase() === id.toLowerCase());
    if (!name) throw notFound(`Resource type ${id} not found.`);
    return ok(resourceType(ctx.baseUrl, name));
  },
};

export const schemasEndpoint: Endpoint = {
  list: async ({ ctx }) => everything(schemaDocuments(ctx.baseUrl)),
  get: async ({ ctx, id = '' }) => {
    const document = schemaDocument(ctx.baseUrl, id);
    if (!document) throw notFound(`Schema ${id} not found.`);
    return ok(document);
  },
};

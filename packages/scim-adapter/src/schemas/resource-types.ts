// ResourceType resources for GET /ResourceTypes (RFC 7643 §6).
import { joinUrl } from './base-url.js';
import { RESOURCE_TYPE_DEFS } from './registry.js';
import type { ResourceTypeName } from './types.js';
import { RESOURCE_TYPE_SCHEMA } from './uris.js';

// User first: the reference Postman collection asserts Resources[0].endpoint === "/Users".
const ORDER: readonly ResourceTypeName[] = ['User', 'Group'];

export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  return ORDER.map((name) => resourceType(baseUrl, name));
}

export function resourceType(baseUrl: string, name: ResourceTypeName): Record<string, unknown> {
  const rt = RESOURCE_TYPE_DEFS[name];
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.core.id,
    ...(rt.extensions.length > 0
      ? { schemaExtensions: rt.extensions.map((ext) => ({ schema: ext.schema.id, required: ext.required })) }
      : {}),
    meta: { resourceType: 'ResourceType', location: joinUrl(baseUrl, 'ResourceTypes', rt.name) },
  };
}

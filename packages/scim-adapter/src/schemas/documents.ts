// Schema resources for GET /Schemas and GET /Schemas/{id} (RFC 7643 §7, RFC 7644 §4).
import { joinUrl } from './base-url.js';
import { ALL_SCHEMAS } from './registry.js';
import type { AttributeDef, SchemaDef } from './types.js';
import { SCHEMA_SCHEMA } from './uris.js';

/** Serialised attribute: RFC field order, optional lists only when present, never null. */
function attributeDocument(def: AttributeDef): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    ...(def.canonicalValues ? { canonicalValues: [...def.canonicalValues] } : {}),
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.referenceTypes ? { referenceTypes: [...def.referenceTypes] } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(attributeDocument) } : {}),
  };
}

function schemaDocumentOf(schema: SchemaDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: joinUrl(baseUrl, 'Schemas', schema.id) },
  };
}

/** All schema resources, for the `Resources` of GET /Schemas. */
export function schemaDocuments(baseUrl: string): Record<string, unknown>[] {
  return ALL_SCHEMAS.map((schema) => schemaDocumentOf(schema, baseUrl));
}

/** GET /Schemas/{id}; `undefined` → 404. The URI is matched case-insensitively. */
export function schemaDocument(baseUrl: string, id: string): Record<string, unknown> | undefined {
  const schema = ALL_SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  return schema ? schemaDocumentOf(schema, baseUrl) : undefined;
}

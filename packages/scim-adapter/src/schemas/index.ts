// Public surface: schema data, discovery documents, attribute lookup and value normalisation.
export type {
  AttributeDef,
  AttributeType,
  Mutability,
  ResourceTypeName,
  Returned,
  SchemaDef,
  Uniqueness,
} from './types.js';
export {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from './uris.js';
export { COMMON_ATTRIBUTES } from './common.js';
export { coreUserSchema } from './core-user.js';
export { enterpriseUserSchema, managerAttribute } from './enterprise-user.js';
export { groupSchema } from './group.js';
export { ALL_SCHEMAS, RESOURCE_TYPE_DEFS, type ResourceTypeDef } from './registry.js';
export {
  findAttribute,
  findCoreAttribute,
  findExtension,
  findSchema,
  findSubAttribute,
  resolveAttribute,
  type ResolvedAttribute,
} from './resolve.js';
export { normalizeAttribute, normalizeComplex, normalizeScalar, normalizeSingle } from './normalize.js';
export {
  assertSafeKeys,
  deepEqual,
  findKey,
  getIgnoreCase,
  isForbiddenKey,
  isPlainObject,
  type JsonObject,
} from './json.js';
export { schemaDocument, schemaDocuments } from './documents.js';
export { resourceType, resourceTypes } from './resource-types.js';
export { serviceProviderConfig, type ServiceProviderConfigOptions } from './service-provider-config.js';
export { joinUrl } from './base-url.js';

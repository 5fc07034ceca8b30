// Public surface: the Fastify plugin and the protocol constants a host may need.
export { scimPlugin } from './scim.plugin.js';
export { SCIM_CONTENT_TYPE } from './content-type.js';
export { formatEtag } from './etag.js';
export { BULK_REQUEST_SCHEMA } from './bulk-request.js';
export { BULK_RESPONSE_SCHEMA } from './bulk.routes.js';
export { SEARCH_REQUEST_SCHEMA } from './list.js';

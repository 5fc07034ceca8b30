// @repo/scim-adapter: the SCIM 2.0 protocol (RFC 7643/7644) for the host app. No database, no queue:
// the host supplies ports (see ports.ts) and registers `scimPlugin(ports)`.
export * from './errors.js';
export type * from './ports.js';
export * from './filter/index.js';
export * from './schemas/index.js';
export * from './patch/index.js';
export * from './resources/index.js';
export * from './list/index.js';
export * from './routes/index.js';

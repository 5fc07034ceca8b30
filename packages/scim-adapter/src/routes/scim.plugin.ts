// The SCIM 2.0 service provider as an encapsulated Fastify plugin. The host registers it with a
// prefix and its ports:
//   await app.register(scimPlugin(ports), { prefix: '/scim/v2' });
// Routes are /:organizationId/<endpoint>[/<id>]. Parsers, hooks and the error handler stay inside
// this scope (deliberately not wrapped in fastify-plugin).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ScimPorts } from '../ports.js';
import { createAuthHook } from './auth.hook.js';
import { bulkEndpoint } from './bulk.routes.js';
import { registerScimContentTypes } from './content-type.js';
import { resourceTypesEndpoint, schemasEndpoint, serviceProviderConfigEndpoint } from './discovery.routes.js';
import type { Endpoint } from './endpoint.js';
import { createErrorHandler, scimNotFoundHandler } from './error-handler.js';
import { groupsEndpoint } from './groups.routes.js';
import { createDispatcher } from './router.js';
import { rootSearchEndpoint } from './search.routes.js';
import { usersEndpoint } from './users.routes.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function scimPlugin(ports: ScimPorts): FastifyPluginAsync {
  return async function scim(app: FastifyInstance): Promise<void> {
    const endpoints = new Map<string, Endpoint>([
      ['users', usersEndpoint(ports)],
      ['groups', groupsEndpoint(ports)],
      ['.search', rootSearchEndpoint(ports)],
      ['bulk', bulkEndpoint(ports)],
      ['serviceproviderconfig', serviceProviderConfigEndpoint(ports)],
      ['resourcetypes', resourceTypesEndpoint],
      ['schemas', schemasEndpoint],
    ]);

    registerScimContentTypes(app, ports.limits.maxPayloadBytes);
    app.setErrorHandler(createErrorHandler(ports.limits.maxPayloadBytes));
    // Hooks before the not-found handler, so 404s get the SCIM content type too.
    app.addHook('onRequest', createAuthHook(ports, app.prefix));
    app.setNotFoundHandler(scimNotFoundHandler);

    // Query parameters we don't know, such as Entra's aadOptscim062020 flag, are ignored.
    const handler = createDispatcher(endpoints);
    app.route({ method: METHODS, url: '/:organizationId/:endpoint', handler });
    app.route({ method: METHODS, url: '/:organizationId/:endpoint/:id', handler });
  };
}

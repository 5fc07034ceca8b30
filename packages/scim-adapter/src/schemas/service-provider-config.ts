// GET /ServiceProviderConfig (RFC 7643 §5). Every flag comes from the caller so it stays truthful.
import { joinUrl } from './base-url.js';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from './uris.js';

export interface ServiceProviderConfigOptions {
  baseUrl: string;
  documentationUri?: string;
  /** Bulk limits; reported even when bulk is unsupported, as RFC 7643 §5 lists them as required. */
  maxOperations: number;
  maxPayloadSize: number;
  /** Largest page a filtered query returns. */
  maxResults: number;
  etag: boolean;
  sort: boolean;
  bulk: boolean;
  /** Password changes are not implemented (the password attribute is never stored). */
  changePassword: false;
  filter: true;
}

export function serviceProviderConfig(opts: ServiceProviderConfigOptions): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(opts.documentationUri ? { documentationUri: opts.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: opts.bulk, maxOperations: opts.maxOperations, maxPayloadSize: opts.maxPayloadSize },
    filter: { supported: opts.filter, maxResults: opts.maxResults },
    changePassword: { supported: opts.changePassword },
    sort: { supported: opts.sort },
    etag: { supported: opts.etag },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication scheme using the OAuth Bearer Token Standard',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: joinUrl(opts.baseUrl, 'ServiceProviderConfig') },
  };
}

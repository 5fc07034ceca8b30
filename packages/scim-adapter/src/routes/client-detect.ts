// Which IdP is calling: used for logging and per-client dialect quirks, never for access decisions.
import type { IncomingHttpHeaders } from 'node:http';
import type { ScimClient } from '../ports.js';

export function detectClient(headers: IncomingHttpHeaders, query: Record<string, unknown>): ScimClient {
  const userAgent = headers['user-agent'] ?? '';
  if (/^okta/i.test(userAgent)) return 'okta';
  // Entra's provisioning service identifies itself by its "adscimversion" header or its UA; the
  // aadOptscim062020 flag on the tenant URL is Entra-only as well.
  const entraHeader = Object.keys(headers).some((name) => name.includes('adscim'));
  const entraFlag = Object.keys(query).some((name) => name.toLowerCase() === 'aadoptscim062020');
  if (entraHeader || entraFlag || /azure|microsoft/i.test(userAgent)) return 'entra';
  return 'unknown';
}

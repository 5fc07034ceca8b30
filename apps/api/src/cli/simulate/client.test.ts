import { describe, expect, it } from 'vitest';
import { headersFor, parseBaseUrl, requestPath } from './client.js';

describe('base URL', () => {
  it('puts resource paths between the tenant URL path and its query, and encodes filters like Entra', () => {
    const base = parseBaseUrl('http://127.0.0.1:3000/scim/v2/org/', 'legacy');
    expect(requestPath(base, '/Users', { filter: 'userName eq "a@b.c"' })).toBe(
      '/scim/v2/org/Users?filter=userName+eq+%22a%40b.c%22',
    );
    expect(requestPath(base, '/Users/1')).toBe('/scim/v2/org/Users/1');
  });

  it('aadOptscim062020 rides on every request (added once)', () => {
    const base = parseBaseUrl('http://h/scim/v2/org', 'aadOptscim062020');
    expect(requestPath(base, '/Groups/9')).toBe('/scim/v2/org/Groups/9?aadOptscim062020');
    expect(requestPath(base, '/Groups', { excludedAttributes: 'members' })).toBe(
      '/scim/v2/org/Groups?aadOptscim062020&excludedAttributes=members',
    );
    expect(parseBaseUrl('http://h/scim?aadOptscim062020', 'aadOptscim062020').query).toBe('aadOptscim062020');
  });

  it('rejects other protocols', () => {
    expect(() => parseBaseUrl('ftp://h/scim', 'legacy')).toThrow(/http/);
  });
});

describe('headers', () => {
  it('Entra: bearer only on GETs (no Accept, no User-Agent), scim+json on writes', () => {
    expect(headersFor('legacy', 't', false)).toEqual({ authorization: 'Bearer t' });
    expect(headersFor('aadOptscim062020', 't', true)).toEqual({
      authorization: 'Bearer t',
      'content-type': 'application/scim+json; charset=utf-8',
    });
  });
  it('Okta announces itself', () => {
    expect(headersFor('okta', 't', false)).toMatchObject({
      'user-agent': 'Okta SCIM Client',
      accept: 'application/scim+json',
    });
  });
});

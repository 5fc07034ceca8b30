import { describe, expect, it } from 'vitest';
import { assertValidJobId, canonicalJson, writeJobId } from './job-id.js';

const base = { organizationId: 'org-1', method: 'PATCH', path: '/scim/v2/org-1/Users/u1', targetVersion: 3 };

describe('canonicalJson', () => {
  it('sorts object keys recursively, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: { c: 1, d: 2 }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: 2, c: 1 } }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('keeps a "__proto__" key as data and treats an absent value as null', () => {
    const parsed: unknown = JSON.parse('{"z":1,"__proto__":{"x":1}}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"z":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('writeJobId', () => {
  const body = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: false } }],
  };

  it('is deterministic, key-order independent and shaped for BullMQ', () => {
    const id = writeJobId({ ...base, body });
    expect(id).toMatch(/^w-[0-9a-f]{64}$/);
    expect(writeJobId({ ...base, body: { Operations: body.Operations, schemas: body.schemas } })).toBe(id);
    expect(() => assertValidJobId(id)).not.toThrow();
  });

  it('changes with every input that makes a different write', () => {
    const id = writeJobId({ ...base, body });
    const reordered = { ...body, Operations: [{ op: 'add', value: 1 }, ...body.Operations] };
    const reversed = { ...body, Operations: [...reordered.Operations].reverse() };
    expect(writeJobId({ ...base, body: reordered })).not.toBe(writeJobId({ ...base, body: reversed }));
    expect(writeJobId({ ...base, body, organizationId: 'org-2' })).not.toBe(id);
    expect(writeJobId({ ...base, body, method: 'PUT' })).not.toBe(id);
    expect(writeJobId({ ...base, body, path: '/scim/v2/org-1/Users/U1' })).not.toBe(id); // ids are case-sensitive
    expect(writeJobId({ ...base, body, targetVersion: 4 })).not.toBe(id); // a deliberate repeat
    expect(writeJobId({ ...base, body, targetVersion: null })).not.toBe(id);
  });

  it('ignores the query string and the method case', () => {
    const id = writeJobId({ ...base, body });
    expect(writeJobId({ ...base, body, path: `${base.path}?attributes=userName` })).toBe(id);
    expect(writeJobId({ ...base, body, method: 'patch' })).toBe(id);
  });
});

describe('assertValidJobId', () => {
  it('rejects ids BullMQ cannot take', () => {
    expect(() => assertValidJobId('123')).toThrow();
    expect(() => assertValidJobId('a:b')).toThrow();
    expect(() => assertValidJobId('')).toThrow();
    expect(() => assertValidJobId('mail-1')).not.toThrow();
  });
});

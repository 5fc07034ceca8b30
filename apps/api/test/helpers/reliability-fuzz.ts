// fast-check arbitraries for the fuzz tests: SCIM filters (grammar-shaped, mutated and garbage),
// PATCH bodies (real paths and dialects with hostile values), malformed JSON documents (corrupted,
// absurdly nested, odd media types), tRPC calls and GraphQL documents generated from the schema.
// Each mixes mostly-valid inputs (which reach deep code: SQL translation, the PATCH engine, the
// worker) with broken ones (which must be refused at the edge).
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from '../../src/graphql/graphql-js.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UUID = '3f0c8f9e-1b2a-4c3d-8e4f-5a6b7c8d9e0f';

/** Inserts, deletes or duplicates pieces of `text` (1–4 edits). */
export const mutated = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      text,
      fc.array(
        fc.tuple(
          fc.constantFrom('insert', 'delete', 'duplicate', 'replace'),
          fc.nat(),
          fc.nat({ max: 8 }),
          fc.oneof(
            fc.constantFrom(
              '(',
              ')',
              '[',
              ']',
              '"',
              '\\',
              ' ',
              '.',
              ':',
              '{',
              '}',
              ',',
              '\u0000',
              '\ud800',
              'é',
              'and',
              'not',
            ),
            fc.string({ maxLength: 3 }),
          ),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([s, edits]) => {
      let out = s;
      for (const [kind, pos, len, piece] of edits) {
        const i = out.length === 0 ? 0 : pos % (out.length + 1);
        if (kind === 'insert') out = out.slice(0, i) + piece + out.slice(i);
        else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + len);
        else if (kind === 'duplicate')
          out = out.slice(0, i + len) + out.slice(i, i + len) + out.slice(i + len);
        else out = out.slice(0, i) + piece + out.slice(i + piece.length);
      }
      return out;
    });

// ---------------------------------------------------------------- filters

const filterAttr = fc.constantFrom(
  'userName',
  'UserName',
  'USERNAME',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'displayName',
  'externalId',
  'id',
  'ID',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  'active',
  'meta.created',
  'meta.lastModified',
  'meta.resourceType',
  'meta.version',
  'title',
  'members',
  'members.value',
  'members.display',
  'manager',
  'manager.value',
  'groups',
  'groups.value',
  `${ENT}:manager`,
  `${ENT}:manager.value`,
  `${ENT}:employeeNumber`,
  `${ENT}:department`,
  `${CORE}:userName`,
  `${CORE}:name.givenName`,
  'urn:ietf:params:scim:schemas:core:2.0:Group:displayName',
  'phoneNumbers.value',
  'addresses.postalCode',
  'x',
  'a.b.c',
  '$ref',
  'urn:bogus:x',
);
const multiAttr = fc.constantFrom(
  'emails',
  'members',
  'phoneNumbers',
  'addresses',
  'groups',
  'name',
  'bogus',
);
const subAttr = fc.constantFrom('value', 'type', 'primary', 'display', 'streetAddress', 'x');
const compareOp = fc.constantFrom(
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'EQ',
  'Gt',
  'sW',
  'xx',
  'equals',
);
const dateText = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2020-13-45T25:61:61Z',
    '0000-00-00',
    '2024-02-30T00:00:00Z',
    '2024-01-01',
    '2024-01-01T00:00:00+25:00',
    '+275760-09-13T00:00:00.000Z',
    '1970',
    'yesterday',
    '',
  ),
);
const filterValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => JSON.stringify(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '"\\x"',
      '"\\u12"',
      '"unterminated',
      '"a\\"b"',
      '""',
      '"\\\\"',
      "'single'",
      '"\u0000"',
      '"a\\u0000b"',
      '"\\ud800"',
      '"\\udc00x"',
    ),
  },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true })).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '1e309',
      '-1e309',
      '-0',
      '01',
      '0x10',
      '9007199254740993',
      '1.',
      '.5',
      'NaN',
      'Infinity',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'null', 'True', 'FALSE', 'nil') },
  { weight: 2, arbitrary: dateText.map((s) => JSON.stringify(s)) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.uuid(), fc.constant(UUID), fc.constant(`${UUID}0`), fc.constant(UUID.toUpperCase()))
      .map((s) => JSON.stringify(s)),
  },
);

const leafFilter: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(filterAttr, compareOp, filterValue).map(([a, o, v]) => `${a} ${o} ${v}`) },
  { weight: 1, arbitrary: filterAttr.map((a) => `${a} pr`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        multiAttr,
        subAttr,
        compareOp,
        filterValue,
        fc.option(fc.tuple(subAttr, compareOp, filterValue), { nil: undefined }),
      )
      .map(([m, s, o, v, tail]) => `${m}[${s} ${o} ${v}]${tail ? `.${tail[0]} ${tail[1]} ${tail[2]}` : ''}`),
  },
);

const filterTree: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    leafFilter,
    fc
      .tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f'))
      .map(([l, op, r]) => `${l} ${op} ${r}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f})`),
  ),
})).f;

/** Strings for `filter=`: mostly grammatical over real and unknown attributes, some broken or huge. */
export const filterString: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: filterTree },
  { weight: 4, arbitrary: mutated(filterTree) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('(', 'not (', 'emails[', '(userName eq "a" or '),
      )
      .map(([n, open]) => `${open.repeat(n)}userName pr${(open.includes('[') ? ']' : ')').repeat(n)}`),
  },
  { weight: 1, arbitrary: fc.integer({ min: 4000, max: 5000 }).map((n) => `userName eq "${'a'.repeat(n)}"`) },
);

// ---------------------------------------------------------------- PATCH bodies

const patchPath = fc.oneof(
  fc.constantFrom(
    'userName',
    'displayName',
    'active',
    'name',
    'name.givenName',
    'name.familyName',
    'name.givenName.x',
    'emails',
    'emails.value',
    'emails[type eq "work"].value',
    'emails[type eq "work"]',
    'emails[primary eq true].value',
    'emails[type eq "work" and primary eq true].value',
    'emails[type eq "work"].display',
    'phoneNumbers[type eq "mobile"].value',
    'addresses[type eq "work"].streetAddress',
    'addresses',
    'title',
    'externalId',
    'nickName',
    'locale',
    'timezone',
    'preferredLanguage',
    'userType',
    'roles',
    'x509Certificates',
    'password',
    `${ENT}:manager`,
    `${ENT}:manager.value`,
    `${ENT}:department`,
    `${ENT}:employeeNumber`,
    `${CORE}:name.familyName`,
    `${CORE}:displayName`,
    'members',
    `members[value eq "${UUID}"]`,
    'members[value eq "garbage"]',
    'members[display eq "x"]',
    'displayname',
    'meta.created',
    'id',
    'schemas',
    'groups',
    '',
    ' ',
    'emails[',
    '__proto__',
    'constructor.prototype',
    'urn:bogus:1.0:User:x',
  ),
  mutated(fc.constantFrom('emails[type eq "work"].value', `${ENT}:manager`, 'members[value eq "x"]')),
  fc.string({ maxLength: 12 }),
);
const patchValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'True',
      'False',
      'true',
      'false',
      true,
      false,
      0,
      1,
      null,
      '',
      UUID,
      'x@example.com',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.array(
      fc.record(
        {
          value: fc.oneof(fc.uuid(), fc.string({ maxLength: 12 }), fc.integer()),
          type: fc.constantFrom('work', 'home', 'x'),
          primary: fc.oneof(fc.boolean(), fc.constant('True')),
        },
        { requiredKeys: ['value'] },
      ),
      { maxLength: 4 },
    ),
  },
  { weight: 1, arbitrary: fc.record({ value: fc.oneof(fc.uuid(), fc.string({ maxLength: 12 })) }) },
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        'name.givenName',
        'displayName',
        'active',
        'emails[type eq "work"].value',
        `${ENT}:manager`,
        `${ENT}:department`,
        'userName',
        'externalId',
        'title',
        'x.y',
        'members',
        'schemas',
        'meta',
      ),
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('False', 'True', null, 3, UUID),
        fc.array(fc.record({ value: fc.uuid() }), { maxLength: 2 }),
      ),
      { maxKeys: 4 },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const patchOperation = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record(
      {
        op: fc.constantFrom(
          'add',
          'replace',
          'remove',
          'Add',
          'Replace',
          'Remove',
          'ADD',
          'patch',
          '',
          'delete',
        ),
        path: patchPath,
        value: patchValue,
      },
      { requiredKeys: ['op'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

// Operations a real IdP sends, with values of the right type (so they reach the worker and apply).
const wellTypedOperation = fc.oneof(
  fc.record({
    op: fc.constantFrom('replace', 'add', 'Replace', 'Add'),
    path: fc.constantFrom(
      'displayName',
      'name.givenName',
      'name.familyName',
      'title',
      'nickName',
      'emails[type eq "work"].value',
      'phoneNumbers[type eq "mobile"].value',
      `${ENT}:department`,
      `${ENT}:employeeNumber`,
      `${ENT}:manager`,
    ),
    value: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.emailAddress()),
  }),
  fc.record({
    op: fc.constantFrom('replace', 'Replace'),
    path: fc.constant('active'),
    value: fc.constantFrom(true, false, 'True', 'False'),
  }),
  fc.record({
    op: fc.constantFrom('remove', 'Remove'),
    path: fc.constantFrom(
      'title',
      'nickName',
      'phoneNumbers[type eq "mobile"]',
      `${ENT}:manager`,
      `members[value eq "${UUID}"]`,
    ),
  }),
  fc.record({
    op: fc.constantFrom('replace', 'Replace'),
    value: fc.record(
      {
        displayName: fc.string({ minLength: 1, maxLength: 20 }),
        'name.givenName': fc.string({ minLength: 1, maxLength: 10 }),
        active: fc.constantFrom(true, 'True'),
      },
      { requiredKeys: [] },
    ),
  }),
);

/** PatchOp messages: the Entra/Okta shapes with real paths and hostile values, and broken messages. */
export const patchBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      schemas: fc.constant([PATCH_OP]),
      Operations: fc.array(wellTypedOperation, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 12,
    arbitrary: fc.record(
      {
        schemas: fc.oneof(
          fc.constant([PATCH_OP]),
          fc.constant([PATCH_OP.toLowerCase()]),
          fc.constant(PATCH_OP),
          fc.constant(['urn:x']),
          fc.constant([]),
        ),
        Operations: fc.array(patchOperation, { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ['Operations'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      schemas: fc.constant([PATCH_OP]),
      operations: fc.array(patchOperation, { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.jsonValue({ maxDepth: 2 }) }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** POST/PUT User and Group bodies: plausible shapes with hostile values. */
export const resourceBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        schemas: fc.constantFrom([CORE], [CORE, ENT], ['urn:x'], 'x'),
        userName: fc.oneof(
          fc.emailAddress(),
          fc.string({ maxLength: 40 }),
          fc.constantFrom('', ' ', null, 5, 'a'.repeat(400), 'nul\u0000@example.com', '\ud800@example.com'),
        ),
        externalId: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null), fc.integer()),
        active: fc.constantFrom(true, false, 'True', 'False', 'yes', null),
        name: fc.oneof(
          fc.record(
            { givenName: fc.string({ maxLength: 10 }), familyName: fc.jsonValue({ maxDepth: 1 }) },
            { requiredKeys: [] },
          ),
          fc.string(),
        ),
        emails: fc.oneof(
          fc.array(
            fc.record(
              {
                value: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 8 }), fc.integer()),
                type: fc.string({ maxLength: 5 }),
                primary: fc.oneof(fc.boolean(), fc.constant('True')),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        [ENT]: fc.record(
          {
            manager: fc.oneof(
              fc.record({ value: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })) }),
              fc.uuid(),
              fc.jsonValue({ maxDepth: 1 }),
            ),
            employeeNumber: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
        displayName: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 })),
        members: fc.array(fc.record({ value: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })) }), {
          maxLength: 3,
        }),
        meta: fc.jsonValue({ maxDepth: 2 }),
        id: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

// ---------------------------------------------------------------- malformed JSON documents

const validDocuments = [
  JSON.stringify({
    schemas: [CORE],
    userName: 'fuzz@example.com',
    emails: [{ value: 'fuzz@example.com', primary: true }],
    name: { givenName: 'F' },
  }),
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Fuzz',
    members: [{ value: UUID }],
  }),
  JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }),
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { userName: 'b@x' } }],
  }),
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
    filter: 'userName pr',
    startIndex: 1,
    count: 5,
  }),
];

export interface RawDocument {
  body: string | Buffer;
  contentType: string | undefined;
}

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Broken, borderline and absurd JSON documents, with the media types clients get wrong. */
export const malformedDocument: fc.Arbitrary<RawDocument> = fc.record({
  body: fc.oneof(
    { weight: 6, arbitrary: mutated(fc.constantFrom(...validDocuments)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...validDocuments), fc.nat())
        .map(([d, i]) => d.slice(0, i % d.length)),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc
          .integer({ min: 1_000, max: 100_000 })
          .map((n) => `{"userName":"deep@example.com","x":${deepArray(n)}}`),
        fc
          .integer({ min: 1_000, max: 50_000 })
          .map((n) => `{"userName":"deep@example.com","x":${deepObject(n)}}`),
        fc
          .integer({ min: 1_000, max: 50_000 })
          .map(
            (n) =>
              `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"title","value":${deepArray(n)}}]}`,
          ),
        fc
          .integer({ min: 1_000, max: 50_000 })
          .map((n) => `{"Operations":[{"op":"add","value":${deepObject(n)}}]}`),
        fc.integer({ min: 1_000, max: 50_000 }).map((n) => deepArray(n)),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '{}',
        '"str"',
        '123',
        'true',
        '\ufeff{"userName":"bom@example.com"}',
        '{"userName":"a","userName":"b"}',
        '{"__proto__":{"admin":true},"userName":"p@x"}',
        '{"constructor":{"prototype":{}},"userName":"c@x"}',
        '{"userName":"\\ud800"}',
        '{"userName":"nul\\u0000@example.com"}',
        '{"displayName":"G\\u0000"}',
        '{"userName":1e400}',
        '{"userName":"x","active":NaN}',
        '{"userName":"x",}',
        "{'userName':'x'}",
        '{"userName":"x"}garbage',
        '{"userName":"x"}\u0000',
        '{"a":"\u0000"}',
        `{"userName":"${'x'.repeat(70_000)}"}`,
      ),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    {
      weight: 1,
      arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  ),
  contentType: fc.constantFrom(
    'application/scim+json',
    'application/scim+json',
    'application/json',
    'application/json; charset=utf-8',
    'application/scim+json; charset=utf-16',
    'application/json; charset=latin1',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '',
    'application/scim+json;;;',
    'application/*',
    undefined,
  ),
});

// ---------------------------------------------------------------- tRPC

export interface TrpcCall {
  path: string;
  method: 'GET' | 'POST';
  /** Raw input text (JSON or not); undefined sends none. */
  input: string | undefined;
  batch: boolean;
}

export interface TrpcTargets {
  organizationId: string;
  memberId: string;
  groupId: string;
}

/**
 * One input that satisfies every procedure's schema at once (zod objects drop keys they don't
 * know), with real ids: the starting point that hostile variations are made from.
 */
const wellFormedInput = (ids: TrpcTargets): Record<string, unknown> => ({
  organizationId: ids.organizationId,
  memberId: ids.memberId,
  groupId: ids.groupId,
  memberIds: [ids.memberId],
  failureId: UUID,
  tokenId: UUID,
  externalId: 'ext-fuzz',
  name: 'Fuzzed name',
  role: 'reader',
  digestWindowMinutes: 30,
  emails: ['ops@example.com'],
  token: 'inv_fuzz',
  limit: 5,
  search: 'a',
});

export function trpcCall(
  procedures: Array<{ path: string; type: 'query' | 'mutation' }>,
  ids: TrpcTargets,
): fc.Arbitrary<TrpcCall> {
  const keys = Object.keys(wellFormedInput(ids));
  const hostile = fc.oneof(
    fc.uuid(),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.constantFrom(
      -1,
      0,
      1e9,
      1.5,
      Number.MAX_SAFE_INTEGER,
      null,
      true,
      '',
      'admin',
      'owner',
      'invited',
      'x@example.com',
      'a'.repeat(1_000),
    ),
    // Serialized as the escape `\ud800`: valid JSON, invalid Unicode; and a NUL.
    fc.constantFrom('\ud800', 'a\udc00b', 'x\u0000y'),
    fc.array(fc.oneof(fc.uuid(), fc.emailAddress(), fc.string({ maxLength: 6 })), { maxLength: 5 }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const varied = fc
    .tuple(
      fc.array(
        fc.tuple(fc.constantFrom(...keys, 'extra', '__proto__'), fc.option(hostile, { nil: undefined })),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([changes]) => {
      const input: Record<string, unknown> = wellFormedInput(ids);
      for (const [key, value] of changes) {
        if (value === undefined) delete input[key];
        else input[key] = value;
      }
      return JSON.stringify(input);
    });
  const input = fc.oneof(
    { weight: 5, arbitrary: fc.constant(JSON.stringify(wellFormedInput(ids))) },
    { weight: 8, arbitrary: varied },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: mutated(fc.constant(JSON.stringify(wellFormedInput(ids)))) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const procedure = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...procedures) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'members',
          'members.get.x',
          '',
          'nope.nope',
          'members.list,members.get',
          '__proto__.x',
          'constructor',
        )
        .map((path) => ({ path, type: 'query' as const })),
    },
  );
  return fc
    .record({ procedure, input, batch: fc.boolean(), wrongMethod: fc.integer({ min: 0, max: 9 }) })
    .map(({ procedure: p, input: i, batch, wrongMethod }) => {
      // Mostly the method the procedure takes; now and then the other one.
      const right = p.type === 'query' ? 'GET' : 'POST';
      const method: 'GET' | 'POST' = wrongMethod === 0 ? (right === 'GET' ? 'POST' : 'GET') : right;
      return { path: p.path, method, input: i, batch };
    });
}

// ---------------------------------------------------------------- GraphQL

/** A small deterministic PRNG, seeded by fast-check, to walk the schema. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function literalFor(type: GraphQLInputType, r: () => number, organizationId: string, depth = 0): string {
  const wrong = r() < 0.08;
  if (wrong)
    return ['"x"', '-1', '1e999', 'null', '[1]', '{a: 1}', 'true', '$undeclared', '"\\u0000"'][
      Math.floor(r() * 9)
    ]!;
  if (isNonNullType(type)) return literalFor(type.ofType, r, organizationId, depth);
  if (isListType(type)) return `[${literalFor(type.ofType, r, organizationId, depth + 1)}]`;
  if (isEnumType(type)) {
    const values = type.getValues();
    return values[Math.floor(r() * values.length)]!.name;
  }
  if (isInputObjectType(type)) {
    if (depth > 2) return '{}';
    const fields = Object.values(type.getFields()).filter(() => r() < 0.6);
    return `{${fields.map((f) => `${f.name}: ${literalFor(f.type, r, organizationId, depth + 1)}`).join(', ')}}`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return String([0, 1, 5, 20, 100, 101, -5, 2147483647, 2147483648][Math.floor(r() * 9)]);
      case 'Float':
        return String(r() * 1e6);
      case 'Boolean':
        return r() < 0.5 ? 'true' : 'false';
      case 'ID':
        return JSON.stringify(
          [organizationId, UUID, 'not-an-id', '', 'T3JnYW5pemF0aW9uOjE='][Math.floor(r() * 5)],
        );
      case 'DateTime':
        return JSON.stringify(
          [
            '2024-01-01T00:00:00Z',
            '2024-13-01',
            'now',
            '',
            '1970-01-01T00:00:00.000Z',
            '9999-12-31T23:59:59Z',
          ][Math.floor(r() * 6)],
        );
      default:
        return JSON.stringify(['abc', '', 'x'.repeat(50), 'eyJ9', 'a\u0000b', '\ud800'][Math.floor(r() * 6)]);
    }
  }
  return 'null';
}

function argsFor(args: readonly GraphQLArgument[], r: () => number, organizationId: string): string {
  const chosen = args.filter((a) => isNonNullType(a.type) || r() < 0.5);
  if (chosen.length === 0) return '';
  return `(${chosen.map((a) => `${a.name}: ${a.name === 'id' && r() < 0.7 ? JSON.stringify(organizationId) : literalFor(a.type, r, organizationId)}`).join(', ')})`;
}

function selectionFor(
  type: GraphQLObjectType,
  r: () => number,
  organizationId: string,
  depth: number,
): string {
  const fields = Object.values(type.getFields());
  const picked = fields.filter(() => r() < 0.35);
  if (picked.length === 0) picked.push(fields[Math.floor(r() * fields.length)]!);
  const parts = picked.map((f) => {
    const named = getNamedType(f.type);
    const alias = r() < 0.1 ? `a${Math.floor(r() * 100)}: ` : '';
    const head = `${alias}${f.name}${argsFor(f.args, r, organizationId)}`;
    if (isObjectType(named))
      return depth >= 6
        ? `${head} { __typename }`
        : `${head} { ${selectionFor(named, r, organizationId, depth + 1)} }`;
    return head;
  });
  if (r() < 0.05) parts.push('__typename');
  if (r() < 0.03) parts.push('nope');
  return parts.join(' ');
}

export interface GraphqlCall {
  query: string;
  variables: unknown;
  get: boolean;
}

/** Queries walked from the real schema (mostly valid, wrong arguments now and then), mutated, or garbage. */
export function graphqlCall(schema: GraphQLSchema, organizationId: string): fc.Arbitrary<GraphqlCall> {
  const root = schema.getQueryType();
  if (!root) throw new Error('schema without a query type');
  const generated = fc
    .integer()
    .map((seed) => `query Q { ${selectionFor(root, prng(seed), organizationId, 0)} }`);
  return fc.record({
    query: fc.oneof(
      { weight: 10, arbitrary: generated },
      { weight: 3, arbitrary: mutated(generated) },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          '{',
          'query',
          'mutation { x }',
          'subscription { x }',
          '{ __schema { types { name } } }',
          'query A { __typename } query B { __typename }',
          '{ organization(id: $x) { id } }',
          '#',
          '{ ...F }',
        ),
      },
    ),
    variables: fc.oneof(
      fc.constant({}),
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({
        x: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('\ud800', 'x\u0000y')),
        org: fc.constant(organizationId),
      }),
    ),
    get: fc.boolean(),
  });
}

// Users' filter and sort allow-list over the `member` table (alias m).
//
// Simplification for e-mails: a member has one indexed e-mail, email_lower (the primary, else
// userName when it is an address, else work, else the first; see the domain's chooseEmail). Every
// `emails` / `emails.value` condition is evaluated against that e-mail, case-insensitively. Inside a
// value path, `type` and `primary` conditions are accepted as `and` conditions beside a value
// condition and are not evaluated, so Entra's `emails[type eq "work"].value eq "x"` becomes
// `email_lower = lower(x)`. A lone `emails[type eq "work"]`, or `type` under `or` / `not`, is rejected
// with invalidFilter instead of being guessed.
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@repo/scim-adapter';
import type { FilterAttribute, ResourceAttributes, SortColumn } from './attribute-map.js';

// Stored as sent (text): an IdP may reference a manager by a value that is not one of our ids.
const manager: FilterAttribute = {
  kind: 'string',
  column: 'm.manager_id',
  nullable: true,
  caseRule: 'exact',
};
const email: FilterAttribute = {
  kind: 'string',
  column: 'm.email_lower',
  nullable: true,
  caseRule: 'lowered',
};

const filter = new Map<string, FilterAttribute>([
  ['id', { kind: 'uuid', column: 'm.id', nullable: false }],
  ['username', { kind: 'string', column: 'm.user_name_lower', nullable: false, caseRule: 'lowered' }],
  ['externalid', { kind: 'string', column: 'm.external_id', nullable: true, caseRule: 'exact' }],
  ['displayname', { kind: 'string', column: 'm.display_name', nullable: true, caseRule: 'lower' }],
  ['name.givenname', { kind: 'string', column: 'm.given_name', nullable: true, caseRule: 'lower' }],
  ['name.familyname', { kind: 'string', column: 'm.family_name', nullable: true, caseRule: 'lower' }],
  ['emails', email],
  ['emails.value', email],
  ['emails.type', { kind: 'qualifier' }],
  ['emails.primary', { kind: 'qualifier' }],
  ['active', { kind: 'active', column: 'm.status' }],
  ['meta.created', { kind: 'dateTime', column: 'm.created_at' }],
  ['meta.lastmodified', { kind: 'dateTime', column: 'm.updated_at' }],
  ['enterprise:manager', manager],
  ['enterprise:manager.value', manager],
  // Entra's reference check sends `manager eq "<id>"` unqualified; the core schema has no `manager`.
  ['manager', manager],
  ['manager.value', manager],
]);

const created: SortColumn = { name: 'meta.created', expr: 'm.created_at', nullable: false, time: true };

const sort = new Map<string, SortColumn>([
  ['username', { name: 'userName', expr: 'm.user_name_lower', nullable: false, time: false }],
  ['displayname', { name: 'displayName', expr: 'lower(m.display_name)', nullable: true, time: false }],
  ['externalid', { name: 'externalId', expr: 'm.external_id', nullable: true, time: false }],
  ['meta.created', created],
  ['meta.lastmodified', { name: 'meta.lastModified', expr: 'm.updated_at', nullable: false, time: true }],
  ['id', { name: 'id', expr: 'm.id', nullable: false, time: false }],
]);

export const USER_ATTRIBUTES: ResourceAttributes = {
  resource: 'User',
  schemaPrefixes: new Map([
    [USER_SCHEMA.toLowerCase(), ''],
    [ENTERPRISE_USER_SCHEMA.toLowerCase(), 'enterprise:'],
  ]),
  filter,
  sort,
  defaultSort: created,
  idColumn: 'm.id',
};

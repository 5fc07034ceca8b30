// Groups' filter and sort allow-list over the `member_group` table (alias g).
import { GROUP_SCHEMA } from '@repo/scim-adapter';
import type { FilterAttribute, ResourceAttributes, SortColumn } from './attribute-map.js';

const members: FilterAttribute = { kind: 'membership', groupIdColumn: 'g.id' };

const filter = new Map<string, FilterAttribute>([
  ['id', { kind: 'uuid', column: 'g.id', nullable: false }],
  ['displayname', { kind: 'string', column: 'g.display_name_lower', nullable: false, caseRule: 'lowered' }],
  ['externalid', { kind: 'string', column: 'g.external_id', nullable: true, caseRule: 'exact' }],
  // Entra's membership check: `id eq "<gid>" and members eq "<uid>"`.
  ['members', members],
  ['members.value', members],
  ['meta.created', { kind: 'dateTime', column: 'g.created_at' }],
  ['meta.lastmodified', { kind: 'dateTime', column: 'g.updated_at' }],
]);

const created: SortColumn = { name: 'meta.created', expr: 'g.created_at', nullable: false, time: true };

const sort = new Map<string, SortColumn>([
  ['displayname', { name: 'displayName', expr: 'g.display_name_lower', nullable: false, time: false }],
  ['externalid', { name: 'externalId', expr: 'g.external_id', nullable: true, time: false }],
  ['meta.created', created],
  ['meta.lastmodified', { name: 'meta.lastModified', expr: 'g.updated_at', nullable: false, time: true }],
  ['id', { name: 'id', expr: 'g.id', nullable: false, time: false }],
]);

export const GROUP_ATTRIBUTES: ResourceAttributes = {
  resource: 'Group',
  schemaPrefixes: new Map([[GROUP_SCHEMA.toLowerCase(), '']]),
  filter,
  sort,
  defaultSort: created,
  idColumn: 'g.id',
};

// SCIM read side for Groups, from `member_group`; members only when asked for (includeMembers).
import {
  renderGroup,
  type GroupMemberView,
  type ResourceReader,
  type ScimRequestContext,
  type StoredResource,
} from '@repo/scim-adapter';
import { isUuid } from './filter-values.js';
import { GROUP_ATTRIBUTES } from './group-attributes.js';
import { loadGroupMembers } from './group-members.js';
import { listPage, type ListSource } from './list-page.js';
import { fragment, runSql, type ReaderOptions, type Row } from '../sql/read-sql.js';
import { integer, text, textOrNull } from '../sql/row-values.js';
import { dialectOf, type Dialect } from '../sql/sql-dialect.js';

const SOURCE: ListSource = {
  attributes: GROUP_ATTRIBUTES,
  table: 'member_group',
  alias: 'g',
  organizationColumn: 'g.organization_id',
  columns: 'g.id as id, g.display_name, g.external_id, g.document, g.version, g.created_at, g.updated_at',
};

function render(
  row: Row,
  ctx: ScimRequestContext,
  dialect: Dialect,
  members: GroupMemberView[] | undefined,
): StoredResource {
  const id = text(row, 'id');
  const version = integer(row, 'version');
  const resource = renderGroup({
    id,
    displayName: text(row, 'display_name'),
    externalId: textOrNull(row, 'external_id'),
    document: dialect.readJson(row['document']),
    ...(members === undefined ? {} : { members }),
    created: dialect.readTime(row['created_at']),
    lastModified: dialect.readTime(row['updated_at']),
    version,
    location: `${ctx.baseUrl}/Groups/${id}`,
  });
  return { resource, version };
}

export function createGroupReader(options: ReaderOptions): ResourceReader {
  return {
    async list(ctx, query) {
      const em = options.em(ctx);
      const dialect = dialectOf(em);
      const page = await listPage(em, dialect, SOURCE, ctx, query);
      const ids = page.rows.map((row) => text(row, 'id'));
      const members =
        query.includeMembers && ids.length > 0
          ? await loadGroupMembers(em, ctx.organizationId, ids)
          : undefined;
      return {
        totalResults: page.totalResults,
        resources: page.rows.map((row) => {
          const groupMembers = members ? (members.get(text(row, 'id')) ?? []) : undefined;
          return render(row, ctx, dialect, groupMembers).resource;
        }),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },

    async get(ctx, id, { includeMembers }) {
      if (!isUuid(id)) return null;
      const em = options.em(ctx);
      const [row] = await runSql(
        em,
        fragment(`select ${SOURCE.columns} from member_group g where g.organization_id = ? and g.id = ?`, [
          ctx.organizationId,
          id.toLowerCase(),
        ]),
      );
      if (!row) return null;
      const groupId = text(row, 'id');
      const members = includeMembers
        ? (await loadGroupMembers(em, ctx.organizationId, [groupId])).get(groupId)
        : undefined;
      return render(row, ctx, dialectOf(em), includeMembers ? (members ?? []) : undefined);
    },

    async version(ctx, id) {
      if (!isUuid(id)) return null;
      const [row] = await runSql(
        options.em(ctx),
        fragment('select g.version from member_group g where g.organization_id = ? and g.id = ?', [
          ctx.organizationId,
          id.toLowerCase(),
        ]),
      );
      return row ? integer(row, 'version') : null;
    },
  };
}

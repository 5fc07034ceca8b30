// SCIM read side for Users, straight from the `member` table.
import { memberGroupsColumn, readMemberGroups } from '@repo/domain';
import {
  renderUser,
  type ResourceReader,
  type ScimRequestContext,
  type StoredResource,
} from '@repo/scim-adapter';
import { isUuid } from './filter-values.js';
import { listPage, type ListSource } from './list-page.js';
import { fragment, runSql, type ReaderOptions, type Row } from '../sql/read-sql.js';
import { integer, text } from '../sql/row-values.js';
import { dialectOf, type Dialect } from '../sql/sql-dialect.js';
import { USER_ATTRIBUTES } from './user-attributes.js';

const SOURCE: ListSource = {
  attributes: USER_ATTRIBUTES,
  table: 'member',
  alias: 'm',
  organizationColumn: 'm.organization_id',
  columns: 'm.id as id, m.document, m.status, m.version, m.created_at, m.updated_at',
};

/** The list source, with the groups column when the client asks for groups. */
const source = (dialect: Dialect, includeMembers: boolean): ListSource =>
  includeMembers
    ? { ...SOURCE, columns: `${SOURCE.columns}, ${memberGroupsColumn(dialect.kind === 'postgresql')}` }
    : SOURCE;

function render(row: Row, ctx: ScimRequestContext, dialect: Dialect): StoredResource {
  const id = text(row, 'id');
  const version = integer(row, 'version');
  const resource = renderUser({
    id,
    ...('groups' in row ? { groups: readMemberGroups(row['groups']) } : {}),
    document: dialect.readJson(row['document']),
    active: text(row, 'status') !== 'revoked',
    created: dialect.readTime(row['created_at']),
    lastModified: dialect.readTime(row['updated_at']),
    version,
    location: `${ctx.baseUrl}/Users/${id}`,
  });
  return { resource, version };
}

export function createUserReader(options: ReaderOptions): ResourceReader {
  return {
    async list(ctx, query) {
      const em = options.em(ctx);
      const dialect = dialectOf(em);
      const page = await listPage(em, dialect, source(dialect, query.includeMembers), ctx, query);
      return {
        totalResults: page.totalResults,
        resources: page.rows.map((row) => render(row, ctx, dialect).resource),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },

    async get(ctx, id, { includeMembers }) {
      // A malformed id can't exist: no query (and no uuid cast error on PostgreSQL).
      if (!isUuid(id)) return null;
      const em = options.em(ctx);
      const dialect = dialectOf(em);
      const { columns } = source(dialect, includeMembers);
      const [row] = await runSql(
        em,
        fragment(`select ${columns} from member m where m.organization_id = ? and m.id = ?`, [
          ctx.organizationId,
          id.toLowerCase(),
        ]),
      );
      return row ? render(row, ctx, dialect) : null;
    },

    async version(ctx, id) {
      if (!isUuid(id)) return null;
      const [row] = await runSql(
        options.em(ctx),
        fragment('select m.version from member m where m.organization_id = ? and m.id = ?', [
          ctx.organizationId,
          id.toLowerCase(),
        ]),
      );
      return row ? integer(row, 'version') : null;
    },
  };
}

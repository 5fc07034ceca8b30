// SCIM read side for Users, straight from the `member` table.
import {
  renderUser,
  type UserGroupView,
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
import { loadUserGroups } from './user-groups.js';

const SOURCE: ListSource = {
  attributes: USER_ATTRIBUTES,
  from: 'member m',
  organizationColumn: 'm.organization_id',
  columns: 'm.id as id, m.document, m.status, m.version, m.created_at, m.updated_at',
};

function render(
  row: Row,
  ctx: ScimRequestContext,
  dialect: Dialect,
  groups?: UserGroupView[],
): StoredResource {
  const id = text(row, 'id');
  const version = integer(row, 'version');
  const resource = renderUser({
    id,
    ...(groups === undefined ? {} : { groups }),
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
      const page = await listPage(em, dialect, SOURCE, ctx, query);
      const groups =
        query.includeMembers && page.rows.length
          ? await loadUserGroups(
              em,
              ctx.organizationId,
              page.rows.map((row) => text(row, 'id')),
            )
          : undefined;
      return {
        totalResults: page.totalResults,
        resources: page.rows.map((row) => render(row, ctx, dialect, groups?.get(text(row, 'id'))).resource),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },

    async get(ctx, id, { includeMembers }) {
      // A malformed id can't exist: no query (and no uuid cast error on PostgreSQL).
      if (!isUuid(id)) return null;
      const em = options.em(ctx);
      const [row] = await runSql(
        em,
        fragment(`select ${SOURCE.columns} from member m where m.organization_id = ? and m.id = ?`, [
          ctx.organizationId,
          id.toLowerCase(),
        ]),
      );
      if (!row) return null;
      const groups = includeMembers
        ? (await loadUserGroups(em, ctx.organizationId, [text(row, 'id')])).get(text(row, 'id'))
        : undefined;
      return render(row, ctx, dialectOf(em), groups);
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

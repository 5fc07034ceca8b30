import { ScimError, parseFilter } from '@repo/scim-adapter';
import { describe, expect, it } from 'vitest';
import { filterToSql } from './filter-sql.js';
import { GROUP_ATTRIBUTES } from './group-attributes.js';
import { POSTGRES, SQLITE, type Dialect } from '../sql/sql-dialect.js';
import { USER_ATTRIBUTES } from './user-attributes.js';

const users = (filter: string, dialect: Dialect = POSTGRES) =>
  filterToSql(parseFilter(filter), USER_ATTRIBUTES, dialect);
const groups = (filter: string, dialect: Dialect = POSTGRES) =>
  filterToSql(parseFilter(filter), GROUP_ATTRIBUTES, dialect);

function invalidFilter(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    const error = e as ScimError;
    expect([error.status, error.scimType]).toEqual([400, 'invalidFilter']);
    return error.detail;
  }
  throw new Error('expected invalidFilter');
}

const UID = '2819c223-7f76-453a-919d-413861904646';
const GID = '54d382a4-2050-4c03-94d1-e769f1d15682';

describe('filterToSql: users', () => {
  it('compares userName case-insensitively against the indexed lower-case column', () => {
    expect(users('userName eq "BJensen@Example.com"')).toEqual({
      sql: 'm.user_name_lower = ?',
      params: ['bjensen@example.com'],
    });
    expect(users('userName gt "M"')).toEqual({ sql: 'm.user_name_lower > ?', params: ['m'] });
  });

  it('takes attribute names case-insensitively and with the core schema URI', () => {
    const expected = { sql: 'm.user_name_lower = ?', params: ['x'] };
    expect(users('USERNAME EQ "X"')).toEqual(expected);
    expect(users('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toEqual(expected);
  });

  it('compares externalId exactly and keeps nullable comparisons two-valued', () => {
    expect(users('externalId eq "AbC"')).toEqual({
      sql: '(m.external_id is not null and m.external_id = ?)',
      params: ['AbC'],
    });
    expect(users('externalId ne "AbC"')).toEqual({
      sql: 'not ((m.external_id is not null and m.external_id = ?))',
      params: ['AbC'],
    });
    expect(users('externalId eq null')).toEqual({ sql: 'm.external_id is null', params: [] });
    // Entra's legacy unquoted numbers are text for a string attribute.
    expect(users('externalId eq 12345').params).toEqual(['12345']);
  });

  it('escapes LIKE wildcards in co / sw / ew', () => {
    expect(users(String.raw`userName co "50%_off\\"`)).toEqual({
      sql: String.raw`m.user_name_lower like ? escape '\'`,
      params: [String.raw`%50\%\_off\\%`],
    });
    expect(users('userName sw "Ab"').params).toEqual(['ab%']);
    expect(users('userName ew "Ab"').params).toEqual(['%ab']);
  });

  it('matches case-exact attributes with LIKE on PostgreSQL and GLOB on SQLite', () => {
    expect(users('externalId co "a%b"')).toEqual({
      sql: String.raw`(m.external_id is not null and m.external_id like ? escape '\')`,
      params: [String.raw`%a\%b%`],
    });
    expect(users('externalId sw "a*b?[c"', SQLITE)).toEqual({
      sql: '(m.external_id is not null and m.external_id glob ?)',
      params: ['a[*]b[?][[]c*'],
    });
  });

  it('lowers both sides for displayName and name parts', () => {
    expect(users('displayName eq "Babs"')).toEqual({
      sql: '(m.display_name is not null and lower(m.display_name) = lower(cast(? as text)))',
      params: ['Babs'],
    });
    expect(users('name.familyName co "Jen"')).toEqual({
      sql: String.raw`(m.family_name is not null and lower(m.family_name) like lower(cast(? as text)) escape '\')`,
      params: ['%Jen%'],
    });
  });

  it('maps e-mails, including Entra\'s emails[type eq "work"].value eq, to email_lower', () => {
    const expected = { sql: '(m.email_lower is not null and m.email_lower = ?)', params: ['x@y.com'] };
    expect(users('emails[type eq "work"].value eq "X@Y.com"')).toEqual(expected);
    expect(users('emails[type eq "work" and value eq "X@Y.com"]')).toEqual(expected);
    expect(users('emails[value eq "X@Y.com"]')).toEqual(expected);
    expect(users('emails.value eq "X@Y.com"')).toEqual(expected);
    expect(users('emails eq "X@Y.com"')).toEqual(expected);
    expect(users('emails[type eq "work" and (value co "@x" or value co "@y")]')).toEqual({
      sql: String.raw`((m.email_lower is not null and m.email_lower like ? escape '\') or (m.email_lower is not null and m.email_lower like ? escape '\'))`,
      params: ['%@x%', '%@y%'],
    });
  });

  it('rejects e-mail type conditions it cannot evaluate', () => {
    invalidFilter(() => users('emails[type eq "work"]'));
    invalidFilter(() => users('emails[type eq "work" or value eq "x"]'));
    invalidFilter(() => users('emails[not (type eq "work") and value eq "x"]'));
    invalidFilter(() => users('emails[type co "wo" and value eq "x"]'));
    invalidFilter(() => users('emails[type pr and value eq "x"]'));
    invalidFilter(() => users('emails.type eq "work"'));
  });

  it('derives active from the status', () => {
    expect(users('active eq false')).toEqual({ sql: 'm.status = ?', params: ['revoked'] });
    expect(users('active eq true')).toEqual({ sql: 'm.status <> ?', params: ['revoked'] });
    expect(users('active eq "True"')).toEqual({ sql: 'm.status <> ?', params: ['revoked'] });
    expect(users('active ne true')).toEqual({ sql: 'm.status = ?', params: ['revoked'] });
    expect(users('active pr')).toEqual({ sql: '1 = 1', params: [] });
    invalidFilter(() => users('active gt true'));
    invalidFilter(() => users('active eq "yes"'));
  });

  it('compares meta dates as timestamps of each database', () => {
    const filter =
      'meta.lastModified gt "2024-01-01T00:00:00Z" and meta.lastModified le "2024-02-01T10:00:00.5+01:00"';
    expect(users(filter)).toEqual({
      sql: '(m.updated_at > ? and m.updated_at <= ?)',
      params: ['2024-01-01T00:00:00.000Z', '2024-02-01T09:00:00.500Z'],
    });
    expect(users(filter, SQLITE).params).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1, 9, 0, 0, 500)]);
    // .NET's seven fraction digits and a zone offset (Microsoft's Postman collection).
    expect(users('meta.Created gt 2015-10-10T14:38:21.8617979-07:00').params).toEqual([
      '2015-10-10T21:38:21.861Z',
    ]);
    expect(users('meta.created ne "2024-01-01T00:00:00Z"').sql).toBe('not (m.created_at = ?)');
  });

  it('rejects invalid dates and operators dates do not have', () => {
    invalidFilter(() => users('meta.created gt "yesterday"'));
    invalidFilter(() => users('meta.created gt "2024-02-30T00:00:00Z"'));
    invalidFilter(() => users('meta.created gt 2024'));
    invalidFilter(() => users('meta.created co "2024"'));
  });

  it('matches ids exactly; a non-uuid matches nothing instead of failing in SQL', () => {
    expect(users(`id eq "${UID.toUpperCase()}"`)).toEqual({ sql: 'm.id = ?', params: [UID] });
    expect(users('id eq "not-a-uuid"')).toEqual({ sql: '1 = 0', params: [] });
    expect(users('id ne "not-a-uuid"')).toEqual({ sql: 'not (1 = 0)', params: [] });
    invalidFilter(() => users('id sw "2819"'));
  });

  it('filters on the enterprise manager, qualified or (as Entra sends it) not', () => {
    const expected = { sql: '(m.manager_id is not null and m.manager_id = ?)', params: [UID] };
    expect(users(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "${UID}"`)).toEqual(
      expected,
    );
    expect(
      users(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${UID}"`),
    ).toEqual(expected);
    expect(users(`id eq ${GID} and manager eq ${UID}`)).toEqual({
      sql: '(m.id = ? and (m.manager_id is not null and m.manager_id = ?))',
      params: [GID, UID],
    });
    expect(users('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr')).toEqual({
      sql: "(m.manager_id is not null and m.manager_id <> '')",
      params: [],
    });
  });

  it('treats pr as "has a non-empty value"', () => {
    expect(users('externalId pr')).toEqual({
      sql: "(m.external_id is not null and m.external_id <> '')",
      params: [],
    });
    expect(users('userName pr')).toEqual({ sql: "m.user_name_lower <> ''", params: [] });
  });

  it('keeps precedence, not and keywords inside values', () => {
    expect(users('userName eq "a" or userName eq "b" and active eq true')).toEqual({
      sql: '(m.user_name_lower = ? or (m.user_name_lower = ? and m.status <> ?))',
      params: ['a', 'b', 'revoked'],
    });
    expect(users('not (userName eq "a" or active eq false)')).toEqual({
      sql: 'not ((m.user_name_lower = ? or m.status = ?))',
      params: ['a', 'revoked'],
    });
    expect(users('userName eq "carol and dave"').params).toEqual(['carol and dave']);
    expect(users(String.raw`userName eq "say \"hi\" or not"`).params).toEqual(['say "hi" or not']);
  });

  it('rejects attributes outside the allow-list and foreign schema URIs', () => {
    expect(invalidFilter(() => users('nickName eq "x"'))).toContain('nickName');
    invalidFilter(() => users('title pr'));
    invalidFilter(() => users('name eq "x"'));
    invalidFilter(() => users('urn:example:custom:2.0:User:userName eq "x"'));
    invalidFilter(() => users('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"'));
    invalidFilter(() => users('userName eq true'));
    invalidFilter(() => users('userName lt null'));
    invalidFilter(() => users('members eq "x"'));
  });
});

describe('filterToSql: groups', () => {
  it("checks membership with EXISTS (Entra's membership check)", () => {
    const membership =
      'exists (select 1 from group_membership gm where gm.group_id = g.id and gm.member_id = ?)';
    expect(groups(`id eq "${GID}" and members eq "${UID}"`)).toEqual({
      sql: `(g.id = ? and ${membership})`,
      params: [GID, UID],
    });
    expect(groups(`members.value eq "${UID}"`)).toEqual({ sql: membership, params: [UID] });
    expect(groups(`members[value eq "${UID}"]`)).toEqual({ sql: membership, params: [UID] });
    expect(groups(`members ne "${UID}"`)).toEqual({ sql: `not (${membership})`, params: [UID] });
    expect(groups('members eq "nope"')).toEqual({ sql: '1 = 0', params: [] });
    expect(groups('members pr').sql).toBe(
      'exists (select 1 from group_membership gm where gm.group_id = g.id)',
    );
  });

  it('compares displayName case-insensitively and externalId exactly', () => {
    expect(groups('DisplayName eq "Admins"')).toEqual({
      sql: 'g.display_name_lower = ?',
      params: ['admins'],
    });
    expect(groups('externalId eq "Ab"')).toEqual({
      sql: '(g.external_id is not null and g.external_id = ?)',
      params: ['Ab'],
    });
    expect(groups('meta.lastModified ge "2024-01-01T00:00:00Z"').sql).toBe('g.updated_at >= ?');
  });

  it('rejects what groups cannot filter on', () => {
    invalidFilter(() => groups('members co "x"'));
    invalidFilter(() => groups('members[display eq "x"]'));
    invalidFilter(() => groups('userName eq "x"'));
    invalidFilter(() => groups('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "x"'));
  });
});

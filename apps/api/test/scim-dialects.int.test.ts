// Replays the request sequences Entra ID (both PATCH dialects) and Okta send, over real HTTP,
// through the queue and the worker, against PostgreSQL (entra-client.md §1 and §6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterQuery, patchOp, scimClient } from './helpers/scim-client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

type Dialect = 'legacy' | 'aadOptscim062020' | 'okta';

const userBody = (n: string) => ({
  schemas: [CORE, ENTERPRISE],
  externalId: `ext-${n}`,
  userName: `${n}@contoso.com`,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${n}@contoso.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: `Given ${n} Family`, familyName: 'Family', givenName: `Given ${n}` },
  roles: [],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Design' },
});

describe.each(['legacy', 'aadOptscim062020', 'okta'] as const)(
  '%s dialect end to end',
  (dialect: Dialect) => {
    it('Test Connection → lookup → create → read → update → manager → disable → enable → groups → delete', async () => {
      const org = await t.organization(`Org ${dialect}`);
      const scim = scimClient(org.scimUrl, org.scimKey, {
        ...(dialect === 'aadOptscim062020' ? { query: 'aadOptscim062020' } : {}),
        ...(dialect === 'okta' ? { headers: { 'user-agent': 'Okta SCIM Client 1.0.0' } } : {}),
      });

      // Test Connection: a random GUID userName, no Accept header → 200 empty ListResponse.
      const probe = await scim.get(
        `/Users?${filterQuery('userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a"')}`,
      );
      expect(probe.status).toBe(200);
      expect(probe.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(probe.body).toMatchObject({ totalResults: 0, Resources: [] });

      // Lookup by userName, then create (with meta and roles:[] as Entra sends them).
      expect(
        (await scim.get(`/Users?${filterQuery('userName eq "jyoung@contoso.com"')}`)).body,
      ).toMatchObject({ totalResults: 0 });
      const created = await scim.post('/Users', userBody('jyoung'));
      expect(created.status).toBe(201);
      const id = created.body!['id'] as string;
      expect(created.headers.get('location')).toBe(`${org.scimUrl}/Users/${id}`);
      expect(created.body).toMatchObject({
        userName: 'jyoung@contoso.com',
        active: true,
        [ENTERPRISE]: { department: 'Design' },
      });
      const manager = await scim.post('/Users', userBody('boss'));
      const managerId = manager.body!['id'] as string;

      // The lookup now finds it — case-insensitively, and by Entra's emails form.
      for (const f of [
        'userName eq "JYOUNG@contoso.com"',
        'emails[type eq "work"].value eq "jyoung@contoso.com"',
        'externalId eq "ext-jyoung"',
      ]) {
        const found = await scim.get(`/Users?${filterQuery(f)}`);
        expect(found.body, f).toMatchObject({ totalResults: 1, Resources: [{ id }] });
      }
      expect((await scim.get(`/Users?${filterQuery('externalId eq "EXT-JYOUNG"')}`)).body).toMatchObject({
        totalResults: 0,
      });
      const read = await scim.get(`/Users/${id}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('W/"1"');

      // Attribute update in the dialect's shape.
      if (dialect === 'legacy') {
        const r = await scim.patch(
          `/Users/${id}`,
          patchOp(
            { op: 'Replace', path: 'displayName', value: 'Joy Young' },
            { op: 'Replace', path: 'emails[type eq "work"].value', value: 'joy@contoso.com' },
            { op: 'Replace', path: 'name.givenName', value: 'Joy' },
            { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Architecture' },
            { op: 'Add', path: 'nickName', value: 'Babs' },
          ),
        );
        expect(r.status).toBe(200);
      } else if (dialect === 'aadOptscim062020') {
        const r = await scim.patch(
          `/Users/${id}`,
          patchOp(
            { op: 'replace', path: 'emails[type eq "work"].value', value: 'joy@contoso.com' },
            {
              op: 'replace',
              value: {
                displayName: 'Joy Young',
                'name.givenName': 'Joy',
                [`${ENTERPRISE}:department`]: 'Architecture',
              },
            },
            { op: 'add', path: 'nickName', value: 'Babs' },
          ),
        );
        expect(r.status).toBe(200);
      } else {
        const current = (await scim.get(`/Users/${id}`)).body!;
        const r = await scim.put(`/Users/${id}`, {
          ...current,
          displayName: 'Joy Young',
          nickName: 'Babs',
          emails: [{ primary: true, type: 'work', value: 'joy@contoso.com' }],
          name: { ...(current['name'] as object), givenName: 'Joy' },
          [ENTERPRISE]: { ...(current[ENTERPRISE] as object), department: 'Architecture' },
        });
        expect(r.status).toBe(200);
      }
      const updated = (await scim.get(`/Users/${id}`)).body!;
      expect(updated).toMatchObject({
        displayName: 'Joy Young',
        nickName: 'Babs',
        name: { givenName: 'Joy', familyName: 'Family' },
        emails: [{ type: 'work', value: 'joy@contoso.com' }],
        [ENTERPRISE]: { department: 'Architecture', employeeNumber: '701984' },
      });

      // Manager: a separate PATCH with a bare id; returned as {value}.
      const managerOp =
        dialect === 'legacy'
          ? { op: 'Add', path: `${ENTERPRISE}:manager`, value: managerId }
          : { op: 'add', path: `${ENTERPRISE}:manager`, value: managerId };
      expect((await scim.patch(`/Users/${id}`, patchOp(managerOp))).status).toBe(200);
      expect((await scim.get(`/Users/${id}`)).body).toMatchObject({
        [ENTERPRISE]: { manager: { value: managerId } },
      });
      const byManager = await scim.get(
        `/Users?${filterQuery(`id eq "${id}" and manager eq "${managerId}"`)}&attributes=id`,
      );
      expect(byManager.body).toMatchObject({ totalResults: 1 });

      // Disable then enable: "False" string (legacy), boolean (flag), path-less {active:false} (Okta).
      const setActive = async (active: boolean) => {
        const op =
          dialect === 'legacy'
            ? { op: 'Replace', path: 'active', value: active ? 'True' : 'False' }
            : dialect === 'aadOptscim062020'
              ? { op: 'replace', path: 'active', value: active }
              : { op: 'replace', value: { active } };
        const r = await scim.patch(`/Users/${id}`, patchOp(op));
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ active });
      };
      await setActive(false);
      expect(
        (await scim.get(`/Users?${filterQuery('userName eq "jyoung@contoso.com"')}`)).body,
      ).toMatchObject({
        totalResults: 1,
        Resources: [{ active: false }],
      });
      await setActive(true);

      // Groups: lookup with excludedAttributes=members, create without members, add in one PATCH.
      const lookup = await scim.get(
        `/Groups?excludedAttributes=members&${filterQuery('displayName eq "Engineering"')}`,
      );
      expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
      const group = await scim.post('/Groups', {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:Group',
          'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
        ],
        externalId: 'grp-eng',
        displayName: 'Engineering',
      });
      expect(group.status).toBe(201);
      const gid = group.body!['id'] as string;
      const add = await scim.patch(
        `/Groups/${gid}`,
        patchOp({
          op: dialect === 'legacy' ? 'Add' : 'add',
          path: 'members',
          value: [{ value: id }, { value: managerId }],
        }),
      );
      expect(add.status).toBe(204);
      const withMembers = (await scim.get(`/Groups/${gid}`)).body!;
      expect((withMembers['members'] as { value: string }[]).map((m) => m.value).sort()).toEqual(
        [id, managerId].sort(),
      );
      expect((await scim.get(`/Users/${id}`)).body).toMatchObject({
        groups: [{ value: gid, display: 'Engineering', type: 'direct' }],
      });
      expect((await scim.get(`/Users/${id}?excludedAttributes=groups`)).body).not.toHaveProperty('groups');
      const noMembers = (await scim.get(`/Groups/${gid}?excludedAttributes=members`)).body!;
      expect(noMembers).not.toHaveProperty('members');
      expect(
        (await scim.get(`/Groups?${filterQuery(`id eq "${gid}" and members eq "${id}"`)}`)).body,
      ).toMatchObject({ totalResults: 1 });

      // Rename, then remove exactly one member (legacy value list / flag filter path / Okta value list).
      const rename =
        dialect === 'okta'
          ? { op: 'replace', value: { id: gid, displayName: 'Engineering Team' } }
          : {
              op: dialect === 'legacy' ? 'Replace' : 'replace',
              path: 'displayName',
              value: 'Engineering Team',
            };
      expect((await scim.patch(`/Groups/${gid}`, patchOp(rename))).status).toBe(204);
      const removeOne =
        dialect === 'aadOptscim062020'
          ? { op: 'remove', path: `members[value eq "${managerId}"]` }
          : {
              op: dialect === 'legacy' ? 'Remove' : 'remove',
              path: 'members',
              value: [{ value: managerId }],
            };
      expect((await scim.patch(`/Groups/${gid}`, patchOp(removeOne))).status).toBe(204);
      const after = (await scim.get(`/Groups/${gid}`)).body!;
      expect(after).toMatchObject({ displayName: 'Engineering Team', members: [{ value: id }] });

      // Hard delete → 204, then 404 with a SCIM error body.
      expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
      const gone = await scim.get(`/Users/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '404',
      });
      expect((await scim.get(`/Groups/${gid}`)).body).toMatchObject({ members: [] });
      expect((await scim.delete(`/Groups/${gid}`)).status).toBe(204);
      expect((await scim.get(`/Groups/${gid}`)).status).toBe(404);
    }, 60_000);
  },
);

describe('SCIM errors and protections end to end', () => {
  it('duplicate POST → 409 uniqueness; the case-insensitive lookup then finds the user', async () => {
    const org = await t.organization('Dupes');
    const scim = scimClient(org.scimUrl, org.scimKey);
    expect((await scim.post('/Users', userBody('dup'))).status).toBe(201);
    const again = await scim.post('/Users', {
      ...userBody('dup'),
      userName: 'DUP@contoso.com',
      externalId: 'other',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
    expect((await scim.get(`/Users?${filterQuery('userName eq "Dup@Contoso.com"')}`)).body).toMatchObject({
      totalResults: 1,
    });
  }, 30_000);

  it('seat limit → 403 with a clear detail, recorded as a sync failure; nothing created', async () => {
    const org = await t.organization('Seats', 1);
    const scim = scimClient(org.scimUrl, org.scimKey);
    expect((await scim.post('/Users', userBody('s1'))).status).toBe(201);
    const over = await scim.post('/Users', userBody('s2'));
    expect(over.status).toBe(403);
    expect(String(over.body!['detail'])).toMatch(/Seat limit reached: 1 of 1/);
    expect((await scim.get('/Users?count=0')).body).toMatchObject({ totalResults: 1 });
    const rows = await t.orm.em
      .fork()
      .getConnection()
      .execute(`select code, target, status from sync_failure where organization_id = ?`, [org.id]);
    expect(rows).toEqual([{ code: 'seat_limit', target: 's2@contoso.com', status: 'open' }]);
  }, 30_000);

  it('group members that do not exist → 400 invalidValue listing them, group unchanged', async () => {
    const org = await t.organization('Unknown members');
    const scim = scimClient(org.scimUrl, org.scimKey);
    const u = (await scim.post('/Users', userBody('m1'))).body!['id'] as string;
    const gid = (await scim.post('/Groups', { displayName: 'G' })).body!['id'] as string;
    const missing = '00000000-0000-4000-8000-000000000001';
    const r = await scim.patch(
      `/Groups/${gid}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: u }, { value: missing }] }),
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ scimType: 'invalidValue' });
    expect(String(r.body!['detail'])).toContain(missing);
    expect((await scim.get(`/Groups/${gid}`)).body).toMatchObject({ members: [] });
  }, 30_000);

  it('one organization’s key never opens another’s URL, and ids of another organization are not found', async () => {
    const a = await t.organization('A');
    const b = await t.organization('B');
    const aId = (await scimClient(a.scimUrl, a.scimKey).post('/Users', userBody('a1'))).body!['id'] as string;
    const crossKey = await scimClient(b.scimUrl, a.scimKey).get('/Users');
    const noKey = await fetch(`${b.scimUrl}/Users`);
    expect(crossKey.status).toBe(401);
    expect(noKey.status).toBe(401);
    const bScim = scimClient(b.scimUrl, b.scimKey);
    expect((await bScim.get(`/Users/${aId}`)).status).toBe(404);
    expect((await bScim.get(`/Users?${filterQuery(`id eq "${aId}"`)}`)).body).toMatchObject({
      totalResults: 0,
    });
    expect((await bScim.delete(`/Users/${aId}`)).status).toBe(404);
    const gid = (await bScim.post('/Groups', { displayName: 'BG' })).body!['id'] as string;
    expect(
      (await bScim.patch(`/Groups/${gid}`, patchOp({ op: 'add', path: 'members', value: [{ value: aId }] })))
        .status,
    ).toBe(400);
  }, 30_000);

  it('a group PATCH mixing renames and member changes applies in order, one version per change', async () => {
    const org = await t.organization('Mixed group PATCH');
    const scim = scimClient(org.scimUrl, org.scimKey);
    const ids: string[] = [];
    for (const n of ['mx1', 'mx2']) ids.push((await scim.post('/Users', userBody(n))).body!['id'] as string);
    const created = await scim.post('/Groups', { displayName: 'Mixed', members: [{ value: ids[0] }] });
    expect(created.body!['meta']).toMatchObject({ version: 'W/"2"' }); // created, then its member
    const gid = created.body!['id'] as string;
    // A rename after a member change: the member step moved the row in plain SQL, the rename
    // must see that version (a stale one fails its optimistic lock).
    const patched = await scim.patch(
      `/Groups/${gid}`,
      patchOp(
        { op: 'replace', path: 'displayName', value: 'Mixed 2' },
        { op: 'add', path: 'members', value: [{ value: ids[1] }] },
        { op: 'remove', path: `members[value eq "${ids[0]}"]` },
        { op: 'replace', path: 'externalId', value: 'mixed-ext' },
      ),
    );
    expect(patched.status).toBe(204);
    const group = await scim.get(`/Groups/${gid}`);
    expect(group.body).toMatchObject({
      displayName: 'Mixed 2',
      externalId: 'mixed-ext',
      members: [{ value: ids[1] }],
      meta: { version: 'W/"6"' },
    });
    const [counted] = await t.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ member_count: number }>>('select member_count from member_group where id = ?', [gid]);
    expect(Number(counted?.member_count)).toBe(1);
  }, 30_000);

  it('provisioning sends an invitation e-mail with a single-use accept link', async () => {
    const org = await t.organization('Invites');
    await scimClient(org.scimUrl, org.scimKey).post('/Users', userBody('invitee'));
    const { readdirSync, readFileSync } = await import('node:fs');
    const read = () =>
      readdirSync(t.outboxDir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => readFileSync(`${t.outboxDir}/${f}`, 'utf8'))
        .filter((m) => m.includes('To: invitee@contoso.com'));
    let mails = read();
    for (let i = 0; i < 50 && mails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mails = read();
    }
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: You're invited to join Invites/);
    expect(mails[0]).toMatch(/invitations\/accept\?token=3Dinv_/); // quoted-printable '='
  }, 30_000);
});

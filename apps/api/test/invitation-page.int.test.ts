// The invitation e-mail's link: opening it changes nothing; the page's button accepts once.
import { readFileSync, readdirSync } from 'node:fs';
import { Member } from '@repo/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scimClient } from './helpers/scim-client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function acceptLinkFor(address: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    for (const f of readdirSync(t.outboxDir)) {
      const mail = readFileSync(`${t.outboxDir}/${f}`, 'utf8');
      if (!mail.includes(`To: ${address}`)) continue;
      // The text part is quoted-printable: undo soft line breaks and =3D.
      const text = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const link = /(http:\/\/\S+\/invitations\/accept\?token=[\w-]+)/.exec(text)?.[1];
      if (link) return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invitation for ${address}`);
}

it('opening the link shows the page without accepting; the button’s call accepts exactly once', async () => {
  const org = await t.organization('Invite page');
  const created = await scimClient(org.scimUrl, org.scimKey).post('/Users', { userName: 'page@x.com' });
  const memberId = created.body!['id'] as string;
  const link = new URL(await acceptLinkFor('page@x.com'));
  const token = link.searchParams.get('token')!;

  const page = await fetch(`${t.url}${link.pathname}${link.search}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await page.text()).toContain('/trpc/invitations.accept');
  expect((await t.orm.em.fork().findOneOrFail(Member, memberId)).status).toBe('invited');

  const accept = () =>
    fetch(`${t.url}/trpc/invitations.accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  const first = await accept();
  expect(first.status).toBe(200);
  expect((await t.orm.em.fork().findOneOrFail(Member, memberId)).status).toBe('accepted');
  // A double submit joins the first acceptance (same outcome); nothing is applied twice.
  const second = await accept();
  expect(second.status).toBe(200);
  const accepted = await t.orm.em
    .fork()
    .getConnection()
    .execute(
      `select count(*)::int as n from audit_event where target_id = ? and action = 'invitation.accepted'`,
      [memberId],
    );
  expect(accepted).toEqual([{ n: 1 }]);
}, 30_000);

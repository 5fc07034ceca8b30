// Organization settings, SCIM key lifecycle, notifications, tokens and the audit trail.
import { readdir } from 'node:fs/promises';
import { verifyScimKey } from '@repo/domain';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { clientFor, errorOf } from './trpc-helpers.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

const scimGet = (scimUrl: string, key: string) =>
  fetch(`${scimUrl}/Users?count=1`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

describe('organizations', () => {
  test('get and update; invalid values are BAD_REQUEST with the field named', async () => {
    const org = await testApp.organization('Acme', 10);
    const admin = clientFor(testApp, org.adminToken);
    expect(await admin.organizations.get.query({ organizationId: org.id })).toMatchObject({
      id: org.id,
      name: 'Acme',
      seats: 10,
      seatsUsed: 0,
      provisionMode: 'invite',
      scimEnabled: true,
    });
    expect(
      await admin.organizations.update.mutate({
        organizationId: org.id,
        name: '  Acme Corp ',
        seats: null,
        provisionMode: 'stage',
      }),
    ).toMatchObject({ name: 'Acme Corp', seats: null, provisionMode: 'stage' });

    const bad = await errorOf(admin.organizations.update.mutate({ organizationId: org.id, seats: 0 }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', reason: 'invalid_input' });
    expect(bad?.message).toMatch(/seats/);
    expect(await errorOf(admin.organizations.update.mutate({ organizationId: org.id }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('scim', () => {
  test('status, disable / enable, and rotateKey: the new key works once, the old one stops', async () => {
    const org = await testApp.organization('Keys');
    const admin = clientFor(testApp, org.adminToken);
    const before = await admin.scim.status.query({ organizationId: org.id });
    expect(before).toMatchObject({
      enabled: true,
      scimUrl: `${testApp.config.http.publicUrl}/scim/v2/${org.id}`,
      lastRequestAt: null,
      detectedIdp: null,
    });

    expect(await scimGet(org.scimUrl, org.scimKey)).toBe(200);
    const rotated = await admin.scim.rotateKey.mutate({ organizationId: org.id });
    expect(rotated.scimApiKey).toMatch(/^scim_/);
    expect(rotated.scimApiKey).not.toBe(org.scimKey);
    expect(await verifyScimKey(testApp.orm.em.fork(), org.id, rotated.scimApiKey)).toBe(true);
    expect(await verifyScimKey(testApp.orm.em.fork(), org.id, org.scimKey)).toBe(false);
    expect(await scimGet(org.scimUrl, org.scimKey)).toBe(401);
    expect(await scimGet(org.scimUrl, rotated.scimApiKey)).toBe(200);

    const after = await admin.scim.status.query({ organizationId: org.id });
    expect(after.keyRotatedAt).toBe(rotated.rotatedAt);
    expect(Date.parse(after.keyRotatedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(before.keyRotatedAt ?? ''),
    );

    // The api trusts a key that checked out for a moment (SCIM_KEY_CACHE_MS); rotating and disabling
    // through it end that trust at once, as the two 401s above and below show.
    expect(await admin.scim.disable.mutate({ organizationId: org.id })).toEqual({ enabled: false });
    expect(await verifyScimKey(testApp.orm.em.fork(), org.id, rotated.scimApiKey)).toBe(false);
    expect(await scimGet(org.scimUrl, rotated.scimApiKey)).toBe(401);
    expect(await admin.scim.enable.mutate({ organizationId: org.id })).toEqual({ enabled: true });
    expect(await scimGet(org.scimUrl, rotated.scimApiKey)).toBe(200);
  });

  test('status shows the last SCIM request and names the IdP detected from it', async () => {
    const org = await testApp.organization('Idp');
    const reader = clientFor(testApp, org.readerToken);
    // Entra marks its requests (here with the aadOptscim062020 flag on the tenant URL).
    const res = await fetch(`${org.scimUrl}/Users?aadOptscim062020&count=1`, {
      headers: { authorization: `Bearer ${org.scimKey}` },
    });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await reader.scim.status.query({ organizationId: org.id })).detectedIdp, {
        timeout: 5_000,
      })
      .toEqual({ id: 'entra', name: 'Microsoft Entra ID' });
    const status = await reader.scim.status.query({ organizationId: org.id });
    expect(Date.now() - Date.parse(status.lastRequestAt ?? '')).toBeLessThan(60_000);
  });
});

describe('notifications', () => {
  test('set recipients and digest window; bad addresses are named; a test e-mail goes out', async () => {
    const org = await testApp.organization('Notify');
    const admin = clientFor(testApp, org.adminToken);
    expect(await admin.notifications.get.query({ organizationId: org.id })).toEqual({
      recipients: [],
      digestWindowMinutes: 15,
    });

    const bad = await errorOf(
      admin.notifications.set.mutate({ organizationId: org.id, recipients: ['ok@example.com', 'nope'] }),
    );
    expect(bad).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'invalid_value',
      message: 'Not a valid e-mail address: nope',
    });

    expect(
      await admin.notifications.set.mutate({
        organizationId: org.id,
        recipients: ['ops@example.com'],
        digestWindowMinutes: 60,
      }),
    ).toEqual({ recipients: ['ops@example.com'], digestWindowMinutes: 60 });

    expect(await admin.notifications.sendTest.mutate({ organizationId: org.id })).toEqual({
      to: ['ops@example.com'],
      queued: true,
    });
    // The mail worker delivers it (SMTP unset in tests: an .eml file in the outbox directory).
    await expect
      .poll(async () => (await readdir(testApp.outboxDir)).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
  });
});

describe('tokens', () => {
  test('an org admin creates tokens for its organization only; the plaintext is returned once', async () => {
    const org = await testApp.organization('Tokens');
    const other = await testApp.organization('Other');
    const admin = clientFor(testApp, org.adminToken);

    const created = await admin.tokens.create.mutate({
      organizationId: org.id,
      role: 'reader',
      name: 'dashboard',
    });
    expect(created).toMatchObject({ role: 'reader', name: 'dashboard', organizationId: org.id });
    expect(created.token).toMatch(/^sat_/);
    const listed = await admin.tokens.list.query({ organizationId: org.id });
    expect(listed.items.map((t) => t.name)).toContain('dashboard');
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const fresh = clientFor(testApp, created.token);
    expect((await fresh.organizations.get.query({ organizationId: org.id })).id).toBe(org.id);
    expect(
      await errorOf(fresh.tokens.create.mutate({ organizationId: org.id, role: 'admin', name: 'escalate' })),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await errorOf(admin.tokens.create.mutate({ organizationId: other.id, role: 'admin', name: 'x' })),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'forbidden_organization',
    });
    // A token of another organization can't be revoked through this one.
    const otherTokens = await clientFor(testApp, other.adminToken).tokens.list.query({
      organizationId: other.id,
    });
    const foreign = otherTokens.items[0]!.id;
    expect(
      await errorOf(admin.tokens.revoke.mutate({ organizationId: org.id, tokenId: foreign })),
    ).toMatchObject({ code: 'NOT_FOUND' });

    expect(await admin.tokens.revoke.mutate({ organizationId: org.id, tokenId: created.id })).toMatchObject({
      id: created.id,
    });
    expect(await errorOf(fresh.organizations.get.query({ organizationId: org.id }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('auditEvents', () => {
  test('newest first with filters and a cursor', async () => {
    const org = await testApp.organization('Audit');
    const admin = clientFor(testApp, org.adminToken);
    for (const name of ['One', 'Two', 'Three'])
      await admin.organizations.update.mutate({ organizationId: org.id, name });

    const all = await admin.auditEvents.list.query({ organizationId: org.id, limit: 100 });
    const ids = all.items.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const updates: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.auditEvents.list.query({
        organizationId: org.id,
        action: 'organization.updated',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      updates.push(...page.items.map((e) => String(e.data?.['name'])));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(updates).toEqual(['Three', 'Two', 'One']);

    const future = await admin.auditEvents.list.query({
      organizationId: org.id,
      since: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(future.items).toEqual([]);
    expect(
      await errorOf(admin.auditEvents.list.query({ organizationId: org.id, since: 'yesterday' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { failureEmail } from './failure-email.js';
import {
  adviceFor,
  describeByCode,
  failureFingerprint,
  normalizeFailureInput,
  redactSecrets,
  subjectLine,
  unlistedByCode,
  type SyncFailureInput,
} from './sync-failure.rules.js';

const input = (extra: Partial<SyncFailureInput> = {}): SyncFailureInput => ({
  resourceType: 'User',
  operation: 'create',
  target: 'bob@x.com',
  code: 'seat_limit',
  message: 'Seat limit reached.',
  request: null,
  attempts: 1,
  ...extra,
});

describe('failureFingerprint', () => {
  it('is a stable 64-hex hash of (resourceType, operation, target, code)', () => {
    const a = failureFingerprint(input());
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(failureFingerprint(input({ message: 'other', attempts: 5 }))).toBe(a);
    expect(failureFingerprint(input({ code: 'conflict' }))).not.toBe(a);
  });
  it('keeps the parts apart: a separator inside a target cannot collide', () => {
    expect(failureFingerprint(input({ operation: 'a|b', target: 'c' }))).not.toBe(
      failureFingerprint(input({ operation: 'a', target: 'b|c' })),
    );
  });
});

describe('redactSecrets / normalizeFailureInput', () => {
  it('redacts secret-looking keys at any depth', () => {
    expect(
      redactSecrets({
        userName: 'u',
        password: 'p',
        nested: [{ apiKey: 'k', Authorization: 'Bearer x', ok: 1 }],
      }),
    ).toEqual({
      userName: 'u',
      password: '[redacted]',
      nested: [{ apiKey: '[redacted]', Authorization: '[redacted]', ok: 1 }],
    });
  });
  it('clips fields to their columns and replaces an oversized request by its keys', () => {
    const n = normalizeFailureInput(
      input({
        target: 'x'.repeat(1000),
        operation: ' ',
        attempts: 0,
        request: { big: 'y'.repeat(20_000), other: 1 },
      }),
    );
    expect(n.target).toHaveLength(300);
    expect(n.operation).toBe('unknown');
    expect(n.attempts).toBe(1);
    expect(n.request).toEqual({ truncated: true, keys: ['big', 'other'] });
  });
});

describe('advice and totals', () => {
  it('has a line of advice per known code and a default', () => {
    expect(adviceFor('seat_limit')).toMatch(/seat/i);
    expect(adviceFor('conflict')).toMatch(/mapping/i);
    expect(adviceFor('unknown_members')).toMatch(/before adding them to groups/);
    expect(adviceFor('last_owner')).toMatch(/Promote another member/);
    expect(adviceFor('retries_exhausted')).toMatch(/status/);
    expect(adviceFor('something_new')).toMatch(/sync failure report/);
  });
  it('counts what is not listed, largest first', () => {
    expect(unlistedByCode({ seat_limit: 3, conflict: 1 }, ['seat_limit', 'conflict'])).toEqual({
      seat_limit: 2,
    });
    expect(describeByCode({ conflict: 334, seat_limit: 900, a: 334 })).toBe(
      '900 seat_limit, 334 a, 334 conflict',
    );
  });
  it('makes header-safe subjects', () => {
    expect(subjectLine('Acme\r\nBcc: evil@x.com')).toBe('Acme Bcc: evil@x.com');
  });
});

describe('failureEmail', () => {
  const line = {
    resourceType: 'User',
    operation: 'create',
    target: '<script>alert(1)</script>',
    code: 'seat_limit',
    message: 'Seat limit reached: 5 of 5 seats are used.',
    occurrences: 2,
    lastSeenAt: new Date('2026-01-01T10:00:00Z'),
  };
  it('escapes directory data in HTML and names the organization in the subject', () => {
    const m = failureEmail({
      organizationName: 'Acme & <Co>',
      lines: [line],
      totals: { failures: 1, occurrences: 2, byCode: { seat_limit: 1 } },
      digestWindowMinutes: 15,
    });
    expect(m.subject).toContain('Acme & <Co>');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('Acme &amp; &lt;Co&gt;');
    expect(m.text).toContain('<script>alert(1)</script>');
    expect(m.text).toContain('What to do:');
  });
  it('adds totals for failures that are not listed', () => {
    const m = failureEmail({
      organizationName: 'Acme',
      lines: [line],
      totals: { failures: 1_235, occurrences: 2_000, byCode: { seat_limit: 901, conflict: 334 } },
      digestWindowMinutes: 15,
    });
    expect(m.subject).toBe('Acme: 1,235 provisioning failures need attention');
    expect(m.text).toContain('…and 1,234 more failures: 900 seat_limit, 334 conflict.');
  });
});

import { describe, expect, it } from 'vitest';
import {
  chooseEmail,
  consumesSeat,
  restored,
  revoked,
  checkUserName,
  checkExternalId,
} from './member.rules.js';

describe('chooseEmail', () => {
  it('prefers the primary e-mail', () => {
    expect(
      chooseEmail('u@x.com', [
        { value: 'w@x.com', type: 'work' },
        { value: 'p@x.com', primary: true },
      ]),
    ).toBe('p@x.com');
  });
  it('skips a blank primary and falls back to userName when it is an address', () => {
    expect(
      chooseEmail('u@x.com', [
        { value: ' ', primary: true },
        { value: 'w@x.com', type: 'work' },
      ]),
    ).toBe('u@x.com');
  });
  it('then the work e-mail, then the first', () => {
    expect(
      chooseEmail('jdoe', [
        { value: 'h@x.com', type: 'home' },
        { value: 'w@x.com', type: 'Work' },
      ]),
    ).toBe('w@x.com');
    expect(chooseEmail('jdoe', [{ value: 'h@x.com', type: 'home' }])).toBe('h@x.com');
    expect(chooseEmail('jdoe', [])).toBeNull();
  });
});

describe('revoke / restore', () => {
  const statuses = ['staged', 'invited', 'accepted', 'confirmed'] as const;
  it.each(statuses)('round-trips from %s', (status) => {
    const r = revoked(status, null);
    expect(r).toEqual({ status: 'revoked', previousStatus: status });
    expect(restored(r.status, r.previousStatus)).toEqual({ status, previousStatus: null });
  });
  it('revoking twice keeps the first remembered status', () => {
    expect(revoked('revoked', 'confirmed')).toEqual({ status: 'revoked', previousStatus: 'confirmed' });
  });
  it('restoring an active member changes nothing', () => {
    expect(restored('accepted', null)).toEqual({ status: 'accepted', previousStatus: null });
  });
  it('only invited, accepted and confirmed use seats', () => {
    expect(
      ['staged', 'invited', 'accepted', 'confirmed', 'revoked'].map((s) => consumesSeat(s as never)),
    ).toEqual([false, true, true, true, false]);
  });
});

describe('limits', () => {
  it('rejects empty and over-long values', () => {
    expect(() => checkUserName('  ')).toThrow(/must not be empty/);
    expect(() => checkUserName('x'.repeat(301))).toThrow(/300/);
    expect(() => checkExternalId('x'.repeat(301))).toThrow(/300/);
    expect(checkExternalId('')).toBeNull();
  });
});

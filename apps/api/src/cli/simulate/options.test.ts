import { describe, expect, it } from 'vitest';
import { describeIssue, simulationOptions } from './options.js';

const base = { url: 'http://127.0.0.1:3000/scim/v2/o', token: 't', users: 10, groups: 2, membersPerGroup: 3 };

describe('simulation options', () => {
  it('fills the defaults', () => {
    expect(simulationOptions.parse(base)).toMatchObject({
      dialect: 'legacy',
      concurrency: 8,
      cycles: 0,
      changes: 50,
      seed: '1',
      timeoutMs: 30 * 60_000,
    });
  });

  it.each([
    [{ membersPerGroup: 11 }, '--members-per-group must not exceed --users'],
    [{ url: 'file:///etc/passwd' }, '--url must be an http(s) URL'],
    [{ concurrency: 0 }, '--concurrency'],
    [{ dialect: 'scim1' }, '--dialect'],
    [{ users: 1.5 }, '--users'],
  ])('rejects %j with one line naming the flag', (patch, message) => {
    const parsed = simulationOptions.safeParse({ ...base, ...patch });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssue(parsed.error)).toContain(message);
  });
});

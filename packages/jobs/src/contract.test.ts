import { describe, expect, it } from 'vitest';
import {
  AdminWriteData,
  ScimWriteData,
  WriteOutcome,
  isJobName,
  jobKeys,
  jobs,
  parseJobData,
} from './contract.js';
import type { Handlers, JobContext, JobResult } from './contract.js';

const org = '0195f2a0-7c1e-7abc-8def-0123456789ab';
const member = '7d444840-9dc0-11d1-b245-5ffdce74fad2';

describe('scim.write payload', () => {
  const base = { v: 1, organizationId: org, requestId: 'req-1', resource: 'User' } as const;

  it('accepts the four methods in their shapes', () => {
    expect(
      ScimWriteData.parse({ ...base, method: 'POST', body: { userName: 'a@x.test', active: true } }),
    ).toBeTruthy();
    expect(
      ScimWriteData.parse({
        ...base,
        method: 'PUT',
        resourceId: member,
        body: { userName: 'a' },
        ifMatch: 'W/"3"',
      }),
    ).toBeTruthy();
    expect(
      ScimWriteData.parse({
        ...base,
        method: 'PATCH',
        resourceId: member,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        },
      }),
    ).toBeTruthy();
    expect(ScimWriteData.parse({ ...base, method: 'DELETE', resourceId: member })).toBeTruthy();
  });

  it('rejects half-built writes, unknown versions and bad ids', () => {
    expect(ScimWriteData.safeParse({ ...base, method: 'PATCH', body: {} }).success).toBe(false); // no resourceId
    expect(ScimWriteData.safeParse({ ...base, method: 'POST', resourceId: member, body: {} }).success).toBe(
      false,
    );
    expect(ScimWriteData.safeParse({ ...base, method: 'PUT', resourceId: member }).success).toBe(false); // no body
    expect(ScimWriteData.safeParse({ ...base, v: 2, method: 'DELETE', resourceId: member }).success).toBe(
      false,
    );
    expect(ScimWriteData.safeParse({ ...base, method: 'DELETE', resourceId: 'nope' }).success).toBe(false);
    expect(ScimWriteData.safeParse({ ...base, method: 'POST', body: { when: new Date() } }).success).toBe(
      false,
    ); // not JSON
  });
});

describe('admin.write payload', () => {
  const base = { v: 1, organizationId: org, requestId: 'r', actor: { tokenId: 'tok_1' } } as const;

  it('accepts each command kind', () => {
    const commands = [
      { kind: 'member.revoke', memberId: member },
      { kind: 'member.restore', memberId: member },
      { kind: 'member.remove', memberId: member },
      { kind: 'member.confirm', memberId: member },
      { kind: 'member.setExternalId', memberId: member, externalId: null },
      { kind: 'member.setExternalId', memberId: member, externalId: 'ext-1' },
      { kind: 'invitation.resend', memberId: member },
      { kind: 'invitation.accept', tokenHash: 'sha256:abc' },
      { kind: 'group.addMembers', groupId: member, memberIds: [member] },
      { kind: 'group.removeMembers', groupId: member, memberIds: [member, org] },
      { kind: 'syncFailure.retry', failureId: member },
    ];
    for (const command of commands)
      expect(AdminWriteData.safeParse({ ...base, command }).success, command.kind).toBe(true);
  });

  it('rejects unknown kinds, missing fields and oversized member lists', () => {
    const bad = [
      { kind: 'member.delete', memberId: member },
      { kind: 'member.revoke' },
      { kind: 'invitation.accept', token: 'secret' },
      { kind: 'group.addMembers', groupId: member, memberIds: [] },
      { kind: 'group.addMembers', groupId: member, memberIds: Array.from({ length: 10_001 }, () => member) },
    ];
    for (const command of bad) expect(AdminWriteData.safeParse({ ...base, command }).success).toBe(false);
  });
});

describe('WriteOutcome', () => {
  it('parses successes and both error sources', () => {
    expect(
      WriteOutcome.parse({ ok: true, status: 201, resourceType: 'User', id: member, version: 1 }),
    ).toBeTruthy();
    expect(
      WriteOutcome.parse({ ok: true, status: 204, resourceType: null, id: null, version: null }),
    ).toBeTruthy();
    expect(
      WriteOutcome.parse({
        ok: false,
        error: { source: 'domain', code: 'seat_limit', message: 'no seats', details: { seats: 5 } },
      }),
    ).toBeTruthy();
    expect(
      WriteOutcome.parse({
        ok: false,
        error: { source: 'protocol', status: 409, scimType: 'uniqueness', detail: 'taken' },
      }),
    ).toBeTruthy();
  });

  it('rejects unknown codes and statuses', () => {
    expect(
      WriteOutcome.safeParse({ ok: true, status: 202, resourceType: 'User', id: 'x', version: 1 }).success,
    ).toBe(false);
    expect(
      WriteOutcome.safeParse({ ok: false, error: { source: 'domain', code: 'boom', message: '' } }).success,
    ).toBe(false);
  });
});

describe('job table', () => {
  it('routes jobs to their queues and derives default keys', () => {
    expect(jobs['scim.write'].queue).toBe('provisioning');
    expect(jobs['admin.write'].queue).toBe('provisioning');
    expect(jobs['mail.send'].queue).toBe('mail');
    expect(jobs['failure.digest'].queue).toBe('mail');
    expect(jobKeys('mail.send', { v: 1, outboxId: member })).toEqual({
      jobId: `mail-${member}`,
      dedupId: undefined,
    });
    // Digests get a per-window job id from the caller (digest-<org>-<dueMs>), no default key.
    expect(jobKeys('failure.digest', { v: 1, organizationId: org })).toEqual({
      jobId: undefined,
      dedupId: undefined,
    });
    expect(isJobName('mail.send')).toBe(true);
    expect(isJobName('toString')).toBe(false);
  });

  it('parseJobData throws on invalid data', () => {
    expect(() => parseJobData('mail.send', { v: 1, outboxId: 'x' })).toThrow();
    expect(parseJobData('mail.send', { v: 1, outboxId: member, extra: 1 })).toEqual({
      v: 1,
      outboxId: member,
    });
  });
});

describe('Handlers type', () => {
  const ok: JobResult<'scim.write'> = { ok: true, status: 204, resourceType: null, id: null, version: null };
  const partial = {
    'scim.write': async (data: { method: string }, _ctx: JobContext) => (data.method ? ok : ok),
    'admin.write': async () => ok,
    'mail.send': async () => ({ sent: true }),
  };

  it('a complete map satisfies Handlers; a missing handler does not compile', () => {
    const complete = { ...partial, 'failure.digest': async () => ({ emails: 0 }) } satisfies Handlers;
    // @ts-expect-error 'failure.digest' is missing
    const incomplete: Handlers = partial;
    // @ts-expect-error a handler must return its job's result type
    const wrongResult: Handlers = { ...partial, 'failure.digest': async () => ({ sent: true }) };
    expect(Object.keys(complete)).toHaveLength(4);
    expect(incomplete).toBe(partial);
    expect(wrongResult).toBeTruthy();
  });
});

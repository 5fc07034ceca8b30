import type { Handlers } from '@repo/jobs';
import { describe, expect, it } from 'vitest';
import { createWorkerMetrics, timedHandlers } from './metrics.js';

const ok = { ok: true, status: 201, resourceType: 'User', id: 'x', version: 1 } as const;
const rejected = { ok: false, error: { source: 'domain', code: 'conflict', message: 'exists' } } as const;

describe('timedHandlers', () => {
  it('labels each run with its job and outcome', async () => {
    const { registry, duration } = createWorkerMetrics();
    let calls = 0;
    const handlers: Handlers = {
      'scim.write': async () => (calls++ === 0 ? ok : rejected),
      'admin.write': async () => {
        throw new Error('boom');
      },
      'mail.send': async () => ({ sent: true }),
      'failure.digest': async () => ({ emails: 0 }),
    };
    const timed = timedHandlers(handlers, duration);
    const ctx = {} as Parameters<Handlers['scim.write']>[1];
    const data = {} as Parameters<Handlers['scim.write']>[0];
    expect(await timed['scim.write'](data, ctx)).toBe(ok);
    expect(await timed['scim.write'](data, ctx)).toBe(rejected);
    await expect(timed['admin.write']({} as never, ctx)).rejects.toThrow('boom');
    await timed['mail.send']({} as never, ctx);
    const text = await registry.getSingleMetricAsString('job_duration_seconds');
    expect(text).toContain('job_duration_seconds_count{job="scim.write",outcome="applied"} 1');
    expect(text).toContain('job_duration_seconds_count{job="scim.write",outcome="rejected"} 1');
    expect(text).toContain('job_duration_seconds_count{job="admin.write",outcome="error"} 1');
    expect(text).toContain('job_duration_seconds_count{job="mail.send",outcome="applied"} 1');
  });
});

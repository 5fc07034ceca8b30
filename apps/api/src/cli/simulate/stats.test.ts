import { describe, expect, it } from 'vitest';
import { summarize } from './report.js';
import { percentile, Recorder } from './stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it('picks the value at rank ceil(p·n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });
  it('small samples', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([10, 20, 30], 1)).toBe(10);
  });
  it('is 0 for no samples', () => {
    expect(percentile([], 95)).toBe(0);
  });
});

describe('summarize', () => {
  it('counts by kind and status, separates phases, and rates writes and requests over provisioning time', () => {
    const rec = new Recorder();
    rec.phase = 'initial';
    for (let i = 1; i <= 10; i++) rec.record('user.lookup', 'GET', 200, i);
    for (let i = 1; i <= 10; i++) rec.record('user.create', 'POST', i === 10 ? 409 : 201, 10 * i);
    rec.addTime('initial', 2000);
    rec.phase = 'verify';
    rec.record('verify.users', 'GET', 200, 5);
    rec.addTime('verify', 500);
    rec.error({ kind: 'user.create', method: 'POST', path: '/Users', status: 409, detail: 'dup' });

    const s = summarize(rec);
    expect(s.provisioning).toEqual({
      seconds: 2,
      requests: 20,
      writes: 10,
      requestsPerSecond: 10,
      writesPerSecond: 5,
    });
    expect(s.phases.verify).toEqual({ seconds: 0.5, requests: 1, writes: 0 });
    const create = s.kinds.find((k) => k.kind === 'user.create');
    expect(create).toMatchObject({
      method: 'POST',
      count: 10,
      statuses: { '201': 9, '409': 1 },
      p50: 50,
      p95: 100,
      p99: 100,
      max: 100,
    });
    expect(s.kinds.find((k) => k.kind === 'user.lookup')).toMatchObject({ p50: 5, p95: 10 });
    expect(s.errorCount).toBe(1);
  });
});

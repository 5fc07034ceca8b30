import { describe, expect, it } from 'vitest';
import { parseDateTime } from './filter-values.js';

describe('parseDateTime', () => {
  it.each([
    ['2024-05-01T10:20:30Z', '2024-05-01T10:20:30.000Z'],
    ['2024-05-01T10:20:30.1234567Z', '2024-05-01T10:20:30.123Z'],
    ['2024-05-01T10:20:30.5-07:00', '2024-05-01T17:20:30.500Z'],
    ['2024-05-01T10:20', '2024-05-01T10:20:00.000Z'],
    ['0001-01-03T00:00:00.0000000Z', '0001-01-03T00:00:00.000Z'],
  ])('reads %s', (input, iso) => {
    expect(parseDateTime(input)?.toISOString()).toBe(iso);
  });

  it.each([
    '2024-05-01',
    '2024-02-30T00:00:00Z',
    '2024-05-01T25:00:00Z',
    'yesterday',
    '0000-01-01T00:00:00Z',
  ])('rejects %s', (input) => {
    expect(parseDateTime(input)).toBeUndefined();
  });
});

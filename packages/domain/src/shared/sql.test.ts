import { describe, expect, it } from 'vitest';
import { numberedPlaceholders } from './sql.js';

describe('numberedPlaceholders', () => {
  it('numbers ? placeholders in order and leaves quoted literals alone', () => {
    expect(numberedPlaceholders('select 1 where a = ? and b in (?, ?)')).toBe(
      'select 1 where a = $1 and b in ($2, $3)',
    );
    expect(numberedPlaceholders(`select '?' as q, 'it''s ?' where x like ? escape '\\'`)).toBe(
      `select '?' as q, 'it''s ?' where x like $1 escape '\\'`,
    );
    expect(numberedPlaceholders('select now()')).toBe('select now()');
  });
});

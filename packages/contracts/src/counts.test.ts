import { describe, expect, it } from 'vitest';
import { formatCount } from './counts.js';

// ICU's own en-US formatting is the reference the hand-written grouping must equal.
const reference = (n: number): string => Math.round(n).toLocaleString('en-US');

describe('formatCount', () => {
  it('groups digits in threes exactly as en-US does, at every length and sign', () => {
    const values: number[] = [0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER, 1e20, 1e21, 1e22];
    for (let digits = 1; digits <= 18; digits++) values.push(Number('7'.repeat(digits)), -Number('1' + '0'.repeat(digits - 1)));
    for (const n of values) expect(formatCount(n), String(n)).toBe(reference(n));
  });

  it('rounds fractions as Math.round does before grouping', () => {
    for (const n of [0.4, 0.5, 1.5, 2.5, -1.5, 1234.5, 999_999.5, -999_999.5, 12_345_678.49]) expect(formatCount(n), String(n)).toBe(reference(n));
  });

  it('prints negative zero as 0, where en-US prints -0 (no count is below nothing)', () => {
    for (const n of [-0, -0.4, -0.5]) expect(formatCount(n)).toBe('0');
  });

  it('prints the values that are not finite as en-US does', () => {
    for (const n of [NaN, Infinity, -Infinity]) expect(formatCount(n)).toBe(reference(n));
  });
});

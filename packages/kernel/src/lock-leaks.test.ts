import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import { parseSystemConfig } from './config.js';
import { LockLeaker, parseLeakLocks } from './lock-leaks.js';

const fieldOf = (input: unknown): string => {
  try {
    parseSystemConfig({ leakLocks: input });
  } catch (error) {
    if (error instanceof ConfigurationError) return `${error.field}: ${error.message}`;
    throw error;
  }
  return 'accepted';
};

describe('system.leakLocks', () => {
  it('is off unless asked for; KIND:RATE and { kind, rate, seed } say the same, the seed defaulting to the system\'s', () => {
    expect(parseSystemConfig({}).leakLocks).toBeNull();
    expect(parseSystemConfig({ leakLocks: 'off' }).leakLocks).toBeNull();
    expect(parseSystemConfig({ leakLocks: 'io-pin:0.25', seed: 9 }).leakLocks).toEqual({ kind: 'io-pin', rate: 0.25, seed: 9 });
    expect(parseSystemConfig({ leakLocks: { kind: 'fresh-page', rate: 1, seed: 4 } }).leakLocks).toEqual({ kind: 'fresh-page', rate: 1, seed: 4 });
    // A parsed configuration parses to itself.
    const parsed = parseSystemConfig({ leakLocks: 'fresh-page:.5' });
    expect(parseSystemConfig(parsed)).toEqual(parsed);
  });

  it('refuses a bad value with a one-line error naming the field', () => {
    expect(fieldOf('io-pin:1.5')).toBe('leakLocks.rate: leakLocks.rate: expected a number from 0 to 1, got 1.5');
    expect(fieldOf('io-pin:lots')).toBe('leakLocks.rate: leakLocks.rate: expected a number from 0 to 1, got "lots"');
    expect(fieldOf('tlb:0.1')).toBe('leakLocks.kind: leakLocks.kind: expected one of io-pin, fresh-page, got "tlb"');
    expect(fieldOf('sometimes')).toMatch(/^leakLocks: leakLocks: expected "off", KIND:RATE .* got "sometimes"$/);
    expect(fieldOf({ kind: 'io-pin', rate: 0.1, every: 3 })).toBe('leakLocks.every: leakLocks.every: unknown setting; known settings are kind, rate, seed');
    expect(fieldOf({ kind: 'io-pin', rate: 0.1, seed: -1 })).toBe('leakLocks.seed: leakLocks.seed: expected an integer from 0 to 4294967295, got -1');
    expect(fieldOf(7)).toMatch(/^leakLocks: /);
    for (const error of ['io-pin:2', 'x:1', { kind: 'io-pin' }]) expect(fieldOf(error)).not.toContain('\n');
  });
});

describe('the leaker', () => {
  const run = (rate: number, seed: number, n: number) => {
    const leaker = new LockLeaker(parseLeakLocks({ kind: 'io-pin', rate, seed }, 1, String)!);
    const fates = Array.from({ length: n }, (_, i) => leaker.leaks(i + 1));
    return { leaker, fates };
  };

  it('leaks every release at rate 1 and none at rate 0', () => {
    expect(run(1, 3, 50).fates.every(Boolean)).toBe(true);
    expect(run(0, 3, 50).fates.some(Boolean)).toBe(false);
  });

  it('decides each release from the seed alone, at close to the rate asked', () => {
    const a = run(0.1, 42, 20_000);
    expect(run(0.1, 42, 20_000).fates).toEqual(a.fates);
    expect(run(0.1, 43, 20_000).fates).not.toEqual(a.fates);
    // 20,000 draws at 10%: 2,000 expected, the standard deviation about 42.
    expect(Math.abs(a.leaker.injected - 2_000)).toBeLessThan(200);
    expect(a.leaker.releases).toBe(20_000);
    expect(a.leaker.leakedPins).toEqual(a.fates.flatMap((leaked, i) => (leaked ? [i + 1] : [])));
  });
});

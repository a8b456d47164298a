import { describe, expect, it } from 'vitest';
import { fixturePrograms, fixtureSources } from '../runner/__fixtures__/fixture-programs.js';
import { measureAmbiguity } from './ambiguity.js';

const programs = fixturePrograms();
const SEEDS = [1, 2];
const RATE = 0.01;

describe('how often software backup is ambiguous, per CPU model, on the compiled fixtures', () => {
  it('runs every fixture', () => {
    expect(programs.map((p) => p.name).sort()).toEqual(fixtureSources());
  });

  const counts = (['m68010-hidden', 'm68000', 'pc-only'] as const).map((model) => measureAmbiguity({ model, programs, seeds: SEEDS, rate: RATE }));
  const [hidden, plain, bare] = counts;

  it('never restarts wrongly, never leaves the truth out, and every run prints its expected output', () => {
    for (const c of counts) {
      expect(c.faults, c.model).toBeGreaterThan(500);
      expect(c.wrong, c.model).toBe(0);
      expect(c.ambiguousWithoutTruth, c.model).toBe(0);
      expect(c.failedRuns, c.model).toBe(0);
      expect(c.restarted + c.ambiguous + c.unrecoverable, c.model).toBe(c.faults);
    }
    console.log(counts);
  });

  it('only the prefetching models fault after an instruction completed', () => {
    expect(hidden!.completed).toBe(0);
    expect(plain!.completed).toBeGreaterThan(0);
    expect(bare!.completed).toBe(plain!.completed);
  });

  it('the PC-only frame is ambiguous more often than the 68000 frame with its IR', () => {
    // The same runs fault the same references (pc-only is the m68000 core), so the counts compare.
    expect(bare!.faults).toBe(plain!.faults);
    expect(bare!.ambiguous).toBeGreaterThan(plain!.ambiguous);
  });
});

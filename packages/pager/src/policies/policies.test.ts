import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import type { ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { ArrayUsageBits } from '@pagelab/conformance';
import { simulateReferenceString } from '../trace/simulate.js';
import { createReplacementPolicy, policyFactory } from './registry.js';


const all: VictimCandidates = { isCandidate: () => true };

function built(name: string, frames: number, extra: Partial<ReplacementPolicyContext> = {}) {
  const bits = new ArrayUsageBits(frames);
  const policy = createReplacementPolicy(name, { frameCount: frames, bits, referencesVisible: false, ...extra });
  for (let f = 0; f < frames; f++) policy.onPageIn(f, 0);
  return { bits, policy };
}

describe('clock flavours', () => {
  // 1,2,3 fill; 1 hits; 4 must evict. Textbook: every bit is set, the hand clears all three and
  // takes frame 0 (page 1), so the final 1 misses. Clear-on-load: only page 1's bit is set, so
  // page 2 goes and the final 1 hits.
  const pages = [1, 2, 3, 1, 4, 1];
  it('textbook clock sets the referenced bit on load', () => {
    expect(simulateReferenceString(pages, { policy: 'clock', frames: 3 }).misses).toBe(5);
  });
  it('clock-clear loads pages with the referenced bit clear', () => {
    expect(simulateReferenceString(pages, { policy: 'clock-clear', frames: 3 }).misses).toBe(4);
  });
  it('passes over pinned frames without clearing their bits', () => {
    const { bits, policy } = built('clock', 3);
    bits.referenced.fill(1);
    const victim = policy.chooseVictim({ isCandidate: (f) => f !== 0 }, 1);
    expect(victim).toBe(1);
    expect(bits.referenced[0]).toBe(1);
  });
});

describe('enhanced clock', () => {
  it('prefers (0,0) over (0,1) over (1,0)', () => {
    const { bits, policy } = built('enhanced-clock', 4);
    bits.referenced.set([1, 0, 1, 0]);
    bits.modified.set([0, 1, 1, 0]);
    expect(policy.chooseVictim(all, 1)).toBe(3);
    const second = built('enhanced-clock', 3);
    second.bits.referenced.set([1, 0, 1]);
    second.bits.modified.set([0, 1, 1]);
    expect(second.policy.chooseVictim(all, 1)).toBe(1);
  });
  it('clears referenced bits while looking for an unreferenced dirty page', () => {
    const { bits, policy } = built('enhanced-clock', 2);
    bits.referenced.set([1, 1]);
    bits.modified.set([1, 0]);
    // No (0,0), no (0,1): bits get cleared, then frame 1 is (0,0).
    expect(policy.chooseVictim(all, 1)).toBe(1);
    expect(bits.referenced[0]).toBe(0);
  });
});

describe('LRU from referenced bits', () => {
  it('orders frames by the tick at which they were last seen referenced', () => {
    const { bits, policy } = built('lru', 3);
    bits.referenced.set([0, 1, 0]);
    policy.onClockTick(10); // frame 1 most recent
    bits.referenced.set([1, 0, 0]);
    policy.onClockTick(20); // frame 0 most recent now; order: 2, 1, 0
    expect(policy.chooseVictim(all, 21)).toBe(2);
    policy.onEvict(2);
    expect(policy.chooseVictim(all, 22)).toBe(1);
  });
  it('is exact when references are visible', () => {
    // A trace where the sampled approximation would go wrong does not matter: exact LRU matches a naive model.
    expect(simulateReferenceString([1, 2, 3, 1, 4, 2, 5, 1], { policy: 'lru', frames: 3 }).misses).toBe(7);
  });
});

describe('NFU and aging', () => {
  it('NFU evicts the least often referenced, counting ticks', () => {
    const { bits, policy } = built('nfu', 3);
    for (let tick = 0; tick < 3; tick++) {
      bits.referenced.set([1, tick === 0 ? 1 : 0, 1]);
      policy.onClockTick(tick);
    }
    // counts: 3, 1, 3
    expect(policy.chooseVictim(all, 4)).toBe(1);
  });
  it('aging forgets: a page used long ago loses to one used recently', () => {
    const { bits, policy } = built('aging', 2);
    bits.referenced.set([1, 0]);
    for (let tick = 0; tick < 3; tick++) {
      policy.onClockTick(tick);
      bits.referenced.set([0, 0]);
    }
    bits.referenced.set([0, 1]);
    policy.onClockTick(4);
    // frame 0: 0b00100000 (three ticks ago), frame 1: 0b10000000 (last tick). NFU would tie.
    expect(policy.chooseVictim(all, 5)).toBe(0);
  });
  it('aging ranks a bit set since the last tick above all history', () => {
    const { bits, policy } = built('aging', 2);
    bits.referenced.set([1, 0]);
    policy.onClockTick(1);
    bits.referenced.set([0, 1]);
    expect(policy.chooseVictim(all, 2)).toBe(0);
  });
});

describe('working set and WSClock', () => {
  it('working set evicts a page older than tau before an older page still in the set', () => {
    const bits = new ArrayUsageBits(3);
    const policy = createReplacementPolicy('working-set', { frameCount: 3, bits, referencesVisible: false, workingSetWindow: 50 });
    policy.onPageIn(0, 0);
    policy.onPageIn(1, 40);
    policy.onPageIn(2, 80);
    // At 100: frame 0 is 100 old (> 50), frame 1 is 60 old: both out; the first found in frame order goes.
    expect(policy.chooseVictim(all, 100)).toBe(0);
    // At 85 nothing is older than 50 except frame 0 (85); frame 1 is 45.
    bits.referenced.set([1, 0, 0]);
    expect(policy.chooseVictim(all, 85)).toBe(1);
  });
  it('WSClock takes an old clean page before an old dirty one, and an old dirty one before a young one', () => {
    const bits = new ArrayUsageBits(3);
    const policy = createReplacementPolicy('wsclock', { frameCount: 3, bits, referencesVisible: false, workingSetWindow: 10 });
    policy.onPageIn(0, 0);
    policy.onPageIn(1, 0);
    policy.onPageIn(2, 95);
    bits.modified.set([1, 0, 0]);
    expect(policy.chooseVictim(all, 100)).toBe(1);
    policy.onEvict(1);
    policy.onPageIn(1, 100);
    expect(policy.chooseVictim(all, 100)).toBe(0);
  });
});

describe('random', () => {
  it('is reproducible from its seed and varies with it', () => {
    const pages = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 37);
    const a = simulateReferenceString(pages, { policy: 'random', frames: 8, seed: 1 });
    const b = simulateReferenceString(pages, { policy: 'random', frames: 8, seed: 1 });
    expect(a.misses).toBe(b.misses);
    const draws = (seed: number) => {
      const { policy } = built('random', 64, { seed });
      return Array.from({ length: 20 }, (_, i) => policy.chooseVictim(all, i));
    };
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
  });
  it('picks uniformly among candidates', () => {
    const { policy } = built('random', 8, { seed: 42 });
    const counts = new Array<number>(8).fill(0);
    const even = { isCandidate: (f: number) => f % 2 === 0 };
    for (let i = 0; i < 8000; i++) counts[policy.chooseVictim(even, i)]! += 1;
    for (let f = 0; f < 8; f++) {
      if (f % 2 === 1) expect(counts[f]).toBe(0);
      else expect(Math.abs(counts[f]! - 2000)).toBeLessThan(200);
    }
  });
});

describe('OPT', () => {
  it('refuses to run without the future', () => {
    expect(() => built('opt', 3, { referencesVisible: true })).toThrow(ConfigurationError);
    expect(() => built('opt', 3, { nextUse: new Int32Array(4) })).toThrow(ConfigurationError);
  });
});

describe('registry', () => {
  it('rejects unknown names and bad frame counts', () => {
    expect(() => createReplacementPolicy('lfu', { frameCount: 3, bits: new ArrayUsageBits(3), referencesVisible: true })).toThrow(
      /unknown policy "lfu"/,
    );
    expect(() => createReplacementPolicy('fifo', { frameCount: 0, bits: new ArrayUsageBits(0), referencesVisible: true })).toThrow(
      ConfigurationError,
    );
    expect(() => policyFactory('nope')).toThrow(ConfigurationError);
  });
});

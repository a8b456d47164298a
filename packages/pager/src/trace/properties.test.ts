import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replacementPolicyNames } from '../policies/registry.js';
import { computeNextUse } from './next-use.js';
import { TraceSimulator } from './simulator.js';
import { simulateReferenceString } from './simulate.js';

/** Naive models straight from the definitions, to check the typed-array versions against. */
function naiveMisses(policy: 'fifo' | 'lru' | 'opt', pages: readonly number[], frames: number): number {
  const resident: number[] = [];
  let misses = 0;
  pages.forEach((page, t) => {
    const at = resident.indexOf(page);
    if (at >= 0) {
      if (policy === 'lru') resident.push(...resident.splice(at, 1));
      return;
    }
    misses++;
    if (resident.length === frames) {
      let victim = 0;
      if (policy === 'opt') {
        let farthest = -1;
        resident.forEach((candidate, i) => {
          const next = pages.indexOf(candidate, t + 1);
          const distance = next < 0 ? Infinity : next;
          if (distance > farthest) {
            farthest = distance;
            victim = i;
          }
        });
      }
      resident.splice(victim, 1);
    }
    resident.push(page);
  });
  return misses;
}

const referenceString = fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 1, maxLength: 300 });

/** Dense ids are what the simulator runs on; a reference string of small integers already is one. */
function runWithPins(policy: string, pages: readonly number[], frames: number, pinnedFrames: readonly number[]) {
  const ids = Int32Array.from(pages);
  const distinct = 1000 + pinnedFrames.length;
  const nextUse = policy === 'opt' ? computeNextUse(ids, ids.length, distinct) : undefined;
  const simulator = new TraceSimulator({ frames, policy, ...(nextUse ? { nextUse } : {}) });
  // Pinned pages are pages the trace never touches (ids from 1000 up): wired kernel pages.
  pinnedFrames.forEach((frame, i) => simulator.preload(1000 + i, true, frame));
  simulator.run(ids, null, 0, ids.length, distinct);
  return simulator;
}

describe('typed-array policies match the definitions', () => {
  for (const policy of ['fifo', 'lru', 'opt'] as const) {
    it(`${policy} gives the naive model's miss count`, () => {
      fc.assert(
        fc.property(referenceString, fc.integer({ min: 1, max: 8 }), (pages, frames) => {
          expect(simulateReferenceString(pages, { policy, frames }).misses).toBe(naiveMisses(policy, pages, frames));
        }),
      );
    });
  }
});

describe('pinned frames', () => {
  const pinSetup = fc
    .integer({ min: 2, max: 10 })
    .chain((frames) =>
      fc.record({
        frames: fc.constant(frames),
        pinned: fc.uniqueArray(fc.integer({ min: 0, max: frames - 1 }), { minLength: 1, maxLength: frames - 1 }),
        pages: referenceString,
      }),
    );

  it('are never evicted, by any policy', () => {
    fc.assert(
      fc.property(pinSetup, fc.constantFrom(...replacementPolicyNames), ({ frames, pinned, pages }, policy) => {
        const simulator = runWithPins(policy, pages, frames, pinned);
        pinned.forEach((frame, i) => expect(simulator.pageIn(frame)).toBe(1000 + i));
      }),
    );
  });

  for (const policy of ['fifo', 'lru', 'opt', 'clock'] as const) {
    it(`k pinned frames give ${policy} exactly the misses of k fewer frames`, () => {
      fc.assert(
        fc.property(pinSetup, ({ frames, pinned, pages }) => {
          const withPins = runWithPins(policy, pages, frames, pinned).statistics;
          const fewer = simulateReferenceString(pages, { policy, frames: frames - pinned.length });
          expect(withPins.misses).toBe(fewer.misses);
          expect(withPins.evictions).toBe(fewer.evictions);
        }),
      );
    });
  }

  it('leave nothing evictable when they are all there is: NothingEvictableError, not a hang', () => {
    for (const policy of replacementPolicyNames) {
      const frames = 4;
      const simulator = new TraceSimulator({ frames, policy, nextUse: new Int32Array([0x7fffffff]) });
      for (let f = 0; f < frames; f++) simulator.preload(100 + f, true);
      expect(() => simulator.run(Int32Array.of(1), null, 0, 1, 200)).toThrow(
        expect.objectContaining({ code: 'NOTHING_EVICTABLE' }),
      );
    }
  });
});

describe('frame bookkeeping', () => {
  it('never holds a page in two frames, and maps every resident page back to its frame', () => {
    fc.assert(
      fc.property(
        referenceString,
        fc.array(fc.boolean(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(...replacementPolicyNames),
        (pages, writes, frames, policy) => {
          const ids = Int32Array.from(pages);
          const flags = Uint8Array.from(pages, (_, i) => (writes[i] === true ? 1 : 0));
          const nextUse = computeNextUse(ids, ids.length, 15);
          const simulator = new TraceSimulator({ frames, policy, nextUse, tickInterval: 7, workingSetWindow: 20 });
          // Run in pieces: state must carry over between runs.
          const half = ids.length >> 1;
          simulator.run(ids, flags, 0, half, 15);
          simulator.run(ids, flags, half, ids.length, 15);
          const seen = new Set<number>();
          for (let f = 0; f < frames; f++) {
            const page = simulator.pageIn(f);
            if (page < 0) continue;
            expect(seen.has(page)).toBe(false);
            seen.add(page);
            expect(simulator.frameOf(page)).toBe(f);
          }
          const stats = simulator.statistics;
          expect(stats.references).toBe(pages.length);
          expect(stats.compulsoryMisses).toBe(new Set(pages).size);
          expect(stats.evictions).toBe(stats.misses - Math.min(frames, stats.misses));
          expect(stats.writebacks).toBeLessThanOrEqual(stats.evictions);
        },
      ),
    );
  });
});

describe('what the theory promises', () => {
  it('no policy beats OPT', () => {
    fc.assert(
      fc.property(referenceString, fc.integer({ min: 1, max: 8 }), fc.constantFrom(...replacementPolicyNames), (pages, frames, policy) => {
        const opt = simulateReferenceString(pages, { policy: 'opt', frames }).misses;
        expect(simulateReferenceString(pages, { policy, frames }).misses).toBeGreaterThanOrEqual(opt);
      }),
    );
  });

  it('LRU and OPT are stack algorithms: more frames never cost more misses', () => {
    fc.assert(
      fc.property(referenceString, fc.integer({ min: 1, max: 8 }), fc.constantFrom('lru', 'opt'), (pages, frames, policy) => {
        const fewer = simulateReferenceString(pages, { policy, frames }).misses;
        expect(simulateReferenceString(pages, { policy, frames: frames + 1 }).misses).toBeLessThanOrEqual(fewer);
      }),
    );
  });
});

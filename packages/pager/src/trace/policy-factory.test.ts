import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplacementPolicy, ReplacementPolicyContext } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import { LruPolicy } from '../policies/lru.js';
import { simulateReferenceString, simulateTraceFile } from './simulate.js';

// OSTEP's paging-policy.py on the textbook string with 3 frames: FIFO 15, LRU 12, OPT 9.
const textbook = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];

/** LRU under a lab's own name: what a part built on pagelab's LRU would report. */
const renamedLru = (context: ReplacementPolicyContext): ReplacementPolicy => Object.assign(new LruPolicy(context), { name: 'student-lru' });

describe('a trace run with a policy factory (a lab part)', () => {
  it('counts what the built-in counts and reports the name the policy gives itself', () => {
    const lab = simulateReferenceString(textbook, { policy: 'ignored', frames: 3, factory: renamedLru });
    expect(lab).toMatchObject({ policy: 'student-lru', misses: 12, compulsoryMisses: 6 });
    const builtIn = simulateReferenceString(textbook, { policy: 'lru', frames: 3 });
    expect({ ...lab, policy: 'lru' }).toEqual(builtIn);
  });

  it('streams a trace file through it, with the seed and the clock ticks in its context', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pager-factory-')), 'textbook.trace');
    writeFileSync(path, textbook.join('\n') + '\n');
    const contexts: ReplacementPolicyContext[] = [];
    const ticks: number[] = [];
    const result = simulateTraceFile(path, {
      policy: 'opt',
      frames: 3,
      seed: 7,
      tickInterval: 5,
      factory: (context) => {
        contexts.push(context);
        const policy = renamedLru(context);
        const tick = policy.onClockTick.bind(policy);
        return Object.assign(policy, { onClockTick: (now: number) => (ticks.push(now), tick(now)) });
      },
    });
    // The factory wins over the name: no OPT (so no future in its context), LRU's count.
    expect(result).toMatchObject({ policy: 'student-lru', misses: 12 });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ frameCount: 3, seed: 7, referencesVisible: true });
    expect(contexts[0]!.nextUse).toBeUndefined();
    expect(ticks).toEqual([5, 10, 15, 20]);
  });
});

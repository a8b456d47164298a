import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@pagelab/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StackPolicyName } from './fault-curve.js';
import { simulateTraceFileAtFrames } from './frame-sweep.js';
import { simulateReferenceString, simulateTraceFile } from './simulate.js';
import { faultCurveOfReferenceString, faultCurveOfTraceFile, faultCurveWithinBudget } from './stack-curve.js';

const directory = mkdtempSync(join(tmpdir(), 'stack-curve-'));
function traceFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const textbook = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1];
const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

interface Counts {
  misses: number;
  evictions: number;
  writebacks: number;
}

/**
 * LRU and OPT with dirty bits straight from their definitions, one frame count at a time: the
 * resident pages in an array, the victim found by scanning. OPT's victim is the page used
 * again farthest ahead; pages never used again go first, least recently used first.
 */
function naive(policy: StackPolicyName, pages: readonly number[], writes: readonly boolean[], frames: number): Counts {
  const resident: number[] = [];
  const lastUse = new Map<number, number>();
  const dirty = new Set<number>();
  const counts = { misses: 0, evictions: 0, writebacks: 0 };
  pages.forEach((page, t) => {
    if (!resident.includes(page)) {
      counts.misses++;
      if (resident.length === frames) {
        const rank = (p: number) => {
          const next = pages.indexOf(p, t + 1);
          if (policy === 'lru') return -(lastUse.get(p) as number);
          return next >= 0 ? next : 2 * pages.length - (lastUse.get(p) as number);
        };
        const victim = resident.reduce((a, b) => (rank(b) > rank(a) ? b : a));
        resident.splice(resident.indexOf(victim), 1);
        counts.evictions++;
        if (dirty.delete(victim)) counts.writebacks++;
      }
      resident.push(page);
    }
    lastUse.set(page, t);
    if (writes[t] === true) dirty.add(page);
  });
  return counts;
}

/** The simulator's counts at `frames` frames next to the curve's. */
function compareAtEveryFrameCount(policy: StackPolicyName, pages: readonly number[], writes: readonly boolean[], maxFrames: number): void {
  const curve = faultCurveOfReferenceString(pages, policy, maxFrames, writes);
  expect(curve.references).toBe(pages.length);
  expect(curve.compulsoryMisses).toBe(new Set(pages).size);
  for (let frames = 1; frames <= maxFrames; frames++) {
    const run = simulateReferenceString(pages, { policy, frames }, writes);
    const evictions = Math.max(0, (curve.misses[frames] as number) - frames);
    expect([frames, curve.misses[frames], evictions, curve.writebacks[frames]]).toEqual([frames, run.misses, run.evictions, run.writebacks]);
  }
}

describe("one pass gives OSTEP's published counts (shared/notes/oracles.md)", () => {
  it.each([
    ['lru', textbook, 3, 12],
    ['opt', textbook, 3, 9],
    ['lru', belady, 3, 10],
    ['lru', belady, 4, 8],
    ['opt', belady, 3, 7],
    ['opt', belady, 4, 6],
  ] as const)('%s on %j with %i frames: %i misses', (policy, pages, frames, misses) => {
    const curve = faultCurveOfReferenceString(pages, policy, 8);
    expect(curve.misses[frames]).toBe(misses);
    expect(curve.compulsoryMisses).toBe(new Set(pages).size);
  });

  it("covers every frame count: Belady's string from 1 frame to more than its pages", () => {
    // One frame: every reference misses but the one repeat in a row (none here); five or more: the five first touches.
    expect(Array.from(faultCurveOfReferenceString(belady, 'lru', 6).misses.subarray(1))).toEqual([12, 12, 10, 8, 5, 5]);
    expect(Array.from(faultCurveOfReferenceString(belady, 'opt', 6).misses.subarray(1))).toEqual([12, 9, 7, 6, 5, 5]);
  });
});

const referenceString = fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 0, maxLength: 250 });
const withWrites = referenceString.chain((pages) => fc.tuple(fc.constant(pages), fc.array(fc.boolean(), { minLength: pages.length, maxLength: pages.length })));

describe('one pass equals a simulation per frame count', () => {
  for (const policy of ['lru', 'opt'] as const) {
    it(`${policy}: misses, evictions and write-backs at every frame count, the stack cut short or not`, () => {
      fc.assert(
        fc.property(withWrites, fc.integer({ min: 1, max: 18 }), ([pages, writes], maxFrames) => {
          compareAtEveryFrameCount(policy, pages, writes, maxFrames);
        }),
        { numRuns: 150 },
      );
    });

    it(`${policy}: the definitions' counts, write-backs included`, () => {
      fc.assert(
        fc.property(withWrites, fc.integer({ min: 1, max: 10 }), ([pages, writes], frames) => {
          const curve = faultCurveOfReferenceString(pages, policy, frames, writes);
          const truth = naive(policy, pages, writes, frames);
          expect([curve.misses[frames], Math.max(0, (curve.misses[frames] as number) - frames), curve.writebacks[frames]]).toEqual([truth.misses, truth.evictions, truth.writebacks]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('lru: a long trace over many pages, past the renumbering of its time slots', () => {
    // 200,000 references (three times the initial slot table) over 5,000 pages with a hot set,
    // from a fixed linear congruential sequence, every seventh a write.
    const pages: number[] = [];
    const writes: boolean[] = [];
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      pages.push(x % 4 === 0 ? (x >>> 8) % 5000 : (x >>> 8) % 40);
      writes.push(i % 7 === 0);
    }
    const curve = faultCurveOfReferenceString(pages, 'lru', 1200, writes);
    for (const frames of [1, 2, 20, 39, 40, 41, 100, 1000, 1200]) {
      const run = simulateReferenceString(pages, { policy: 'lru', frames }, writes);
      expect([frames, curve.misses[frames], curve.writebacks[frames]]).toEqual([frames, run.misses, run.writebacks]);
    }
  });
});

/**
 * A program's references, generated here: an in-place quicksort of 3,000 four-byte numbers
 * that start in a scrambled order, written as valgrind lackey lines with 256-byte pages. Each
 * comparison fetches from the code pages, reads the two numbers and the frame on the stack;
 * each swap writes both numbers. Recursion walks the stack down and up.
 */
function quicksortLackeyTrace(): string {
  const n = 3000;
  const values = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  const code = 0x1000;
  const data = 0x10000;
  const stackTop = 0x80000;
  const lines: string[] = [];
  const hex = (a: number) => a.toString(16).padStart(8, '0');
  const fetch = (offset: number) => lines.push(`I  ${hex(code + offset)},4`);
  const load = (address: number) => lines.push(` L ${hex(address)},4`);
  const store = (address: number) => lines.push(` S ${hex(address)},4`);
  const modify = (address: number) => lines.push(` M ${hex(address)},4`);
  const sort = (low: number, high: number, depth: number) => {
    const frame = stackTop - 64 * depth;
    fetch(0);
    modify(frame);
    if (low >= high) return;
    const pivot = values[high] as number;
    load(data + 4 * high);
    let i = low;
    for (let j = low; j < high; j++) {
      fetch(0x40 + (j & 3) * 0x30);
      load(data + 4 * j);
      load(frame + 8);
      if ((values[j] as number) < pivot) {
        fetch(0x400);
        [values[i], values[j]] = [values[j] as number, values[i] as number];
        store(data + 4 * i);
        store(data + 4 * j);
        i++;
      }
    }
    [values[i], values[high]] = [values[high] as number, values[i] as number];
    store(data + 4 * i);
    store(data + 4 * high);
    sort(low, i - 1, depth + 1);
    sort(i + 1, high, depth + 1);
  };
  sort(0, n - 1, 0);
  expect(values).toEqual(Array.from({ length: n }, (_, i) => i));
  return lines.join('\n') + '\n';
}

describe('trace files: the simulator at each frame count, byte for byte', () => {
  const quicksort = traceFile('quicksort.lackey', quicksortLackeyTrace());
  const frameCounts = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];

  for (const policy of ['lru', 'opt'] as const) {
    it(`${policy} on a quicksort's lackey trace (writes, 256-byte pages)`, () => {
      const options = { policy, format: 'lackey' as const, pageSize: 256 };
      const swept = simulateTraceFileAtFrames(quicksort, options, frameCounts);
      const runs = frameCounts.map((frames) => simulateTraceFile(quicksort, { ...options, frames }));
      expect(JSON.stringify(swept)).toBe(JSON.stringify(runs));
      // The trace is a real workload for a curve: misses fall from every reference to the first touches, with write-backs on the way.
      expect(runs[0]!.misses).toBeGreaterThan(10 * runs.at(-1)!.misses);
      expect(runs.some((r) => r.writebacks > 0)).toBe(true);
    });

    it(`${policy} on Belady's string as a pages file, and the curve's own fields`, () => {
      const path = traceFile(`belady-${policy}.trace`, belady.join('\n') + '\n');
      const swept = simulateTraceFileAtFrames(path, { policy }, [4, 3, 5]);
      expect(JSON.stringify(swept)).toBe(JSON.stringify([4, 3, 5].map((frames) => simulateTraceFile(path, { policy, frames }))));
      const curve = faultCurveOfTraceFile(path, { policy, maxFrames: 5 });
      expect(curve).toMatchObject({ policy, maxFrames: 5, references: 12, distinctPages: 5, compulsoryMisses: 5, format: 'pages', pageSize: 4096, badLines: 0 });
    });
  }

  it('other policies take a run per frame count, with the same results', () => {
    const path = traceFile('belady-fifo.trace', belady.join('\n') + '\n');
    expect(simulateTraceFileAtFrames(path, { policy: 'fifo' }, [3, 4]).map((r) => r.misses)).toEqual([9, 10]);
  });

  it("opt falls back to a run per frame count on a trace that keeps its stack walk deep, with the same results", () => {
    // 4,000 references spread evenly over 3,000 pages: most references are deep in the stack.
    const pages = Array.from({ length: 4000 }, (_, i) => (i * 1237) % 3000);
    const path = traceFile('spread.trace', pages.join('\n') + '\n');
    expect(faultCurveWithinBudget(path, { policy: 'opt', maxFrames: 2500 }, 60)).toBeUndefined();
    expect(faultCurveWithinBudget(path, { policy: 'opt', maxFrames: 2500 }, 5000)).toBeDefined();
    const swept = simulateTraceFileAtFrames(path, { policy: 'opt' }, [2500]);
    expect(JSON.stringify(swept)).toBe(JSON.stringify([simulateTraceFile(path, { policy: 'opt', frames: 2500 })]));
    // LRU's pass is O(log) a reference and never gives up.
    expect(faultCurveWithinBudget(path, { policy: 'lru', maxFrames: 2500 }, 0)).toBeDefined();
  });

  it('an empty trace has no misses at any frame count', () => {
    const path = traceFile('empty.trace', '');
    const curve = faultCurveOfTraceFile(path, { policy: 'opt', maxFrames: 3 });
    expect(Array.from(curve.misses)).toEqual([0, 0, 0, 0]);
    expect(JSON.stringify(simulateTraceFileAtFrames(path, { policy: 'lru' }, [2]))).toBe(JSON.stringify([simulateTraceFile(path, { policy: 'lru', frames: 2 })]));
  });
});

describe('bad requests are one clear error', () => {
  const path = traceFile('small.trace', '1\n2\n');
  it.each([
    [() => faultCurveOfTraceFile(path, { policy: 'fifo' as StackPolicyName, maxFrames: 3 }), 'policy: a fault curve in one pass needs a stack policy (lru or opt), got "fifo"'],
    [() => faultCurveOfTraceFile(path, { policy: 'lru', maxFrames: 0 }), 'frames: must be a positive integer up to 4194304, got 0'],
    [() => simulateTraceFileAtFrames(path, { policy: 'opt' }, []), 'frames: expected at least one frame count'],
    [() => simulateTraceFileAtFrames(path, { policy: 'opt' }, [3, 0]), 'frames: must be a positive integer up to 4194304, got 0'],
    [() => faultCurveOfReferenceString([1, -2], 'lru', 2), 'pages[1]: must be a non-negative integer page number, got -2'],
  ])('%#', (run, message) => {
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(message);
  });
});

import { expect } from 'vitest';
import type {
  FrameUsageBits,
  ReplacementPolicyContext,
  ReplacementPolicyFactory,
  VictimCandidates,
} from '@pagelab/contracts';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

/** A reference string with the miss count a correct policy must give on it. */
export interface KnownAnswer {
  readonly pages: readonly number[];
  readonly frames: number;
  readonly misses: number;
}

/** What the suite should know about the policy under test. */
export interface ReplacementPolicyConformanceOptions {
  /**
   * True for policies that cannot work from referenced bits alone (OPT): the suite then only
   * builds them with `referencesVisible: true` and the future (`nextUse`).
   */
  readonly requiresVisibleReferences?: boolean;
  /** Reference strings with their exact miss counts (counting compulsory misses), e.g. the textbook's. */
  readonly knownAnswers?: readonly KnownAnswer[];
}

/** Deterministic pseudo-random numbers for the scenarios (xorshift32), so a failure replays. */
class Scenario {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}

/** The hardware's referenced and modified bits, as plain arrays a test can set and inspect. */
export class ArrayUsageBits implements FrameUsageBits {
  readonly referenced: Uint8Array;
  readonly modified: Uint8Array;
  constructor(frames: number) {
    this.referenced = new Uint8Array(frames);
    this.modified = new Uint8Array(frames);
  }
  isReferenced(frame: number): boolean {
    return this.referenced[frame] === 1;
  }
  isModified(frame: number): boolean {
    return this.modified[frame] === 1;
  }
  clearReferenced(frame: number): void {
    this.referenced[frame] = 0;
  }
}

function nextUseOf(pages: readonly number[]): Int32Array {
  const nextUse = new Int32Array(pages.length);
  const upcoming = new Map<number, number>();
  for (let t = pages.length - 1; t >= 0; t--) {
    const page = pages[t]!;
    nextUse[t] = upcoming.get(page) ?? 0x7fffffff;
    upcoming.set(page, t);
  }
  return nextUse;
}

interface RunSetup {
  readonly frames: number;
  readonly pages: readonly number[];
  readonly writes?: readonly boolean[];
  readonly referencesVisible: boolean;
  /** Frames the pager will not offer (pinned), decided per fault. */
  readonly pinned?: (frame: number, fault: number) => boolean;
  /** Local scope: frames of the faulting "owner" only (owner = page % owners). */
  readonly owners?: number;
  readonly tickEvery?: number;
}

interface RunResult {
  misses: number;
  victims: number[];
}

/**
 * Plays a reference string through the policy the way a pager does: the hardware bits set on
 * every access, `onReference` when references are visible, a free frame (lowest first) or a
 * victim on a miss, `onEvict` then `onPageIn`. Checks every victim against the candidates.
 */
function play(factory: ReplacementPolicyFactory, setup: RunSetup): RunResult {
  const { frames, pages } = setup;
  const bits = new ArrayUsageBits(frames);
  const context: ReplacementPolicyContext = {
    frameCount: frames,
    bits,
    referencesVisible: setup.referencesVisible,
    seed: 7,
    workingSetWindow: 8,
    ...(setup.referencesVisible ? { nextUse: nextUseOf(pages) } : {}),
  };
  const policy = factory(context);
  const framePage = new Int32Array(frames).fill(-1);
  const pageFrame = new Map<number, number>();
  let misses = 0;
  let fault = 0;
  const victims: number[] = [];
  let owner = 0;
  const candidates: VictimCandidates = {
    isCandidate: (frame) =>
      framePage[frame]! >= 0 &&
      !(setup.pinned?.(frame, fault) ?? false) &&
      (setup.owners === undefined || framePage[frame]! % setup.owners === owner),
  };
  for (let t = 0; t < pages.length; t++) {
    const page = pages[t]!;
    const write = setup.writes?.[t] ?? false;
    let frame = pageFrame.get(page) ?? -1;
    if (frame >= 0) {
      bits.referenced[frame] = 1;
      if (write) bits.modified[frame] = 1;
      if (setup.referencesVisible && policy.observesReferences) policy.onReference(frame, t);
    } else {
      misses++;
      frame = framePage.indexOf(-1);
      if (frame < 0) {
        fault++;
        owner = setup.owners === undefined ? 0 : page % setup.owners;
        frame = policy.chooseVictim(candidates, t);
        expect(Number.isInteger(frame) && frame >= 0 && frame < frames, `victim ${frame} is a frame number`).toBe(true);
        expect(candidates.isCandidate(frame), `victim ${frame} at time ${t} must be a candidate`).toBe(true);
        victims.push(frame);
        pageFrame.delete(framePage[frame]!);
        policy.onEvict(frame);
      }
      framePage[frame] = page;
      pageFrame.set(page, frame);
      bits.referenced[frame] = 1;
      bits.modified[frame] = write ? 1 : 0;
      policy.onPageIn(frame, t);
    }
    if (setup.tickEvery !== undefined && (t + 1) % setup.tickEvery === 0) policy.onClockTick(t + 1);
  }
  return { misses, victims };
}

function randomString(seed: number, length: number, distinct: number): { pages: number[]; writes: boolean[] } {
  const r = new Scenario(seed);
  const pages: number[] = [];
  const writes: boolean[] = [];
  for (let i = 0; i < length; i++) {
    // Mostly a drifting locality window, sometimes a far jump: every policy has work to do.
    pages.push(r.next() < 0.8 ? (Math.floor(i / 50) + r.below(6)) % distinct : r.below(distinct));
    writes.push(r.next() < 0.3);
  }
  return { pages, writes };
}

function expectNothingEvictable(action: () => unknown): void {
  let thrown: unknown = null;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected NothingEvictableError').not.toBeNull();
  expect((thrown as { code?: unknown }).code).toBe('NOTHING_EVICTABLE');
}

/**
 * The contract every `ReplacementPolicy` must meet, whatever its algorithm: victims are
 * always candidates (pinned frames and frames outside a local scope are never chosen), a
 * choice always terminates, no candidate at all raises `NothingEvictableError` (whatever the
 * bits say), a lone candidate is chosen, runs are deterministic, frames freed out of order
 * are handled, and optional known answers are met exactly.
 *
 * @param name the policy's name in the test report
 * @param factory builds the policy from a context (frames, bits, visibility, seed, future)
 */
export function replacementPolicyConformanceSuite(
  name: string,
  factory: ReplacementPolicyFactory,
  options: ReplacementPolicyConformanceOptions = {},
): ConformanceSuite {
  const visibilities = options.requiresVisibleReferences === true ? [true] : [true, false];
  const cases: ConformanceCase[] = [];
  for (const referencesVisible of visibilities) {
    const mode = referencesVisible ? 'references visible' : 'referenced bits only';

    cases.push({ name: `chooses only unpinned frames over a long run (${mode})`, run: () => {
      const { pages, writes } = randomString(11, 4000, 40);
      const result = play(factory, {
        frames: 12,
        pages,
        writes,
        referencesVisible,
        pinned: (frame, fault) => (frame * 7 + Math.floor(fault / 13)) % 5 === 0,
        tickEvery: 16,
      });
      expect(result.misses).toBeGreaterThan(12);
      expect(result.victims.length).toBe(result.misses - 12);
    },
      });

    cases.push({ name: `chooses only frames of the faulting owner under local scope (${mode})`, run: () => {
      const { pages, writes } = randomString(23, 3000, 30);
      // Owner = page % 3; frames hold pages of every owner once memory is full.
      play(factory, { frames: 9, pages, writes, referencesVisible, owners: 3, tickEvery: 10 });
    },
      });

    cases.push({ name: `is deterministic (${mode})`, run: () => {
      const { pages, writes } = randomString(5, 2000, 25);
      const setup = { frames: 7, pages, writes, referencesVisible, tickEvery: 9 };
      expect(play(factory, setup).victims).toEqual(play(factory, setup).victims);
    },
      });

    cases.push({ name: `raises NothingEvictableError, and terminates, when nothing is a candidate (${mode})`, run: () => {
      for (const frames of [1, 3, 16]) {
        for (const referenced of [0, 1]) {
          const bits = new ArrayUsageBits(frames);
          const pages = Array.from({ length: frames + 1 }, (_, i) => i);
          const policy = factory({
            frameCount: frames,
            bits,
            referencesVisible,
            seed: 3,
            ...(referencesVisible ? { nextUse: nextUseOf(pages) } : {}),
          });
          for (let f = 0; f < frames; f++) {
            bits.referenced[f] = referenced;
            bits.modified[f] = f & 1;
            policy.onPageIn(f, f);
          }
          expectNothingEvictable(() => policy.chooseVictim({ isCandidate: () => false }, frames));
          // Still usable afterwards: one candidate appears and is chosen.
          expect(policy.chooseVictim({ isCandidate: (f) => f === frames - 1 }, frames)).toBe(frames - 1);
        }
      }
    },
      });

    cases.push({ name: `chooses the only candidate whatever its bits say (${mode})`, run: () => {
      const frames = 8;
      const pages = Array.from({ length: 64 }, (_, i) => i % 9);
      const bits = new ArrayUsageBits(frames);
      const policy = factory({
        frameCount: frames,
        bits,
        referencesVisible,
        seed: 5,
        ...(referencesVisible ? { nextUse: nextUseOf(pages) } : {}),
      });
      for (let f = 0; f < frames; f++) policy.onPageIn(f, f);
      for (let lone = 0; lone < frames; lone++) {
        bits.referenced.fill(1);
        bits.modified.fill(lone & 1);
        const victim = policy.chooseVictim({ isCandidate: (f) => f === lone }, frames + lone);
        expect(victim).toBe(lone);
        policy.onEvict(victim);
        policy.onPageIn(victim, frames + lone);
      }
    },
      });

    cases.push({ name: `handles frames freed out of order and refilled (${mode})`, run: () => {
      const frames = 6;
      const pages = Array.from({ length: 40 }, (_, i) => (i * 5) % 11);
      const bits = new ArrayUsageBits(frames);
      const policy = factory({
        frameCount: frames,
        bits,
        referencesVisible,
        seed: 9,
        ...(referencesVisible ? { nextUse: nextUseOf(pages) } : {}),
      });
      const resident = new Uint8Array(frames);
      for (let f = 0; f < frames; f++) {
        policy.onPageIn(f, f);
        resident[f] = 1;
      }
      // An address space exits: its frames (2 and 4) are freed without a victim choice.
      for (const f of [4, 2]) {
        policy.onEvict(f);
        resident[f] = 0;
      }
      const candidates = { isCandidate: (f: number) => resident[f] === 1 };
      for (let round = 0; round < 12; round++) {
        const victim = policy.chooseVictim(candidates, 10 + round);
        expect(resident[victim]).toBe(1);
        policy.onEvict(victim);
        resident[victim] = 0;
        const refill = round % 2 === 0 ? victim : resident.indexOf(0);
        policy.onPageIn(refill, 10 + round);
        resident[refill] = 1;
      }
    },
      });
  }

  for (const answer of options.knownAnswers ?? []) {
    cases.push({ name: `gives ${answer.misses} misses on ${answer.pages.join(',')} with ${answer.frames} frames`, run: () => {
      expect(play(factory, { frames: answer.frames, pages: answer.pages, referencesVisible: true }).misses).toBe(
        answer.misses,
      );
    },
      });
  }
  return { seam: 'replacement-policy', subject: name, cases };
}

/** Registers the replacement-policy suite with vitest (call it from a test file). */
export function describeReplacementPolicyConformance(
  name: string,
  factory: ReplacementPolicyFactory,
  options: ReplacementPolicyConformanceOptions = {},
): void {
  describeConformanceSuite('ReplacementPolicy', replacementPolicyConformanceSuite(name, factory, options));
}

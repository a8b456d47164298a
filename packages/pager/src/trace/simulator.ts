import { ConfigurationError, FrameStateError } from '@pagelab/contracts';
import type { FrameUsageBits, ReplacementPolicy, ReplacementPolicyFactory, VictimCandidates } from '@pagelab/contracts';
import { createReplacementPolicy } from '../policies/registry.js';
import { WRITE_FLAG } from './reference-buffer.js';

import { DEFAULT_TICK_INTERVAL } from './limits.js';

export { DEFAULT_TICK_INTERVAL };

/** How a trace simulation is set up. */
export interface TraceSimulatorOptions {
  /** Physical frames. */
  readonly frames: number;
  /** The policy's name (see `replacementPolicyNames`); ignored when {@link factory} is given. */
  readonly policy: string;
  /** Builds the policy instead of the named one: a lab's own, reporting under its own `name`. */
  readonly factory?: ReplacementPolicyFactory;
  /** References per clock tick (for the sampling policies); 0 for no ticks. */
  readonly tickInterval?: number;
  /** Seed for `random`. */
  readonly seed?: number;
  /** Working-set window tau, in references. */
  readonly workingSetWindow?: number;
  /** The future, for `opt` (see `computeNextUse`). */
  readonly nextUse?: Int32Array;
}

/** The counts of one trace simulation. */
export interface TraceStatistics {
  /** References simulated. */
  readonly references: number;
  /** References whose page was not resident (including the first touch of every page). */
  readonly misses: number;
  /** Misses that were the first touch of their page. */
  readonly compulsoryMisses: number;
  /** Pages pushed out to make room. */
  readonly evictions: number;
  /** Evicted pages that were modified and had to be written back. */
  readonly writebacks: number;
}

/** The hardware bits of the simulated frames: set by the simulator on each reference, read and cleared by policies. */
class TraceFrameBits implements FrameUsageBits {
  constructor(
    readonly referenced: Uint8Array,
    readonly modified: Uint8Array,
  ) {}

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

/** In trace mode a frame may be evicted when it holds a page and is not pinned. */
class TraceCandidates implements VictimCandidates {
  constructor(
    private readonly framePage: Int32Array,
    private readonly pinned: Uint8Array,
  ) {}

  isCandidate(frame: number): boolean {
    return this.pinned[frame] === 0 && (this.framePage[frame] as number) >= 0;
  }
}

/**
 * The trace-mode pager: frames, a page-to-frame map over dense page ids, the hardware's
 * referenced and modified bits, and a policy, all in typed arrays. A hit is three array
 * operations (plus one call for policies that watch references); a miss takes a free frame
 * (lowest number first) or asks the policy for a victim among unpinned frames.
 */
export class TraceSimulator {
  readonly frameCount: number;
  readonly policy: ReplacementPolicy;
  private pageFrame: Int32Array;
  private seen: Uint8Array;
  private readonly framePage: Int32Array;
  private readonly referenced: Uint8Array;
  private readonly modified: Uint8Array;
  private readonly pinned: Uint8Array;
  private readonly candidates: TraceCandidates;
  private readonly tickInterval: number;
  private nextTick: number;
  /** Free frames are handed out lowest first; trace mode never frees a frame, so a rising scan finds them. */
  private freeScan = 0;
  private freeCount: number;
  private time = 0;
  private zeroFlags = new Uint8Array(0);
  private misses = 0;
  private compulsory = 0;
  private evictions = 0;
  private writebacks = 0;

  constructor(options: TraceSimulatorOptions) {
    const frames = options.frames;
    if (!Number.isInteger(frames) || frames < 1) {
      throw new ConfigurationError('frames', `must be a positive integer, got ${frames}`);
    }
    const tick = options.tickInterval ?? DEFAULT_TICK_INTERVAL;
    if (!Number.isInteger(tick) || tick < 0) {
      throw new ConfigurationError('tick', `must be a non-negative integer, got ${tick}`);
    }
    this.frameCount = frames;
    this.freeCount = frames;
    this.framePage = new Int32Array(frames).fill(-1);
    this.referenced = new Uint8Array(frames);
    this.modified = new Uint8Array(frames);
    this.pinned = new Uint8Array(frames);
    this.pageFrame = new Int32Array(1024).fill(-1);
    this.seen = new Uint8Array(1024);
    this.candidates = new TraceCandidates(this.framePage, this.pinned);
    this.tickInterval = tick;
    this.nextTick = tick > 0 ? tick : Infinity;
    const context = {
      frameCount: frames,
      bits: new TraceFrameBits(this.referenced, this.modified),
      referencesVisible: true,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.workingSetWindow !== undefined ? { workingSetWindow: options.workingSetWindow } : {}),
      ...(options.nextUse !== undefined ? { nextUse: options.nextUse } : {}),
    };
    this.policy = options.factory !== undefined ? options.factory(context) : createReplacementPolicy(options.policy, context);
  }

  /** The counts so far. */
  get statistics(): TraceStatistics {
    return {
      references: this.time,
      misses: this.misses,
      compulsoryMisses: this.compulsory,
      evictions: this.evictions,
      writebacks: this.writebacks,
    };
  }

  /** The frame holding dense page `page`, or -1. */
  frameOf(page: number): number {
    return page < this.pageFrame.length ? (this.pageFrame[page] as number) : -1;
  }

  /** The dense page in `frame`, or -1. */
  pageIn(frame: number): number {
    return this.framePage[frame] as number;
  }

  /**
   * Places dense page `page` in a frame before the first run, without counting a miss, and
   * pins it when asked: a wired or locked page the trace cannot evict. The frame is `frame`
   * when given (it must be free), else the lowest free one. Returns the frame.
   */
  preload(page: number, pin: boolean, frame?: number): number {
    if (this.time > 0) throw new ConfigurationError('preload', 'pages can only be preloaded before the trace runs');
    if (this.freeCount === 0) throw new ConfigurationError('frames', 'no free frame left to preload into');
    this.ensurePageCapacity(page + 1);
    if ((this.pageFrame[page] as number) >= 0) throw new ConfigurationError('preload', `page ${page} is already resident`);
    let target = frame ?? this.takeFreeFrame();
    if (frame !== undefined) {
      if (!Number.isInteger(frame) || frame < 0 || frame >= this.frameCount) throw new FrameStateError(frame, 'no such frame');
      if ((this.framePage[frame] as number) >= 0) throw new FrameStateError(frame, 'already holds a page');
      this.freeCount--;
      target = frame;
    }
    this.framePage[target] = page;
    this.pageFrame[page] = target;
    this.seen[page] = 1;
    this.pinned[target] = pin ? 1 : 0;
    // -1: placed before the first reference (OPT reads it as "no known next use").
    this.policy.onPageIn(target, -1);
    return target;
  }

  /** Pins `frame` (it must hold a page) so the policy can never choose it. */
  pin(frame: number): void {
    if ((this.framePage[frame] as number) < 0) throw new FrameStateError(frame, 'cannot pin a free frame');
    this.pinned[frame] = 1;
  }

  /** Unpins `frame`. */
  unpin(frame: number): void {
    this.pinned[frame] = 0;
  }

  /**
   * Simulates references `start` .. `end`-1 of `pages` (dense ids below `pageCount`), with
   * write flags from `flags` (null: all reads). Reference times continue from earlier runs.
   *
   * Runs of hits go through one of two small loops over the typed arrays (with and without the
   * policy's `onReference`); they stop at a miss or a clock tick, which are handled here, out of
   * the hot loop, so the loops stay short and the optimised code never meets a path it has no
   * feedback for (which used to make it deoptimise over and over).
   */
  run(pages: Int32Array, flags: Uint8Array | null, start: number, end: number, pageCount: number): void {
    this.ensurePageCapacity(pageCount);
    const writes = flags ?? this.noWrites(end);
    const pageFrame = this.pageFrame;
    const referenced = this.referenced;
    const modified = this.modified;
    const policy = this.policy;
    const observes = policy.observesReferences;
    const tickInterval = this.tickInterval;
    let nextTick = this.nextTick;
    let time = this.time;
    let i = start;
    while (i < end) {
      // Up to the next tick (nextTick may be Infinity: no ticks).
      const untilTick = nextTick - time;
      const stop = untilTick < end - i ? i + untilTick : end;
      const hitsEnd = observes
        ? observedHits(policy, pageFrame, referenced, modified, pages, writes, i, stop, time)
        : unobservedHits(pageFrame, referenced, modified, pages, writes, i, stop);
      time += hitsEnd - i;
      i = hitsEnd;
      if (i < stop) {
        this.miss(pages[i] as number, ((writes[i] as number) & WRITE_FLAG) !== 0, time);
        time++;
        i++;
      }
      if (time >= nextTick) {
        nextTick += tickInterval;
        this.nextTick = nextTick;
        policy.onClockTick(time);
      }
    }
    this.time = time;
  }

  /** All-zero write flags, at least `length` long, for runs given no flags. */
  private noWrites(length: number): Uint8Array {
    if (this.zeroFlags.length < length) this.zeroFlags = new Uint8Array(length);
    return this.zeroFlags;
  }

  private miss(page: number, write: boolean, time: number): void {
    this.misses++;
    if (this.seen[page] === 0) {
      this.seen[page] = 1;
      this.compulsory++;
    }
    let frame: number;
    if (this.freeCount > 0) {
      frame = this.takeFreeFrame();
    } else {
      frame = this.policy.chooseVictim(this.candidates, time);
      if (!this.candidates.isCandidate(frame)) {
        throw new FrameStateError(frame, `policy ${this.policy.name} chose a frame that is not evictable`);
      }
      this.evictions++;
      if (this.modified[frame] === 1) this.writebacks++;
      this.pageFrame[this.framePage[frame] as number] = -1;
      this.policy.onEvict(frame);
    }
    this.framePage[frame] = page;
    this.pageFrame[page] = frame;
    // The faulting access completes once the page is in: it references (and maybe dirties) it.
    this.referenced[frame] = 1;
    this.modified[frame] = write ? 1 : 0;
    this.policy.onPageIn(frame, time);
  }

  private takeFreeFrame(): number {
    while ((this.framePage[this.freeScan] as number) >= 0) this.freeScan++;
    this.freeCount--;
    return this.freeScan++;
  }

  private ensurePageCapacity(pageCount: number): void {
    if (pageCount <= this.pageFrame.length) return;
    let capacity = this.pageFrame.length;
    while (capacity < pageCount) capacity *= 2;
    const pageFrame = new Int32Array(capacity).fill(-1);
    pageFrame.set(this.pageFrame);
    const seen = new Uint8Array(capacity);
    seen.set(this.seen);
    this.pageFrame = pageFrame;
    this.seen = seen;
  }
}

/**
 * The hits among references `start` .. `stop`-1 for a policy that does not watch references:
 * sets the frames' referenced (and, for writes, modified) bits. Returns the index of the first
 * miss, or `stop`.
 */
function unobservedHits(
  pageFrame: Int32Array,
  referenced: Uint8Array,
  modified: Uint8Array,
  pages: Int32Array,
  writes: Uint8Array,
  start: number,
  stop: number,
): number {
  for (let i = start; i < stop; i++) {
    const frame = pageFrame[pages[i] as number] as number;
    if (frame < 0) return i;
    referenced[frame] = 1;
    // WRITE_FLAG is bit 0, and modified bits are 0 or 1.
    modified[frame] = (modified[frame] as number) | ((writes[i] as number) & WRITE_FLAG);
  }
  return stop;
}

/** As {@link unobservedHits}, and tells the policy of each hit at its time (`time` is reference `start`'s). */
function observedHits(
  policy: ReplacementPolicy,
  pageFrame: Int32Array,
  referenced: Uint8Array,
  modified: Uint8Array,
  pages: Int32Array,
  writes: Uint8Array,
  start: number,
  stop: number,
  time: number,
): number {
  const offset = time - start;
  for (let i = start; i < stop; i++) {
    const frame = pageFrame[pages[i] as number] as number;
    if (frame < 0) return i;
    referenced[frame] = 1;
    modified[frame] = (modified[frame] as number) | ((writes[i] as number) & WRITE_FLAG);
    policy.onReference(frame, i + offset);
  }
  return stop;
}

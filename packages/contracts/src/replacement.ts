import type { SeamVersion } from './seams.js';
/**
 * Page replacement: which resident page gives up its frame when a fault needs one and no
 * frame is free.
 *
 * A policy works on frame numbers (0 .. frameCount-1). It never owns the referenced and
 * modified bits: the hardware does (the MMU's page tables in a whole system, typed arrays in
 * the trace simulator), and the policy reads and clears them through {@link FrameUsageBits}.
 * It never decides what may be evicted either: pinned, wired and freshly locked frames are
 * filtered out by the pager through {@link VictimCandidates}, and a policy must pick only
 * among the candidates it is given.
 */

/**
 * The policies pagelab ships.
 *
 * - `fifo`: evict the page that has been resident longest.
 * - `clock`: second chance with a circular hand; the textbook flavour, where the faulting
 *   access sets the new page's referenced bit.
 * - `clock-clear`: the same hand, but a new page starts with its referenced bit clear (the
 *   flavour of some simulators such as libCacheSim); it gives slightly different counts.
 * - `enhanced-clock`: second chance over the four NRU classes (referenced, modified):
 *   (0,0) first, then (0,1), clearing referenced bits on the way.
 * - `lru`: least recently used; exact when every reference is visible (trace mode),
 *   approximated from referenced bits sampled at clock ticks otherwise.
 * - `nfu`: not frequently used; a counter per frame gains the referenced bit at every tick.
 * - `aging`: NFU whose counters shift right at every tick, the referenced bit entering at the top.
 * - `working-set`: evict a page whose last use is older than the window tau, else the oldest.
 * - `wsclock`: the working set scanned with a clock hand, preferring clean old pages.
 * - `random`: a uniformly random candidate from a seeded generator (deterministic per seed).
 * - `opt`: Belady's optimal policy: evict the page whose next use is farthest in the future.
 *   Needs the whole reference string, so it exists only in trace mode.
 */
export type ReplacementPolicyName =
  | 'fifo'
  | 'clock'
  | 'clock-clear'
  | 'enhanced-clock'
  | 'lru'
  | 'nfu'
  | 'aging'
  | 'working-set'
  | 'wsclock'
  | 'random'
  | 'opt';

/**
 * The hardware's per-frame usage bits as a policy sees them. In a whole system these come
 * from the page-table entry mapped in the frame; in trace mode from the simulator's arrays.
 * A frame with no page in it reads as neither referenced nor modified.
 */
export interface FrameUsageBits {
  /** True when the page in `frame` was referenced since its bit was last cleared. */
  isReferenced(frame: number): boolean;
  /** True when the page in `frame` was written since it was brought in or last written back. */
  isModified(frame: number): boolean;
  /** Clears the referenced bit of `frame` (what a clock hand or a tick does). */
  clearReferenced(frame: number): void;
}

/**
 * The frames a policy may choose from for one fault: the evictable frames in the fault's scope
 * (every evictable frame for global replacement, only the faulting address space's for local).
 * Pinned, wired and locked frames are never candidates.
 */
export interface VictimCandidates {
  /** True when `frame` may be evicted for this fault. */
  isCandidate(frame: number): boolean;
}

/** Everything a policy is built with. */
export interface ReplacementPolicyContext {
  /** Number of physical frames; frames are numbered 0 .. frameCount-1. */
  readonly frameCount: number;
  /** The referenced and modified bits. */
  readonly bits: FrameUsageBits;
  /**
   * True when the policy will be told of every reference through
   * {@link ReplacementPolicy.onReference} (trace mode). When false, only the referenced bits
   * and clock ticks tell it what was used, and policies such as LRU approximate.
   */
  readonly referencesVisible: boolean;
  /** Seed for policies that draw random numbers; the same seed gives the same run. */
  readonly seed?: number;
  /**
   * For `working-set` and `wsclock`: the window tau, in the same unit as the `now` the
   * pager passes (references in trace mode).
   */
  readonly workingSetWindow?: number;
  /**
   * For `opt` only: the future. `nextUse[t]` is the time of the next reference to the page
   * referenced at time `t`, or a value larger than any time if it is never referenced again.
   * Times are reference indexes, and the pager passes the same indexes as `now`.
   */
  readonly nextUse?: Int32Array;
}

/**
 * A page-replacement policy. The pager tells it what happens to frames and asks it for a
 * victim; the policy keeps its own ordering state (typed arrays, no allocation per reference).
 *
 * Call protocol, per frame: `onPageIn` when a page lands in the frame; `onReference` for each
 * later reference if references are visible; `onEvict` when the page leaves (eviction, or the
 * address space giving it up). `chooseVictim` returns a frame the pager will then evict, and
 * the pager calls `onEvict` for it.
 */
export interface ReplacementPolicy {
  /** The `replacement-policy` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'replacement-policy'>;
  /** The policy's name for reports. */
  readonly name: string;
  /**
   * True when the policy needs {@link onReference} calls (exact LRU, OPT). Callers may skip
   * the call for policies that only read the referenced bits, which keeps the hit path cheap.
   */
  readonly observesReferences: boolean;
  /** A page was brought into `frame` at time `now`. */
  onPageIn(frame: number, now: number): void;
  /** The page in `frame` was referenced at time `now` (only when references are visible). */
  onReference(frame: number, now: number): void;
  /** The page in `frame` left memory; the frame is free until the next `onPageIn`. */
  onEvict(frame: number): void;
  /**
   * A periodic timer interrupt at time `now`: sampling policies (NFU, aging, working set,
   * approximate LRU) read and clear the referenced bits here.
   */
  onClockTick(now: number): void;
  /**
   * Picks the frame to evict among `candidates`, at time `now`. Must return a candidate and
   * must terminate; throws `NothingEvictableError` when there is no candidate at all.
   */
  chooseVictim(candidates: VictimCandidates, now: number): number;
}

/** Builds a policy for one pager or one simulation run. */
export type ReplacementPolicyFactory = (context: ReplacementPolicyContext) => ReplacementPolicy;

/** The replacement policies whose misses at every frame count come from one pass. */
export type StackPolicyName = 'lru' | 'opt';

/** The stack policies, for argument checking. */
export const stackPolicyNames: readonly StackPolicyName[] = ['lru', 'opt'];

/** True when `name` is a policy {@link FaultCurve}s are computed for. */
export function isStackPolicyName(name: string): name is StackPolicyName {
  return name === 'lru' || name === 'opt';
}

/**
 * A stack policy's counts at every frame count from 1 to {@link maxFrames}, from one pass over
 * a trace. Each count equals what the trace simulator reports for that many frames.
 */
export interface FaultCurve {
  readonly policy: StackPolicyName;
  readonly maxFrames: number;
  readonly references: number;
  readonly distinctPages: number;
  /** First touches: the same at every frame count. */
  readonly compulsoryMisses: number;
  /** `misses[c]`: misses with `c` frames, for c in 1..maxFrames (index 0 unused). */
  readonly misses: Float64Array;
  /** `writebacks[c]`: modified pages evicted with `c` frames, for c in 1..maxFrames (index 0 unused). */
  readonly writebacks: Float64Array;
}

/** Pages pushed out with `frames` frames: every miss after the frames have filled. */
export function curveEvictions(curve: FaultCurve, frames: number): number {
  const misses = curve.misses[frames] as number;
  return misses > frames ? misses - frames : 0;
}

/** "Not dirty at any frame count the curve covers". */
const CLEAN = 0x7fffffff;

/**
 * Turns per-reference stack distances into a {@link FaultCurve}. A reference at stack distance
 * d (its page's depth in the policy's stack just before it; 0 for a page not in the stack) is
 * a hit with at least d frames and a miss with fewer (the inclusion property, Mattson, Gecsei,
 * Slutz and Traiger, "Evaluation techniques for storage hierarchies", IBM Systems Journal 9(2),
 * 1970). So a histogram of distances gives every frame count's misses.
 *
 * Write-backs come from the same distances. Between two references a page only sinks in the
 * stack, so with c frames it was evicted in between exactly when c is below its depth at the
 * second reference (or at the end of the trace). It was modified then when some write to it
 * was followed only by references at distance at most c (each deeper one reloaded it clean).
 * Per page the smallest such c is kept (`dirtyFrom`); a reference at distance d then adds one
 * write-back to every c in [dirtyFrom, d), one range update on a difference array.
 */
export class FaultCurveRecorder {
  readonly maxFrames: number;
  /** `hits[d]`: references at distance d, for d in 1..maxFrames. */
  private readonly hits: Float64Array;
  /** Write-backs as a difference array over frame counts 1..maxFrames+1. */
  private readonly writebackSteps: Float64Array;
  private dirtyFrom: Int32Array;
  private references = 0;
  private firstTouches = 0;

  constructor(maxFrames: number) {
    this.maxFrames = maxFrames;
    this.hits = new Float64Array(maxFrames + 2);
    this.writebackSteps = new Float64Array(maxFrames + 2);
    this.dirtyFrom = new Int32Array(1024).fill(CLEAN);
  }

  /** Makes room for dense page ids below `pageCount`. */
  ensurePages(pageCount: number): void {
    if (pageCount <= this.dirtyFrom.length) return;
    let capacity = this.dirtyFrom.length;
    while (capacity < pageCount) capacity *= 2;
    const grown = new Int32Array(capacity).fill(CLEAN);
    grown.set(this.dirtyFrom);
    this.dirtyFrom = grown;
  }

  /**
   * One reference to `page` at stack distance `distance` (0: not in the stack); `firstTouch`
   * when the trace never referenced the page before. Pages must be below the last `ensurePages`.
   */
  record(page: number, distance: number, write: boolean, firstTouch: boolean): void {
    this.references++;
    const beyond = this.maxFrames + 1;
    const depth = distance === 0 || distance > beyond ? beyond : distance;
    if (firstTouch) this.firstTouches++;
    else this.evictedSinceLastUse(page, depth);
    if (depth < beyond) this.hits[depth] = (this.hits[depth] as number) + 1;
    const dirty = this.dirtyFrom[page] as number;
    this.dirtyFrom[page] = write ? 1 : dirty > depth ? dirty : depth;
  }

  /**
   * Closes the trace: `page` ends at stack depth `depth` (0 or beyond maxFrames: not in the
   * top maxFrames), so it was evicted, and written back if modified, with fewer frames.
   */
  finishPage(page: number, depth: number): void {
    const beyond = this.maxFrames + 1;
    this.evictedSinceLastUse(page, depth === 0 || depth > beyond ? beyond : depth);
  }

  /** The curve, after every reference was recorded and every page finished. */
  curve(policy: StackPolicyName, distinctPages: number): FaultCurve {
    const maxFrames = this.maxFrames;
    const misses = new Float64Array(maxFrames + 1);
    const writebacks = new Float64Array(maxFrames + 1);
    let hits = 0;
    let writeback = 0;
    for (let c = 1; c <= maxFrames; c++) {
      hits += this.hits[c] as number;
      writeback += this.writebackSteps[c] as number;
      misses[c] = this.references - hits;
      writebacks[c] = writeback;
    }
    return { policy, maxFrames, references: this.references, distinctPages, compulsoryMisses: this.firstTouches, misses, writebacks };
  }

  private evictedSinceLastUse(page: number, depth: number): void {
    const from = this.dirtyFrom[page] as number;
    if (from < depth) {
      const steps = this.writebackSteps;
      steps[from] = (steps[from] as number) + 1;
      steps[depth] = (steps[depth] as number) - 1;
    }
  }
}

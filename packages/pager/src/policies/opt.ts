import { ConfigurationError } from '@pagelab/contracts';
import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/** The next use of a page that is not used again (as `computeNextUse` gives it). */
const NEVER_USED = 0x7fffffff;
/** The key of a page placed before the trace (no reference yet): first to go. */
const PRELOADED = 0xffffffff;

/**
 * A page's eviction key under OPT after a reference at time `now` (0 or later) whose next use
 * is `nextUse`: the larger key goes first. Pages used again go by their next use; pages never
 * used again all outrank them and go least recently used first. No two referenced pages ever
 * tie, so the victim does not depend on the heap's shape, and the top c pages of the OPT
 * stack (see `OptStackDistance`) are exactly what this policy holds with c frames, modified
 * pages included.
 */
export function optEvictionKey(nextUse: number, now: number): number {
  return nextUse !== NEVER_USED ? nextUse : 0xfffffffe - now;
}

/**
 * Belady's optimal policy (OPT, MIN): evict the page whose next use lies farthest in the
 * future; among pages never used again, the least recently used (see {@link optEvictionKey}). The future comes precomputed as `nextUse` (see the trace simulator); a binary
 * max-heap of resident frames keyed by next use makes each reference and each choice
 * O(log n). Pinned frames at the top are set aside and pushed back after the choice.
 */
export class OptPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'opt';
  readonly observesReferences = true;
  private readonly nextUse: Int32Array;
  private readonly key: Uint32Array;
  private readonly heap: Int32Array;
  private readonly position: Int32Array;
  private readonly setAside: Int32Array;
  private size = 0;

  constructor(private readonly context: ReplacementPolicyContext) {
    if (context.nextUse === undefined) {
      throw new ConfigurationError('policy', 'opt needs the whole reference string in advance (trace mode only)');
    }
    if (!context.referencesVisible) {
      throw new ConfigurationError('policy', 'opt needs every reference to be visible (trace mode only)');
    }
    const n = context.frameCount;
    this.nextUse = context.nextUse;
    this.key = new Uint32Array(n);
    this.heap = new Int32Array(n);
    this.position = new Int32Array(n).fill(-1);
    this.setAside = new Int32Array(n);
  }

  onPageIn(frame: number, now: number): void {
    // A page placed before the trace starts (now < 0, a preloaded or wired page) has no known
    // next use until it is first referenced.
    this.key[frame] = now >= 0 && now < this.nextUse.length ? optEvictionKey(this.nextUse[now] as number, now) : PRELOADED;
    if (this.position[frame] as number >= 0) {
      this.siftUp(this.position[frame] as number);
      this.siftDown(this.position[frame] as number);
      return;
    }
    const i = this.size++;
    this.heap[i] = frame;
    this.position[frame] = i;
    this.siftUp(i);
  }

  onReference(frame: number, now: number): void {
    // The next use can only move later, so the frame only rises in a max-heap.
    this.key[frame] = optEvictionKey(this.nextUse[now] as number, now);
    this.siftUp(this.position[frame] as number);
  }

  onEvict(frame: number): void {
    const i = this.position[frame] as number;
    if (i < 0) return;
    this.removeAt(i);
  }

  onClockTick(): void {}

  chooseVictim(candidates: VictimCandidates): number {
    let aside = 0;
    let victim = -1;
    while (this.size > 0) {
      const top = this.heap[0] as number;
      if (candidates.isCandidate(top)) {
        victim = top;
        break;
      }
      this.setAside[aside++] = top;
      this.removeAt(0);
    }
    for (let i = 0; i < aside; i++) {
      const frame = this.setAside[i] as number;
      const at = this.size++;
      this.heap[at] = frame;
      this.position[frame] = at;
      this.siftUp(at);
    }
    if (victim < 0) throw nothingEvictable(this.name, this.context.frameCount);
    return victim;
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const frame = heap[i] as number;
    this.position[frame] = -1;
    const last = heap[--this.size] as number;
    if (i === this.size) return;
    heap[i] = last;
    this.position[last] = i;
    this.siftUp(i);
    this.siftDown(this.position[last] ?? i);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const frame = heap[i] as number;
    const k = key[frame] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pf = heap[parent] as number;
      if ((key[pf] as number) >= k) break;
      heap[i] = pf;
      this.position[pf] = i;
      i = parent;
    }
    heap[i] = frame;
    this.position[frame] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const size = this.size;
    const frame = heap[i] as number;
    const k = key[frame] as number;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && (key[heap[right] as number] as number) > (key[heap[left] as number] as number)) child = right;
      const cf = heap[child] as number;
      if ((key[cf] as number) <= k) break;
      heap[i] = cf;
      this.position[cf] = i;
      i = child;
    }
    heap[i] = frame;
    this.position[frame] = i;
  }
}

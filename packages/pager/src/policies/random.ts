import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/** Draws before the random policy stops guessing and lists the candidates instead. */
const GUESSES = 16;

/**
 * Random replacement with a seeded generator (mulberry32), so a run is reproducible from its
 * seed. The victim is uniform among candidates: a few uniform guesses over all frames
 * (rejection sampling, cheap when most frames are candidates), then a uniform pick from the
 * listed candidates when pins or a local scope make guesses miss.
 */
export class RandomPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'random';
  readonly observesReferences = false;
  private state: number;
  private readonly scratch: Int32Array;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.state = (context.seed ?? 1) >>> 0;
    this.scratch = new Int32Array(context.frameCount);
  }

  onPageIn(): void {}
  onReference(): void {}
  onEvict(): void {}
  onClockTick(): void {}

  chooseVictim(candidates: VictimCandidates): number {
    const n = this.context.frameCount;
    for (let i = 0; i < GUESSES; i++) {
      const frame = this.below(n);
      if (candidates.isCandidate(frame)) return frame;
    }
    let count = 0;
    for (let f = 0; f < n; f++) if (candidates.isCandidate(f)) this.scratch[count++] = f;
    if (count === 0) throw nothingEvictable(this.name, n);
    return this.scratch[this.below(count)] as number;
  }

  /** A uniform integer in [0, bound). */
  private below(bound: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * bound);
  }

  private nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

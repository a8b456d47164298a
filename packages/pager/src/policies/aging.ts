import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/** Width of the aging counters: the textbook's 8 bits, i.e. eight ticks of history. */
export const AGING_COUNTER_BITS = 8;
const TOP_BIT = 1 << (AGING_COUNTER_BITS - 1);

/**
 * Aging: at every clock tick each resident frame's counter shifts right by one and its
 * referenced bit enters at the top, then the bit is cleared. The victim has the smallest
 * counter; a bit set since the last tick ranks above all history (it would enter at the top
 * at the next tick). Ties go to the lowest frame number.
 */
export class AgingPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'aging';
  readonly observesReferences = false;
  private readonly counters: Uint16Array;
  private readonly resident: Uint8Array;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.counters = new Uint16Array(context.frameCount);
    this.resident = new Uint8Array(context.frameCount);
  }

  onPageIn(frame: number): void {
    this.counters[frame] = 0;
    this.resident[frame] = 1;
  }

  onReference(): void {}

  onEvict(frame: number): void {
    this.resident[frame] = 0;
  }

  onClockTick(): void {
    const { bits, frameCount } = this.context;
    const counters = this.counters;
    for (let f = 0; f < frameCount; f++) {
      if (this.resident[f] !== 1) continue;
      const referenced = bits.isReferenced(f);
      counters[f] = ((counters[f] as number) >>> 1) | (referenced ? TOP_BIT : 0);
      if (referenced) bits.clearReferenced(f);
    }
  }

  chooseVictim(candidates: VictimCandidates): number {
    const { bits, frameCount } = this.context;
    let victim = -1;
    let best = Infinity;
    for (let f = 0; f < frameCount; f++) {
      if (!candidates.isCandidate(f)) continue;
      const key = (this.counters[f] as number) | (bits.isReferenced(f) ? TOP_BIT << 1 : 0);
      if (key < best) {
        best = key;
        victim = f;
      }
    }
    if (victim < 0) throw nothingEvictable(this.name, frameCount);
    return victim;
  }
}

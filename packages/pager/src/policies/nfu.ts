import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/**
 * Not frequently used: at every clock tick each resident frame's counter gains its
 * referenced bit, and the bit is cleared. The victim has the smallest count, where a bit set
 * since the last tick counts as one more (so a page used just now is not taken for unused);
 * ties go to the lowest frame number. NFU never forgets, which is its known weakness.
 */
export class NfuPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'nfu';
  readonly observesReferences = false;
  private readonly counts: Uint32Array;
  private readonly resident: Uint8Array;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.counts = new Uint32Array(context.frameCount);
    this.resident = new Uint8Array(context.frameCount);
  }

  onPageIn(frame: number): void {
    this.counts[frame] = 0;
    this.resident[frame] = 1;
  }

  onReference(): void {}

  onEvict(frame: number): void {
    this.resident[frame] = 0;
  }

  onClockTick(): void {
    const { bits, frameCount } = this.context;
    const counts = this.counts;
    for (let f = 0; f < frameCount; f++) {
      if (this.resident[f] === 1 && bits.isReferenced(f)) {
        const c = counts[f] as number;
        if (c !== 0xffffffff) counts[f] = c + 1;
        bits.clearReferenced(f);
      }
    }
  }

  chooseVictim(candidates: VictimCandidates): number {
    const { bits, frameCount } = this.context;
    let victim = -1;
    let best = Infinity;
    for (let f = 0; f < frameCount; f++) {
      if (!candidates.isCandidate(f)) continue;
      const key = (this.counts[f] as number) + (bits.isReferenced(f) ? 1 : 0);
      if (key < best) {
        best = key;
        victim = f;
      }
    }
    if (victim < 0) throw nothingEvictable(this.name, frameCount);
    return victim;
  }
}

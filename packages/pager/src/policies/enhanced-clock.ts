import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/**
 * Enhanced second chance: the clock hand looks for the lowest NRU class, where a class is
 * (referenced, modified). Turn 1 looks for (0,0) and changes nothing; turn 2 looks for (0,1)
 * and clears the referenced bit of every candidate it passes; then turns 1 and 2 repeat, and
 * since every bit is clear by then, one of them must succeed if there is any candidate.
 * Clean pages are preferred because evicting them needs no write-back.
 */
export class EnhancedClockPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'enhanced-clock';
  readonly observesReferences = false;
  private hand = 0;

  constructor(private readonly context: ReplacementPolicyContext) {}

  onPageIn(): void {}
  onReference(): void {}
  onEvict(): void {}
  onClockTick(): void {}

  chooseVictim(candidates: VictimCandidates): number {
    const { bits, frameCount } = this.context;
    for (let turn = 0; turn < 4; turn++) {
      const wantModified = (turn & 1) === 1;
      let hand = this.hand;
      for (let step = 0; step < frameCount; step++) {
        const frame = hand;
        hand = hand + 1 === frameCount ? 0 : hand + 1;
        if (!candidates.isCandidate(frame)) continue;
        if (bits.isReferenced(frame)) {
          if (wantModified) bits.clearReferenced(frame);
          continue;
        }
        if (bits.isModified(frame) === wantModified) {
          this.hand = hand;
          return frame;
        }
      }
    }
    throw nothingEvictable(this.name, frameCount);
  }
}

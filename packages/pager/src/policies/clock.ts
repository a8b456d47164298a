import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/**
 * Second chance with a clock hand over frames 0..n-1. At each candidate under the hand: a
 * set referenced bit is cleared and the hand moves on (the second chance); a clear bit makes
 * that frame the victim, and the hand stops just past it. Non-candidates (pinned, free,
 * outside a local scope) are passed over with their bits untouched.
 *
 * Two flavours differ only in the new page's referenced bit: `clock` keeps the bit the
 * faulting access set (the textbook), `clock-clear` clears it at page-in (libCacheSim and
 * others). In a whole system the restarted access sets it again, so `clock-clear` only
 * differs from `clock` in trace mode.
 */
export class ClockPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name: 'clock' | 'clock-clear';
  readonly observesReferences = false;
  private hand = 0;

  constructor(
    private readonly context: ReplacementPolicyContext,
    private readonly referencedOnLoad: boolean,
  ) {
    this.name = referencedOnLoad ? 'clock' : 'clock-clear';
  }

  onPageIn(frame: number): void {
    if (!this.referencedOnLoad) this.context.bits.clearReferenced(frame);
  }

  onReference(): void {}
  onEvict(): void {}
  onClockTick(): void {}

  chooseVictim(candidates: VictimCandidates): number {
    const { bits, frameCount } = this.context;
    let hand = this.hand;
    // Two full turns suffice: the first clears every candidate's bit, the second must find one.
    for (let step = 0; step <= 2 * frameCount; step++) {
      const frame = hand;
      hand = hand + 1 === frameCount ? 0 : hand + 1;
      if (!candidates.isCandidate(frame)) continue;
      if (bits.isReferenced(frame)) {
        bits.clearReferenced(frame);
        continue;
      }
      this.hand = hand;
      return frame;
    }
    throw nothingEvictable(this.name, frameCount);
  }
}

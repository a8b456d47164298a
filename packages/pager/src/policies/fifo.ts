import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { FrameList } from './frame-list.js';
import { nothingEvictable } from './nothing-evictable.js';

/**
 * First in, first out: the victim is the candidate that was brought in longest ago. A pinned
 * frame at the front keeps its place, so pinning never reorders the others.
 */
export class FifoPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'fifo';
  readonly observesReferences = false;
  private readonly order: FrameList;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.order = new FrameList(context.frameCount);
  }

  onPageIn(frame: number): void {
    this.order.remove(frame);
    this.order.pushBack(frame);
  }

  onReference(): void {}

  onEvict(frame: number): void {
    this.order.remove(frame);
  }

  onClockTick(): void {}

  chooseVictim(candidates: VictimCandidates): number {
    const victim = this.order.firstFromFront(candidates);
    if (victim < 0) throw nothingEvictable(this.name, this.context.frameCount);
    return victim;
  }
}

import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { FrameList } from './frame-list.js';
import { nothingEvictable } from './nothing-evictable.js';

/**
 * Least recently used. When every reference is visible (trace mode) each reference moves its
 * frame to the back of a linked list, which is exact LRU in O(1) per reference. When only the
 * hardware's referenced bits are visible, every clock tick (and every victim choice) moves the
 * frames referenced since the last look to the back, in frame order, and clears their bits:
 * an approximation whose resolution is the tick.
 */
export class LruPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'lru';
  readonly observesReferences: boolean;
  private readonly recency: FrameList;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.recency = new FrameList(context.frameCount);
    this.observesReferences = context.referencesVisible;
  }

  onPageIn(frame: number): void {
    this.recency.remove(frame);
    this.recency.pushBack(frame);
  }

  onReference(frame: number): void {
    this.recency.moveToBack(frame);
  }

  onEvict(frame: number): void {
    this.recency.remove(frame);
  }

  onClockTick(): void {
    if (!this.observesReferences) this.sampleReferencedBits();
  }

  chooseVictim(candidates: VictimCandidates): number {
    if (!this.observesReferences) this.sampleReferencedBits();
    const victim = this.recency.firstFromFront(candidates);
    if (victim < 0) throw nothingEvictable(this.name, this.context.frameCount);
    return victim;
  }

  private sampleReferencedBits(): void {
    const { bits, frameCount } = this.context;
    for (let f = 0; f < frameCount; f++) {
      if (this.recency.has(f) && bits.isReferenced(f)) {
        this.recency.moveToBack(f);
        bits.clearReferenced(f);
      }
    }
  }
}

import { NothingEvictableError } from '@pagelab/contracts';
import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { describeReplacementPolicyConformance } from './replacement-policy.js';

/**
 * The simplest honest policy, written the way a student's first attempt might be (arrays, no
 * tuning), so the suite is seen to pass on something that is not pagelab's own code.
 */
class ArrayFifo implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'array-fifo';
  readonly observesReferences = false;
  private readonly queue: number[] = [];

  constructor(private readonly context: ReplacementPolicyContext) {}

  onPageIn(frame: number): void {
    this.onEvict(frame);
    this.queue.push(frame);
  }
  onReference(): void {}
  onEvict(frame: number): void {
    const at = this.queue.indexOf(frame);
    if (at >= 0) this.queue.splice(at, 1);
  }
  onClockTick(): void {}
  chooseVictim(candidates: VictimCandidates): number {
    const victim = this.queue.find((frame) => candidates.isCandidate(frame));
    if (victim === undefined) throw new NothingEvictableError(`no candidate among ${this.context.frameCount} frames`);
    return victim;
  }
}

describeReplacementPolicyConformance('array FIFO (reference)', (context) => new ArrayFifo(context), {
  knownAnswers: [
    { pages: [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1], frames: 3, misses: 15 },
    { pages: [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], frames: 3, misses: 9 },
    { pages: [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], frames: 4, misses: 10 },
  ],
});

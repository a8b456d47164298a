import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';

/** Window tau used when the context gives none, in the pager's time unit (references in trace mode). */
export const DEFAULT_WORKING_SET_WINDOW = 10_000;

/**
 * Working set (the textbook's scan of the whole table). Each frame remembers the time of its
 * last use, refreshed from the referenced bit at every tick and during the scan. The victim is
 * the first candidate, in frame order, that is unreferenced and older than the window tau (no
 * longer in the working set); if every candidate is in the working set, the one unused longest,
 * preferring a clean page among equals, so no write-back is needed.
 */
export class WorkingSetPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'working-set';
  readonly observesReferences = false;
  private readonly lastUse: Float64Array;
  private readonly resident: Uint8Array;
  private readonly window: number;

  constructor(private readonly context: ReplacementPolicyContext) {
    this.lastUse = new Float64Array(context.frameCount);
    this.resident = new Uint8Array(context.frameCount);
    this.window = context.workingSetWindow ?? DEFAULT_WORKING_SET_WINDOW;
  }

  onPageIn(frame: number, now: number): void {
    this.lastUse[frame] = now;
    this.resident[frame] = 1;
  }

  onReference(): void {}

  onEvict(frame: number): void {
    this.resident[frame] = 0;
  }

  onClockTick(now: number): void {
    const { bits, frameCount } = this.context;
    for (let f = 0; f < frameCount; f++) {
      if (this.resident[f] === 1 && bits.isReferenced(f)) {
        this.lastUse[f] = now;
        bits.clearReferenced(f);
      }
    }
  }

  chooseVictim(candidates: VictimCandidates, now: number): number {
    const { bits, frameCount } = this.context;
    let oldest = -1;
    let oldestUse = Infinity;
    let oldestClean = false;
    for (let f = 0; f < frameCount; f++) {
      if (!candidates.isCandidate(f)) continue;
      if (bits.isReferenced(f)) {
        this.lastUse[f] = now;
        bits.clearReferenced(f);
      } else if (now - (this.lastUse[f] as number) > this.window) {
        return f;
      }
      const use = this.lastUse[f] as number;
      const clean = !bits.isModified(f);
      if (use < oldestUse || (use === oldestUse && clean && !oldestClean)) {
        oldest = f;
        oldestUse = use;
        oldestClean = clean;
      }
    }
    if (oldest < 0) throw nothingEvictable(this.name, frameCount);
    return oldest;
  }
}

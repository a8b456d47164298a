import type { ReplacementPolicy, ReplacementPolicyContext, VictimCandidates } from '@pagelab/contracts';
import { nothingEvictable } from './nothing-evictable.js';
import { DEFAULT_WORKING_SET_WINDOW } from './working-set.js';

/**
 * WSClock: the working-set test applied by a clock hand. Under the hand, a referenced
 * candidate gets its last-use time refreshed and its bit cleared; an unreferenced one older
 * than tau is taken at once if clean. Where the textbook schedules the write of an old dirty
 * page and keeps going, a policy cannot start I/O, so the first old dirty page met is kept as
 * the fallback (the pager writes it back when it evicts it). After one full turn without an old
 * clean page: the first old dirty page, else the first clean candidate met, else the first
 * candidate met. The hand stops just past the victim.
 */
export class WsClockPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name = 'wsclock';
  readonly observesReferences = false;
  private readonly lastUse: Float64Array;
  private readonly resident: Uint8Array;
  private readonly window: number;
  private hand = 0;

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
    let oldDirty = -1;
    let firstClean = -1;
    let first = -1;
    let hand = this.hand;
    for (let step = 0; step < frameCount; step++) {
      const frame = hand;
      hand = hand + 1 === frameCount ? 0 : hand + 1;
      if (!candidates.isCandidate(frame)) continue;
      if (first < 0) first = frame;
      const clean = !bits.isModified(frame);
      if (clean && firstClean < 0) firstClean = frame;
      if (bits.isReferenced(frame)) {
        this.lastUse[frame] = now;
        bits.clearReferenced(frame);
        continue;
      }
      if (now - (this.lastUse[frame] as number) <= this.window) continue;
      if (clean) return this.take(frame);
      if (oldDirty < 0) oldDirty = frame;
    }
    if (oldDirty >= 0) return this.take(oldDirty);
    if (firstClean >= 0) return this.take(firstClean);
    if (first >= 0) return this.take(first);
    throw nothingEvictable(this.name, frameCount);
  }

  private take(frame: number): number {
    this.hand = frame + 1 === this.context.frameCount ? 0 : frame + 1;
    return frame;
  }
}

import { FrameState, isPagelabError, type FrameTable, type ReplacementPolicy, type VictimCandidates } from '@pagelab/contracts';

/** What the swap-out policy asks of load control. */
export interface SuspendedSpaces {
  /** How many processes are suspended now (none: the wrapper is out of the way). */
  readonly heldCount: number;
  /** True when the address space belongs to a suspended process. */
  isHeldSpace(addressSpace: number): boolean;
  /** The pager evicted `page` of suspended `addressSpace`. */
  swappedOut(addressSpace: number, page: number): void;
}

/** The evictable frames of suspended processes, whatever the fault's own scope. */
class SuspendedFrames implements VictimCandidates {
  constructor(
    private readonly frames: Pick<FrameTable, 'isEvictable' | 'ownerAddressSpace'>,
    private readonly suspended: SuspendedSpaces,
  ) {}

  isCandidate(frame: number): boolean {
    return this.frames.isEvictable(frame) && this.suspended.isHeldSpace(this.frames.ownerAddressSpace(frame));
  }
}

/**
 * How a suspended process's pages are swapped out: through the pager's own eviction path. The
 * kernel wraps the replacement policy so that, while any process is suspended, every fault takes
 * its victim among the suspended processes' evictable frames first (the wrapped policy choosing
 * among them, so a clock still gives second chances), and only when there is none among the
 * frames the fault's scope allows. The pager then does what it does for any victim: writes the
 * page to swap if it is dirty, unmaps it, flushes its TLB entry, and hands the frame over.
 * Pinned frames (a transfer, a page-in in progress) are never candidates, so pins are honoured.
 *
 * The pages go when a fault needs a frame, not all at once when the process is suspended: a
 * frame nobody asks for keeps its page, which the process finds again if it comes back before
 * anyone needed the frame. (An eager swap-out would need a pager operation the pager contract
 * does not have; the frames are the suspended process's only until someone wants one.)
 */
export class SwapOutPolicy implements ReplacementPolicy {
  readonly specificationVersion = 1;
  readonly name: string;
  readonly observesReferences: boolean;
  private readonly suspendedFrames: SuspendedFrames;
  /** The victim last chosen among suspended frames, until the pager evicts it. */
  private chosen = -1;

  constructor(
    private readonly inner: ReplacementPolicy,
    private readonly frames: Pick<FrameTable, 'isEvictable' | 'ownerAddressSpace' | 'ownerPage' | 'state'>,
    private readonly suspended: SuspendedSpaces,
  ) {
    this.name = inner.name;
    this.observesReferences = inner.observesReferences;
    this.suspendedFrames = new SuspendedFrames(frames, suspended);
  }

  onPageIn(frame: number, now: number): void {
    this.inner.onPageIn(frame, now);
  }

  onReference(frame: number, now: number): void {
    this.inner.onReference(frame, now);
  }

  onEvict(frame: number): void {
    // The pager tells the policy before it reassigns the frame: the owner is still the old page.
    if (frame === this.chosen && this.frames.state(frame) === FrameState.InUse) {
      this.suspended.swappedOut(this.frames.ownerAddressSpace(frame), this.frames.ownerPage(frame));
    }
    this.chosen = -1;
    this.inner.onEvict(frame);
  }

  onClockTick(now: number): void {
    this.inner.onClockTick(now);
  }

  chooseVictim(candidates: VictimCandidates, now: number): number {
    this.chosen = -1;
    if (this.suspended.heldCount > 0) {
      try {
        this.chosen = this.inner.chooseVictim(this.suspendedFrames, now);
        return this.chosen;
      } catch (error) {
        if (!isPagelabError(error, 'NOTHING_EVICTABLE')) throw error;
      }
    }
    return this.inner.chooseVictim(candidates, now);
  }
}

import { FrameState, isPagelabError, MappingError, PageSource, PinReason } from '@pagelab/contracts';
import type {
  AccessKind,
  BackingStore,
  CostModel,
  FrameTable,
  FrameUsageBits,
  Mmu,
  PageContentSource,
  PageMapping,
  Pager,
  PagerOptions,
  PagerStatistics,
  PhysicalMemory,
  ReplacementPolicy,
  ReplacementScope,
  SimulatedClock,
  VictimCandidates,
} from '@pagelab/contracts';

/** The part of the MMU contract the pager uses: a lab's MMU, or a test's fake, needs no more. */
export type PagerMmu = Pick<
  Mmu,
  'entry' | 'map' | 'unmap' | 'flushTlbPage' | 'isReferenced' | 'isModified' | 'clearReferenced' | 'clearModified'
>;

/** The part of the frame-table contract the pager uses. */
export type PagerFrameTable = Pick<
  FrameTable,
  | 'frameCount'
  | 'state'
  | 'ownerAddressSpace'
  | 'ownerPage'
  | 'isDirty'
  | 'setDirty'
  | 'allocate'
  | 'reassign'
  | 'free'
  | 'pin'
  | 'unpin'
  | 'pinCount'
  | 'isEvictable'
  | 'underPressure'
  | 'dropHintLocks'
>;

/** What the pager is wired to (the contract's `PagerDependencies`, narrowed to what it touches). */
export interface FaultServiceDependencies {
  readonly mmu: PagerMmu;
  readonly frames: PagerFrameTable;
  readonly memory: PhysicalMemory;
  readonly store: BackingStore;
  readonly contents: PageContentSource;
  readonly clock: SimulatedClock;
  readonly costs: CostModel;
}

/** A fresh-page lock waiting for its process's next dispatch. */
interface FreshPin {
  readonly pin: number;
  readonly frame: number;
}

/**
 * The referenced and modified bits of a frame are those of the page mapped in it, kept by the MMU.
 * Clearing a set referenced bit is the one way a use of a fresh page could be forgotten, so it
 * first marks the frame used in `untouched`.
 */
class MmuFrameBits implements FrameUsageBits {
  constructor(
    private readonly mmu: PagerMmu,
    private readonly frames: PagerFrameTable,
    private readonly untouched: Uint8Array,
  ) {}

  isReferenced(frame: number): boolean {
    if (this.frames.state(frame) !== FrameState.InUse) return false;
    return this.mmu.isReferenced(this.frames.ownerAddressSpace(frame), this.frames.ownerPage(frame));
  }

  isModified(frame: number): boolean {
    if (this.frames.state(frame) !== FrameState.InUse) return false;
    return (
      this.frames.isDirty(frame) ||
      this.mmu.isModified(this.frames.ownerAddressSpace(frame), this.frames.ownerPage(frame))
    );
  }

  clearReferenced(frame: number): void {
    if (this.frames.state(frame) !== FrameState.InUse) return;
    const space = this.frames.ownerAddressSpace(frame);
    const page = this.frames.ownerPage(frame);
    if (this.untouched[frame] === 1 && this.mmu.isReferenced(space, page)) this.untouched[frame] = 0;
    this.mmu.clearReferenced(space, page);
  }
}

/** Global scope: every evictable frame. */
class GlobalCandidates implements VictimCandidates {
  constructor(private readonly frames: PagerFrameTable) {}
  isCandidate(frame: number): boolean {
    return this.frames.isEvictable(frame);
  }
}

/** Local scope: the evictable frames of one address space (set per fault). */
class LocalCandidates implements VictimCandidates {
  addressSpace = 0;
  constructor(private readonly frames: PagerFrameTable) {}
  isCandidate(frame: number): boolean {
    return this.frames.isEvictable(frame) && this.frames.ownerAddressSpace(frame) === this.addressSpace;
  }
}

/**
 * The page-fault service. Each fault, step by step, each step charged to the simulated clock:
 * fault bookkeeping (`faultService`); a free frame, else a victim from the policy among the
 * evictable frames in scope; the victim unmapped (its TLB entry goes with it) and, if dirty,
 * written to its swap slot; the page read from swap, zero-filled or copied from the program
 * image; mapped with its protection; its TLB entry flushed; the policy told.
 *
 * With `lockFreshPages`, each page brought in is pinned (`PinReason.FreshPageIn`) until its
 * address space is next dispatched: the low-priority process that waits in the ready queue
 * keeps the page it faulted for. The locks are a preference, not a safety rule: when they
 * alone leave nothing evictable, the pager breaks them (counted) rather than fail the fault.
 *
 * A page-in is wasted when its page is evicted before its process touched it once: the pager
 * knows both ends (it mapped the page with its referenced bit clear, and it reads the bit when
 * it takes the frame away), and it sees every clearing of the bit in between.
 */
export class FaultService implements Pager {
  readonly specificationVersion = 1;
  readonly scope: ReplacementScope;
  readonly policyName: string;
  private readonly policy: ReplacementPolicy;
  private readonly global: GlobalCandidates;
  private readonly local: LocalCandidates;
  private readonly lockFreshPages: boolean;
  /** Swap slot per page, per address space. */
  private readonly slots = new Map<number, Map<number, number>>();
  /** Fresh-page pins (handle and frame) per address space, waiting for its next dispatch. */
  private readonly freshPins = new Map<number, FreshPin[]>();
  /** 1 for a frame whose page came in and has not been seen referenced since. */
  private readonly untouched: Uint8Array;
  private readonly stats = {
    faults: 0,
    freeFrameFaults: 0,
    evictions: 0,
    writebacks: 0,
    swapIns: 0,
    zeroFills: 0,
    imageLoads: 0,
    freshPageLocks: 0,
    freshPageLocksBroken: 0,
    wastedPageIns: 0,
    wastedPageInsSelf: 0,
    framesQuarantined: 0,
    cycles: 0,
  };

  constructor(
    private readonly deps: FaultServiceDependencies,
    options: PagerOptions,
  ) {
    this.scope = options.scope ?? 'global';
    this.lockFreshPages = options.lockFreshPages ?? false;
    this.global = new GlobalCandidates(deps.frames);
    this.local = new LocalCandidates(deps.frames);
    this.untouched = new Uint8Array(deps.frames.frameCount);
    this.policy = options.policy({
      frameCount: deps.frames.frameCount,
      bits: new MmuFrameBits(deps.mmu, deps.frames, this.untouched),
      referencesVisible: false,
    });
    this.policyName = this.policy.name;
  }

  get statistics(): PagerStatistics {
    return { ...this.stats };
  }

  handleFault(addressSpace: number, page: number, _access: AccessKind): number {
    const { mmu, frames, memory, contents } = this.deps;
    const entry = mmu.entry(addressSpace, page);
    if (entry === null) throw new MappingError(addressSpace, page, `page ${page} is not part of address space ${addressSpace}`);
    // Another path brought it in already (two faults on one page): nothing to do.
    if (entry.present) return entry.frame;

    this.charge(this.deps.costs.faultService);
    let frame = frames.allocate(addressSpace, page);
    if (frame >= 0) {
      this.stats.freeFrameFaults++;
    } else {
      frame = this.evictVictim(addressSpace);
      frames.reassign(frame, addressSpace, page);
    }

    const pageSize = memory.pageSize;
    const bytes = memory.bytes.subarray(frame * pageSize, (frame + 1) * pageSize);
    const slot = this.slots.get(addressSpace)?.get(page);
    if (slot !== undefined) {
      this.timed(() => this.deps.store.readPage(slot, bytes));
      this.stats.swapIns++;
    } else if (contents.initialSource(addressSpace, page) === PageSource.ProgramImage) {
      contents.readImagePage(addressSpace, page, bytes);
      this.charge(this.deps.costs.copyPerByte * pageSize);
      this.stats.imageLoads++;
    } else {
      bytes.fill(0);
      this.charge(this.deps.costs.zeroFillPerByte * pageSize);
      this.stats.zeroFills++;
    }

    mmu.map(addressSpace, page, frame, entry.protection);
    mmu.flushTlbPage(addressSpace, page);
    frames.setDirty(frame, false);
    this.untouched[frame] = 1;
    this.policy.onPageIn(frame, this.deps.clock.now);
    this.stats.faults++;

    if (this.lockFreshPages) {
      const pin = frames.pin(frame, PinReason.FreshPageIn, addressSpace, this.deps.clock.now);
      let pins = this.freshPins.get(addressSpace);
      if (pins === undefined) this.freshPins.set(addressSpace, (pins = []));
      pins.push({ pin, frame });
      this.stats.freshPageLocks++;
    }
    return frame;
  }

  onDispatch(addressSpace: number): void {
    const pins = this.freshPins.get(addressSpace);
    if (pins === undefined || pins.length === 0) return;
    for (const { pin } of pins) this.deps.frames.unpin(pin, this.deps.clock.now);
    pins.length = 0;
  }

  onClockTick(): void {
    this.policy.onClockTick(this.deps.clock.now);
  }

  releasePages(addressSpace: number, mappings: readonly PageMapping[]): void {
    const slots = this.slots.get(addressSpace);
    for (const { page, frame } of mappings) {
      this.releaseFrame(addressSpace, frame);
      const slot = slots?.get(page);
      if (slot !== undefined) {
        this.deps.store.freeSlot(slot);
        slots?.delete(page);
      }
    }
  }

  releaseAddressSpace(addressSpace: number, mappings: readonly PageMapping[]): void {
    for (const { frame } of mappings) this.releaseFrame(addressSpace, frame);
    const slots = this.slots.get(addressSpace);
    if (slots !== undefined) for (const slot of slots.values()) this.deps.store.freeSlot(slot);
    this.slots.delete(addressSpace);
    this.freshPins.delete(addressSpace);
  }

  /**
   * Unlocks a fresh page of `addressSpace` in `frame` (if any) and frees the frame; a frame
   * still pinned by someone else (a lock whose release was skipped) is quarantined instead.
   */
  private releaseFrame(addressSpace: number, frame: number): void {
    const { frames } = this.deps;
    if (frames.state(frame) !== FrameState.InUse || frames.ownerAddressSpace(frame) !== addressSpace) return;
    const pins = this.freshPins.get(addressSpace);
    if (pins !== undefined) {
      this.freshPins.set(
        addressSpace,
        pins.filter((fresh) => {
          if (fresh.frame !== frame) return true;
          frames.unpin(fresh.pin, this.deps.clock.now);
          return false;
        }),
      );
    }
    this.untouched[frame] = 0;
    this.policy.onEvict(frame);
    // The leaked-lock rule (see the contract's releaseAddressSpace): whoever holds the pin may
    // still reach the frame, so it stays out of use, unevictable, for the rest of the run.
    if (frames.pinCount(frame) > 0) {
      this.stats.framesQuarantined++;
      return;
    }
    frames.free(frame);
  }

  /** Picks a victim in scope, writes it back if dirty, unmaps it; returns the frame, still owned by the old page. */
  private evictVictim(addressSpace: number): number {
    const { frames, mmu, memory, store } = this.deps;
    if (frames.underPressure) frames.dropHintLocks(this.deps.clock.now);
    const victim = this.chooseVictim(addressSpace);
    const oldSpace = frames.ownerAddressSpace(victim);
    const oldPage = frames.ownerPage(victim);
    const dirty = frames.isDirty(victim) || mmu.isModified(oldSpace, oldPage);
    const wasted = this.untouched[victim] === 1 && !mmu.isReferenced(oldSpace, oldPage);

    let slot = -1;
    if (dirty) {
      let spaceSlots = this.slots.get(oldSpace);
      slot = spaceSlots?.get(oldPage) ?? -1;
      // Allocate before touching anything: if swap is full, the fault fails with nothing changed.
      if (slot < 0) {
        slot = store.allocateSlot();
        if (spaceSlots === undefined) this.slots.set(oldSpace, (spaceSlots = new Map<number, number>()));
        spaceSlots.set(oldPage, slot);
      }
    }
    // Unmapping invalidates the old page's TLB entry, so the old owner cannot reach the frame.
    mmu.unmap(oldSpace, oldPage);
    if (dirty) {
      const pageSize = memory.pageSize;
      const bytes = memory.bytes.subarray(victim * pageSize, (victim + 1) * pageSize);
      this.timed(() => store.writePage(slot, bytes));
      this.stats.writebacks++;
    }
    this.untouched[victim] = 0;
    if (wasted) {
      this.stats.wastedPageIns++;
      if (oldSpace === addressSpace) this.stats.wastedPageInsSelf++;
    }
    this.policy.onEvict(victim);
    this.stats.evictions++;
    return victim;
  }

  private chooseVictim(addressSpace: number): number {
    const candidates = this.candidatesFor(addressSpace);
    const now = this.deps.clock.now;
    try {
      return this.policy.chooseVictim(candidates, now);
    } catch (error) {
      if (!(isPagelabError(error, 'NOTHING_EVICTABLE')) || !this.breakFreshLocks()) throw error;
      return this.policy.chooseVictim(this.candidatesFor(addressSpace), now);
    }
  }

  /** Local scope falls back to global for an address space that owns no evictable frame yet. */
  private candidatesFor(addressSpace: number): VictimCandidates {
    if (this.scope === 'global') return this.global;
    const { frames } = this.deps;
    this.local.addressSpace = addressSpace;
    for (let f = 0; f < frames.frameCount; f++) if (this.local.isCandidate(f)) return this.local;
    return this.global;
  }

  /** Releases every fresh-page lock; true if there was any. */
  private breakFreshLocks(): boolean {
    let broken = 0;
    for (const pins of this.freshPins.values()) {
      for (const { pin } of pins) this.deps.frames.unpin(pin, this.deps.clock.now);
      broken += pins.length;
      pins.length = 0;
    }
    this.stats.freshPageLocksBroken += broken;
    return broken > 0;
  }

  /** Runs a backing-store transfer (which charges the clock itself) and books its cycles to the pager. */
  private timed(transfer: () => void): void {
    const before = this.deps.clock.now;
    transfer();
    this.stats.cycles += this.deps.clock.now - before;
  }

  private charge(cycles: number): void {
    this.deps.clock.advance(cycles);
    this.stats.cycles += cycles;
  }
}

/** The contract's `PagerFactory`: builds the pagelab fault service. */
export function createPager(dependencies: FaultServiceDependencies, options: PagerOptions): Pager {
  return new FaultService(dependencies, options);
}

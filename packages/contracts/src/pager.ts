import type { SeamVersion } from './seams.js';
/**
 * The pager: the kernel's page-fault service. It owns the fault path (find a free frame or
 * a victim, write the victim back if dirty, bring the page in, map it, flush the stale TLB
 * entry) and the backing store the pages live on while they have no frame.
 */
import type { AccessKind } from './access.js';
import type { FrameTable } from './frames.js';
import type { PhysicalMemory } from './memory.js';
import type { Mmu, PageMapping } from './mmu.js';
import type { ReplacementPolicyFactory } from './replacement.js';
import type { CostModel, SimulatedClock } from './time.js';

/**
 * Which frames a fault may take a victim from.
 * - `global`: any evictable frame, whoever owns it (the setting in which a sleeping
 *   process's I/O buffer can be stolen, the seed scenario).
 * - `local`: only evictable frames of the faulting address space, so each process keeps the
 *   frames it has. A process that owns no evictable frame at all takes one globally,
 *   otherwise a process that starts when memory is full could never run.
 */
export type ReplacementScope = 'global' | 'local';

/** Where the contents of a page come from when it is brought in. */
export const PageSource = {
  /** Its last written copy, in its backing-store slot. */
  Swap: 0,
  /** Nothing: a fresh page of zeros (bss, heap, stack never written out). */
  ZeroFill: 1,
  /** The executable's bytes (text and initialised data never written out). */
  ProgramImage: 2,
} as const;
/** One of the {@link PageSource} values. */
export type PageSource = (typeof PageSource)[keyof typeof PageSource];

/**
 * The swap area: a fixed number of page-sized slots. Every transfer charges the simulated
 * clock through the cost model (`swapLatency` plus `swapPerByte` for each byte), so paging
 * costs show up in simulated time.
 */
export interface BackingStore {
  /** Bytes per slot (equal to the page size). */
  readonly pageSize: number;
  /** How many slots exist. */
  readonly capacity: number;
  /** How many slots are allocated now. */
  readonly usedSlots: number;
  /** Page reads and writes done so far. */
  readonly reads: number;
  readonly writes: number;
  /** Takes a free slot and returns its number; throws `SwapExhaustedError` when none is left. */
  allocateSlot(): number;
  /** Gives a slot back. A slot that is not allocated is a `RangeError`. */
  freeSlot(slot: number): void;
  /** Copies slot `slot` into `into` (exactly `pageSize` bytes; zeros if it was never written). */
  readPage(slot: number, into: Uint8Array): void;
  /** Copies `from` (exactly `pageSize` bytes) into slot `slot`. */
  writePage(slot: number, from: Uint8Array): void;
}

/**
 * What a page holds before it is ever written to swap: the loader's knowledge of each address
 * space's program image. The pager asks it only for pages that have no swap slot.
 */
export interface PageContentSource {
  /** `ZeroFill` or `ProgramImage` for a page with no copy on swap. */
  initialSource(addressSpace: number, page: number): typeof PageSource.ZeroFill | typeof PageSource.ProgramImage;
  /** Copies the image bytes of `page` into `into` (a whole page; bytes past the file's end are zeros). */
  readImagePage(addressSpace: number, page: number, into: Uint8Array): void;
}

/** The pager's counters since it was built. */
export interface PagerStatistics {
  /** Not-present faults served (each brought one page in). */
  readonly faults: number;
  /** Faults served from the free list, without evicting. */
  readonly freeFrameFaults: number;
  /** Pages evicted to make room. */
  readonly evictions: number;
  /** Evicted pages that were dirty and written to swap first. */
  readonly writebacks: number;
  /** Pages brought in from swap. */
  readonly swapIns: number;
  /** Pages brought in as zeros. */
  readonly zeroFills: number;
  /** Pages brought in from the program image. */
  readonly imageLoads: number;
  /** Fresh page-ins locked until their process was next dispatched. */
  readonly freshPageLocks: number;
  /** Fresh-page locks the pager broke because nothing else was evictable. */
  readonly freshPageLocksBroken: number;
  /**
   * Pages brought in and evicted again before their process used them once (the referenced bit
   * never set while resident): the page-in was paid for nothing. Optional: a pager that does
   * not count them leaves it out, and the kernel reports it as unknown.
   */
  readonly wastedPageIns?: number;
  /**
   * Of `wastedPageIns`, those a fault of the page's own address space evicted: the process
   * brought the page in and, before using it, faulted again and lost it to that fault.
   */
  readonly wastedPageInsSelf?: number;
  /**
   * Frames of released pages or destroyed address spaces left out of use because a pin on them
   * was never released (the leaked-lock rule of `releaseAddressSpace`). Optional: a pager
   * written before the rule leaves it out.
   */
  readonly framesQuarantined?: number;
  /** Simulated cycles the pager charged to the clock (bookkeeping, fills, swap transfers). */
  readonly cycles: number;
}

/**
 * The page-fault service. The kernel calls `handleFault` for a `NotPresent` fault, then
 * restarts the faulting instruction; it calls `onDispatch` whenever it gives a process the
 * CPU, and `onClockTick` from its timer interrupt.
 */
export interface Pager {
  /** The `pager` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'pager'>;
  /** Which frames a fault may take. */
  readonly scope: ReplacementScope;
  /** The replacement policy's name. */
  readonly policyName: string;
  /**
   * Brings `page` of `addressSpace` in for `access` and returns its frame: a free frame or a
   * victim chosen by the policy among evictable frames in scope (written back first if
   * dirty), filled from swap, zeros or the program image, mapped, its TLB entry flushed.
   * Throws `NothingEvictableError` when every frame in scope is pinned or wired, and
   * `SwapExhaustedError` when a dirty victim has nowhere to go (nothing changes then).
   */
  handleFault(addressSpace: number, page: number, access: AccessKind): number;
  /**
   * `addressSpace` was given the CPU: with fresh-page locking on, the pages brought in for it
   * since it last ran are unlocked now that it can use them.
   */
  onDispatch(addressSpace: number): void;
  /** The timer interrupt: sampling policies read and clear referenced bits here. */
  onClockTick(): void;
  /**
   * The caller took these present pages away from the MMU (`release`): frees their frames and
   * forgets their swap copies. A frame that still has a held pin is quarantined instead, as
   * {@link releaseAddressSpace} says.
   */
  releasePages(addressSpace: number, mappings: readonly PageMapping[]): void;
  /**
   * The address space was destroyed (`destroyAddressSpace` returned `mappings`): frees its
   * frames, its swap slots and its fresh-page locks.
   *
   * The leaked-lock rule: a frame that still has a held pin the pager did not take (the kernel
   * releases its own transfer and page-in pins before it destroys an address space, so such a
   * pin is one whose release was skipped: a leak) is not freed, since the frame table refuses
   * to free a pinned frame and whoever lost the handle may still write through it. It is
   * quarantined: left in use under its dead owner, unmapped and unevictable, for the rest of
   * the run, and counted (`framesQuarantined`). The frame table's audit names it (an orphaned
   * pin: reason, holder, age). Frames are never reclaimed by guessing that a lock is dead.
   */
  releaseAddressSpace(addressSpace: number, mappings: readonly PageMapping[]): void;
  /** Counters so far. */
  readonly statistics: PagerStatistics;
}

/** What the kernel hands a pager. */
export interface PagerDependencies {
  readonly mmu: Mmu;
  readonly frames: FrameTable;
  readonly memory: PhysicalMemory;
  readonly store: BackingStore;
  readonly contents: PageContentSource;
  readonly clock: SimulatedClock;
  readonly costs: CostModel;
}

/** How a pager behaves. */
export interface PagerOptions {
  /** Builds the replacement policy (the pager gives it the frames' referenced and modified bits). */
  readonly policy: ReplacementPolicyFactory;
  /** Global or local replacement. Default `global`. */
  readonly scope?: ReplacementScope;
  /**
   * Lock each freshly paged-in frame until its process next runs, so a waiting low-priority
   * process does not lose the page it just paid for. Default false.
   */
  readonly lockFreshPages?: boolean;
}

/** Builds a pager: what the kernel calls, and what a lab's own pager provides. */
export type PagerFactory = (dependencies: PagerDependencies, options: PagerOptions) => Pager;

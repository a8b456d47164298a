import type { SeamVersion } from './seams.js';
/**
 * The frame table: one entry per physical frame saying who owns it, what state it is in,
 * whether its copy on the backing store is stale (dirty), and who has pinned it and why.
 *
 * Pinning (locking) a frame keeps the pager from choosing it as a victim: a DMA transfer in
 * flight, a user's `mlock`, the kernel, or the policy that keeps a freshly paged-in page
 * until its process has run. A pin is a count, not a bit: a frame pinned by two transfers
 * stays pinned until both are done. Every pin returns a handle (a pin id), so a pin that is
 * never released can be named in the audit with who took it, why and when.
 */
import { PagelabError } from './errors.js';
import type { PageOwner } from './events.js';

/** The address-space id the kernel uses for itself: its wired frames and its own pins. User address spaces are positive. */
export const KERNEL_ADDRESS_SPACE = 0;

/** What a frame is used for right now. */
export const FrameState = {
  /** On the free list: no owner, no pins. */
  Free: 0,
  /** Holds a page of some address space; the pager may evict it unless it is pinned. */
  InUse: 1,
  /** Belongs to the kernel for good (its code, its tables, bounce buffers): never evicted. */
  Wired: 2,
} as const;
/** One of the {@link FrameState} values. */
export type FrameState = (typeof FrameState)[keyof typeof FrameState];

/** Why a frame was pinned. Shown in the audit; decides whether the pin counts against a lock quota. */
export const PinReason = {
  /** A DMA transfer is reading or writing the frame. Counts against the quota. */
  Dma: 0,
  /** A user asked for the page to be locked (`mlock`). Counts against the quota. */
  UserLock: 1,
  /** The kernel needs the frame to stay put (it is reading the page table in it, say). Never refused. */
  Kernel: 2,
  /** A page just brought in for a process that has not run yet (the lock-until-dispatched policy). Never refused. */
  FreshPageIn: 3,
} as const;
/** One of the {@link PinReason} values. */
export type PinReason = (typeof PinReason)[keyof typeof PinReason];

/** What became of a pin after it was granted. */
export const PinStatus = {
  /** The pin holds its frame: the frame's pin count includes it. */
  Held: 0,
  /**
   * `hint` mode only: the request was over the quota, or free frames were short, so it was
   * accepted as a hint and disregarded. The frame was never held; the handle must still be released.
   */
  Ignored: 1,
  /** `hint` mode only: the pin held its frame until {@link FrameTable.dropHintLocks} let go of it under memory pressure. */
  Dropped: 2,
} as const;
/** One of the {@link PinStatus} values. */
export type PinStatus = (typeof PinStatus)[keyof typeof PinStatus];

/**
 * How lock requests over the quota are treated.
 * - `refuse`: the request throws a {@link LockQuotaError} (like `mlock` over `RLIMIT_MEMLOCK`).
 * - `hint`: quota-counted pins are hints: over the quota (or when free frames are short) they
 *   are accepted but ignored, and held ones may be dropped later under memory pressure.
 */
export type LockQuotaMode = 'refuse' | 'hint';

/**
 * Bounds on locking. Only `Dma` and `UserLock` pins made for a user address space count
 * (the kernel's own pins never do); each held pin counts one frame.
 */
export interface LockQuota {
  /** What happens over the limit. */
  readonly mode: LockQuotaMode;
  /** How many quota-counted pins one address space may hold at once. `Infinity` for no limit. */
  readonly perAddressSpace: number;
  /** How many quota-counted pins all address spaces together may hold at once. `Infinity` for no limit. */
  readonly global: number;
  /**
   * `hint` mode: when fewer than this many frames are free, the system is under pressure:
   * new hint pins are ignored and held ones may be dropped. `0` means never.
   */
  readonly pressureThreshold: number;
}

/** How a frame table is built. Implementations reject bad values with a `ConfigurationError` naming the field. */
export interface FrameTableOptions {
  /** How many physical frames there are: a positive integer. */
  readonly frameCount: number;
  /** Lock bounds; missing fields default to `refuse`, no limits, threshold 0. */
  readonly quota?: Partial<LockQuota>;
}

/** One pin as the frame table remembers it. */
export interface PinRecord {
  /** The handle `pin` returned: positive, unique for the life of the table. */
  readonly id: number;
  /** The frame pinned. */
  readonly frame: number;
  /** Why. */
  readonly reason: PinReason;
  /** On whose behalf ({@link KERNEL_ADDRESS_SPACE} for the kernel). */
  readonly addressSpace: number;
  /** When (the clock value passed to `pin`). */
  readonly pinnedAt: number;
  /** Whether the pin counts against the quota (and so is a hint in `hint` mode). */
  readonly counted: boolean;
  /** Whether it holds its frame now. */
  readonly status: PinStatus;
}

/** Pin counters since the table was built. At rest (no I/O in flight, no locks wanted) `acquired === released`. */
export interface PinStats {
  /** Handles handed out by `pin` (ignored hints included). */
  readonly acquired: number;
  /** Handles given back by `unpin`. */
  readonly released: number;
  /** Requests refused with a {@link LockQuotaError}. */
  readonly refused: number;
  /** Hint requests accepted but ignored. */
  readonly ignored: number;
  /** Held hint pins dropped under memory pressure. */
  readonly dropped: number;
}

/** What {@link FrameTable.audit} needs from its caller. */
export interface PinAuditOptions {
  /** A pin held longer than this many cycles is reported as long-held. */
  readonly longLockLimit: number;
  /** Tells whether an address space still exists (the kernel asks its process table or the MMU). */
  isLiveAddressSpace(addressSpace: number): boolean;
  /**
   * Optional: why no one will ever release this held pin (one line), or null while its holder
   * still has the handle and will release it (a transfer in flight, a page-in in progress, a
   * fresh page whose process has not run since). The frame table knows pins, not their holders:
   * only the caller can tell a lock in use from a lock that was never turned off. Pins it
   * disowns are reported in {@link PinAudit.leaked}.
   */
  disowned?(pin: PinRecord): string | null;
}

/** One suspicious pin in an audit: the pin (who, why, when) and how long it has been held. */
export interface PinFinding {
  /** The pin. */
  readonly pin: PinRecord;
  /** Cycles since it was taken, at the audit's time. */
  readonly heldFor: number;
}

/** A held pin no one will release: the frame it keeps out of use, and why the audit says so. */
export interface LeakedPin extends PinFinding {
  /** One line: the address space is gone, or what the caller's {@link PinAuditOptions.disowned} said. */
  readonly why: string;
}

/** The leak audit: are pins being released, and which frames are stuck? */
export interface PinAudit {
  /** The time of the audit. */
  readonly at: number;
  /** Pin counters at that time. */
  readonly stats: PinStats;
  /** Handles not yet released (`acquired - released`). */
  readonly outstanding: number;
  /** Held pins older than the limit, oldest first. */
  readonly longHeld: readonly PinFinding[];
  /** Held pins taken for a user address space that no longer exists: frames no one will ever unlock. */
  readonly orphaned: readonly PinFinding[];
  /**
   * Every held pin no one will release, oldest first: the orphaned ones and those the caller's
   * {@link PinAuditOptions.disowned} disowns, each with its frame, reason, holder (address
   * space) and age. Optional for tables written before it (the kernel then falls back to
   * `orphaned`); pagelab's own table always fills it.
   */
  readonly leaked?: readonly LeakedPin[];
}

/**
 * The frame table. Frame numbers run from 0 to `frameCount - 1`; a frame number outside that
 * range is a `RangeError`.
 *
 * Rules every implementation keeps (the conformance suite checks them):
 * - a frame has at most one owner, and only `InUse` and `Wired` frames have one;
 * - pin counts are never negative; pinning a free frame, or releasing a handle twice, is a
 *   {@link FrameStateError}; freeing or reassigning a frame with held pins is too (so a frame
 *   whose pin was leaked, never released, can never be freed: see `Pager.releaseAddressSpace`
 *   for what becomes of it when its address space goes);
 * - `Wired` frames and frames with held pins are never evictable;
 * - in `refuse` mode, quota-counted held pins never exceed either limit.
 */
export interface FrameTable {
  /** The `frame-table` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'frame-table'>;
  /** How many frames there are. */
  readonly frameCount: number;
  /** How many frames are `Free`. */
  readonly freeFrames: number;
  /** The lock bounds in force (defaults filled in). */
  readonly quota: LockQuota;

  /** The state of `frame`. */
  state(frame: number): FrameState;
  /** The owner of `frame`, or null when it is free (a copy; allocates: not for hot loops). */
  owner(frame: number): PageOwner | null;
  /** The owner's address space, or -1 when the frame is free. Allocation-free. */
  ownerAddressSpace(frame: number): number;
  /** The owner's virtual page, or -1 when the frame is free. Allocation-free. */
  ownerPage(frame: number): number;
  /** True when the frame's contents differ from the backing store (the pager must write it back before reuse). */
  isDirty(frame: number): boolean;
  /** Records whether the frame is dirty (the pager copies the MMU's modified bit here). */
  setDirty(frame: number, dirty: boolean): void;

  /** Takes a free frame for `page` of `addressSpace` (clean, unpinned) and returns it, or -1 when none is free. */
  allocate(addressSpace: number, page: number): number;
  /**
   * Takes a free frame for the kernel for good and returns it, or -1 when none is free. Its
   * owner is {@link KERNEL_ADDRESS_SPACE} with page equal to the frame number.
   */
  allocateWired(): number;
  /**
   * Gives an evicted `InUse` frame to a new page (the pager's victim, reused without a trip
   * through the free list). Clears dirty. A {@link FrameStateError} if the frame is not `InUse`
   * or has held pins.
   */
  reassign(frame: number, addressSpace: number, page: number): void;
  /** Returns an `InUse` or `Wired` frame to the free list. A {@link FrameStateError} if it is free or has held pins. */
  free(frame: number): void;

  /**
   * Pins `frame` for `reason` on behalf of `addressSpace` at time `now`, and returns the pin
   * handle. Throws a {@link FrameStateError} if the frame is free, and a
   * {@link LockQuotaError} in `refuse` mode when a quota-counted pin would exceed a limit.
   * In `hint` mode such a pin comes back {@link PinStatus.Ignored} instead.
   */
  pin(frame: number, reason: PinReason, addressSpace: number, now: number): number;
  /**
   * Releases a pin handle. A {@link FrameStateError} if it was released already; an
   * {@link UnknownPinError} if it was never handed out.
   */
  unpin(pin: number, now: number): void;
  /** The pin behind a handle still outstanding, or null once released. */
  pinRecord(pin: number): PinRecord | null;
  /** Every handle not yet released, in the order they were taken. */
  outstandingPins(): readonly PinRecord[];
  /** How many held pins `frame` has. */
  pinCount(frame: number): number;
  /** Pin counters. */
  readonly pinStats: PinStats;

  /** True when the pager may choose `frame` as a victim: `InUse` with no held pin. */
  isEvictable(frame: number): boolean;
  /** How many frames are evictable now. */
  readonly evictableCount: number;
  /**
   * The first evictable frame numbered `from` or higher, or -1 if there is none (no
   * wrap-around: a clock hand calls again with 0). Allocation-free, for the pager's scan.
   */
  nextEvictable(from: number): number;
  /** Every evictable frame, in frame order (a convenience over {@link nextEvictable}). */
  evictableFrames(): IterableIterator<number>;

  /** Quota-counted held pins of one address space. */
  lockedBy(addressSpace: number): number;
  /** Quota-counted held pins of all address spaces. */
  readonly lockedTotal: number;
  /** `hint` mode: true when free frames are below the pressure threshold. Always false in `refuse` mode. */
  readonly underPressure: boolean;
  /**
   * `hint` mode: lets go of every held hint pin (they become {@link PinStatus.Dropped}; their
   * handles must still be released) and returns how many. The pager calls it when
   * {@link underPressure} says so. Does nothing in `refuse` mode.
   */
  dropHintLocks(now: number): number;

  /** The leak audit at time `now`. */
  audit(now: number, options: PinAuditOptions): PinAudit;
}

/** A factory a conformance suite or the kernel uses to build a frame table. */
export type FrameTableFactory = (options: FrameTableOptions) => FrameTable;

/** A pin handle that was never handed out. */
export class UnknownPinError extends PagelabError {
  /** The handle given. */
  readonly pin: number;

  constructor(pin: number, message: string) {
    super('UNKNOWN_PIN', message);
    this.pin = pin;
  }
}

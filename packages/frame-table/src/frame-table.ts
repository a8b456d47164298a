import {
  ConfigurationError,
  FrameState,
  FrameStateError,
  KERNEL_ADDRESS_SPACE,
  LockQuotaError,
  PinReason,
  PinStatus,
  UnknownPinError,
  type FrameTable,
  type FrameTableOptions,
  type LockQuota,
  type LeakedPin,
  type PageOwner,
  type PinAudit,
  type PinAuditOptions,
  type PinFinding,
  type PinRecord,
  type PinStats,
} from '@pagelab/contracts';
import { EvictableSet } from './evictable-set.js';
import { PinLedger, type OutstandingPin } from './pin-ledger.js';
import { resolveQuota } from './quota.js';

const NO_OWNER = -1;

/**
 * The pagelab frame table: per-frame state in typed arrays (state, owner, dirty, held pin
 * count), a free-frame stack, a bitmap of evictable frames for the pager's scan, and a pin
 * ledger for quotas and the leak audit.
 */
export class TypedFrameTable implements FrameTable {
  readonly specificationVersion = 1;
  readonly frameCount: number;
  readonly quota: LockQuota;

  private readonly states: Uint8Array;
  private readonly ownerSpaces: Int32Array;
  private readonly ownerPages: Int32Array;
  private readonly dirty: Uint8Array;
  private readonly pinCounts: Uint32Array;
  /** Free frames as a stack; the initial order hands out frame 0 first, so runs are easy to read. */
  private readonly freeStack: Int32Array;
  private freeTop: number;
  private readonly evictable: EvictableSet;
  private readonly ledger = new PinLedger();
  /** Quota-counted held pins per user address space. */
  private readonly lockedBySpace = new Map<number, number>();
  private lockedAll = 0;

  constructor(options: FrameTableOptions) {
    const { frameCount } = options;
    if (!Number.isInteger(frameCount) || frameCount < 1 || frameCount > 2 ** 31 - 1) {
      throw new ConfigurationError('frameCount', `must be a positive integer, got ${String(frameCount)}`);
    }
    this.frameCount = frameCount;
    this.quota = resolveQuota(options.quota);
    this.states = new Uint8Array(frameCount);
    this.ownerSpaces = new Int32Array(frameCount).fill(NO_OWNER);
    this.ownerPages = new Int32Array(frameCount).fill(NO_OWNER);
    this.dirty = new Uint8Array(frameCount);
    this.pinCounts = new Uint32Array(frameCount);
    this.freeStack = new Int32Array(frameCount);
    for (let i = 0; i < frameCount; i++) this.freeStack[i] = frameCount - 1 - i;
    this.freeTop = frameCount;
    this.evictable = new EvictableSet(frameCount);
  }

  get freeFrames(): number {
    return this.freeTop;
  }

  get evictableCount(): number {
    return this.evictable.size;
  }

  get lockedTotal(): number {
    return this.lockedAll;
  }

  get pinStats(): PinStats {
    return this.ledger.stats();
  }

  get underPressure(): boolean {
    return this.quota.mode === 'hint' && this.freeTop < this.quota.pressureThreshold;
  }

  state(frame: number): FrameState {
    this.checkFrame(frame);
    return this.states[frame] as FrameState;
  }

  owner(frame: number): PageOwner | null {
    this.checkFrame(frame);
    const addressSpace = this.ownerSpaces[frame]!;
    return addressSpace === NO_OWNER ? null : { addressSpace, page: this.ownerPages[frame]! };
  }

  ownerAddressSpace(frame: number): number {
    this.checkFrame(frame);
    return this.ownerSpaces[frame]!;
  }

  ownerPage(frame: number): number {
    this.checkFrame(frame);
    return this.ownerPages[frame]!;
  }

  isDirty(frame: number): boolean {
    this.checkFrame(frame);
    return this.dirty[frame] === 1;
  }

  setDirty(frame: number, dirty: boolean): void {
    this.checkFrame(frame);
    if (this.states[frame] === FrameState.Free && dirty) throw new FrameStateError(frame, 'a free frame has no contents to be dirty');
    this.dirty[frame] = dirty ? 1 : 0;
  }

  allocate(addressSpace: number, page: number): number {
    this.checkOwner(addressSpace, page);
    if (this.freeTop === 0) return -1;
    const frame = this.freeStack[--this.freeTop]!;
    this.take(frame, FrameState.InUse, addressSpace, page);
    this.evictable.add(frame);
    return frame;
  }

  allocateWired(): number {
    if (this.freeTop === 0) return -1;
    const frame = this.freeStack[--this.freeTop]!;
    this.take(frame, FrameState.Wired, KERNEL_ADDRESS_SPACE, frame);
    return frame;
  }

  reassign(frame: number, addressSpace: number, page: number): void {
    this.checkFrame(frame);
    this.checkOwner(addressSpace, page);
    if (this.states[frame] !== FrameState.InUse) throw new FrameStateError(frame, `cannot be reassigned: it is ${stateName(this.states[frame] as FrameState)}, not in use`);
    if (this.pinCounts[frame]! > 0) throw new FrameStateError(frame, `cannot be reassigned: it has ${this.pinCounts[frame]} held pin(s)`);
    this.take(frame, FrameState.InUse, addressSpace, page);
  }

  free(frame: number): void {
    this.checkFrame(frame);
    if (this.states[frame] === FrameState.Free) throw new FrameStateError(frame, 'is already free');
    if (this.pinCounts[frame]! > 0) throw new FrameStateError(frame, `cannot be freed: it has ${this.pinCounts[frame]} held pin(s)`);
    this.states[frame] = FrameState.Free;
    this.ownerSpaces[frame] = NO_OWNER;
    this.ownerPages[frame] = NO_OWNER;
    this.dirty[frame] = 0;
    this.evictable.delete(frame);
    this.freeStack[this.freeTop++] = frame;
  }

  pin(frame: number, reason: PinReason, addressSpace: number, now: number): number {
    this.checkFrame(frame);
    if (!Number.isInteger(reason) || reason < PinReason.Dma || reason > PinReason.FreshPageIn) {
      throw new RangeError(`pin reason ${String(reason)} is not a PinReason`);
    }
    if (!Number.isInteger(addressSpace) || addressSpace < 0) {
      throw new RangeError(`address space ${String(addressSpace)} is not a valid id`);
    }
    if (this.states[frame] === FrameState.Free) throw new FrameStateError(frame, `is free: there is nothing to pin (${pinReasonName(reason)} for address space ${addressSpace})`);
    const counted = (reason === PinReason.Dma || reason === PinReason.UserLock) && addressSpace !== KERNEL_ADDRESS_SPACE;
    let status: PinStatus = PinStatus.Held;
    if (counted) {
      const overLimit = this.quotaExceeded(addressSpace);
      if (this.quota.mode === 'refuse') {
        if (overLimit !== null) {
          this.ledger.refused++;
          throw overLimit;
        }
      } else if (overLimit !== null || this.underPressure) {
        // A hint the system disregards: the caller gets a handle, the frame stays evictable.
        status = PinStatus.Ignored;
      }
    }
    const pin = this.ledger.open(frame, reason, addressSpace, now, counted, status);
    if (status === PinStatus.Held) this.hold(pin);
    return pin.id;
  }

  unpin(pin: number, _now: number): void {
    const record = this.ledger.outstanding.get(pin);
    if (record === undefined) {
      if (this.ledger.wasIssued(pin)) throw new FrameStateError(this.ledger.frameOf(pin), `pin #${pin} was already released`);
      throw new UnknownPinError(pin, `pin #${String(pin)} was never handed out`);
    }
    if (record.status === PinStatus.Held) this.letGo(record);
    this.ledger.close(record);
  }

  pinRecord(pin: number): PinRecord | null {
    const record = this.ledger.outstanding.get(pin);
    return record === undefined ? null : { ...record };
  }

  outstandingPins(): readonly PinRecord[] {
    return Array.from(this.ledger.outstanding.values(), (pin) => ({ ...pin }));
  }

  pinCount(frame: number): number {
    this.checkFrame(frame);
    return this.pinCounts[frame]!;
  }

  isEvictable(frame: number): boolean {
    this.checkFrame(frame);
    return this.evictable.has(frame);
  }

  nextEvictable(from: number): number {
    return this.evictable.next(from);
  }

  *evictableFrames(): IterableIterator<number> {
    for (let frame = this.evictable.next(0); frame >= 0; frame = this.evictable.next(frame + 1)) yield frame;
  }

  lockedBy(addressSpace: number): number {
    return this.lockedBySpace.get(addressSpace) ?? 0;
  }

  dropHintLocks(_now: number): number {
    if (this.quota.mode !== 'hint') return 0;
    let dropped = 0;
    for (const pin of this.ledger.outstanding.values()) {
      if (!pin.counted || pin.status !== PinStatus.Held) continue;
      this.letGo(pin);
      pin.status = PinStatus.Dropped;
      dropped++;
    }
    this.ledger.dropped += dropped;
    return dropped;
  }

  audit(now: number, options: PinAuditOptions): PinAudit {
    const longHeld: PinFinding[] = [];
    const orphaned: PinFinding[] = [];
    const leaked: LeakedPin[] = [];
    for (const pin of this.ledger.outstanding.values()) {
      if (pin.status !== PinStatus.Held) continue;
      const finding: PinFinding = { pin: { ...pin }, heldFor: now - pin.pinnedAt };
      if (finding.heldFor > options.longLockLimit) longHeld.push(finding);
      if (pin.addressSpace !== KERNEL_ADDRESS_SPACE && !options.isLiveAddressSpace(pin.addressSpace)) {
        orphaned.push(finding);
        leaked.push({ ...finding, why: `its address space ${pin.addressSpace} no longer exists` });
        continue;
      }
      const why = options.disowned?.(finding.pin) ?? null;
      if (why !== null) leaked.push({ ...finding, why });
    }
    longHeld.sort((a, b) => b.heldFor - a.heldFor);
    // Oldest first; the ledger's order (pin ids) breaks ties, so the list is a function of the run.
    leaked.sort((a, b) => b.heldFor - a.heldFor || a.pin.id - b.pin.id);
    const stats = this.ledger.stats();
    return { at: now, stats, outstanding: stats.acquired - stats.released, longHeld, orphaned, leaked };
  }

  /** The quota error a new counted pin for `addressSpace` would hit, or null if it fits. */
  private quotaExceeded(addressSpace: number): LockQuotaError | null {
    const { perAddressSpace, global } = this.quota;
    const mine = this.lockedBy(addressSpace);
    if (mine + 1 > perAddressSpace) {
      return new LockQuotaError('address-space', perAddressSpace, `address space ${addressSpace} already holds ${mine} locked frame(s), its limit`);
    }
    if (this.lockedAll + 1 > global) {
      return new LockQuotaError('global', global, `${this.lockedAll} frames are locked system-wide, the global limit`);
    }
    return null;
  }

  private hold(pin: OutstandingPin): void {
    this.pinCounts[pin.frame]!++;
    this.evictable.delete(pin.frame);
    if (pin.counted) {
      this.lockedBySpace.set(pin.addressSpace, this.lockedBy(pin.addressSpace) + 1);
      this.lockedAll++;
    }
  }

  private letGo(pin: OutstandingPin): void {
    const remaining = --this.pinCounts[pin.frame]!;
    if (remaining === 0 && this.states[pin.frame] === FrameState.InUse) this.evictable.add(pin.frame);
    if (pin.counted) {
      const left = this.lockedBy(pin.addressSpace) - 1;
      if (left === 0) this.lockedBySpace.delete(pin.addressSpace);
      else this.lockedBySpace.set(pin.addressSpace, left);
      this.lockedAll--;
    }
  }

  private take(frame: number, state: FrameState, addressSpace: number, page: number): void {
    this.states[frame] = state;
    this.ownerSpaces[frame] = addressSpace;
    this.ownerPages[frame] = page;
    this.dirty[frame] = 0;
  }

  private checkFrame(frame: number): void {
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.frameCount) {
      throw new RangeError(`frame ${String(frame)} is outside 0..${this.frameCount - 1}`);
    }
  }

  private checkOwner(addressSpace: number, page: number): void {
    if (!Number.isInteger(addressSpace) || addressSpace < 0) throw new RangeError(`address space ${String(addressSpace)} is not a valid id`);
    if (!Number.isInteger(page) || page < 0) throw new RangeError(`page ${String(page)} is not a valid page number`);
  }
}

function stateName(state: FrameState): string {
  return state === FrameState.Free ? 'free' : state === FrameState.InUse ? 'in use' : 'wired';
}

function pinReasonName(reason: PinReason): string {
  switch (reason) {
    case PinReason.Dma:
      return 'DMA';
    case PinReason.UserLock:
      return 'user lock';
    case PinReason.Kernel:
      return 'kernel';
    case PinReason.FreshPageIn:
      return 'fresh page-in';
  }
}

/** Builds the pagelab frame table (the {@link FrameTableFactory} the kernel and the conformance suite use). */
export function createFrameTable(options: FrameTableOptions): TypedFrameTable {
  return new TypedFrameTable(options);
}

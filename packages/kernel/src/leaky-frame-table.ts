import {
  PinReason,
  type FrameState,
  type FrameTable,
  type LockQuota,
  type PageOwner,
  type PinAudit,
  type PinAuditOptions,
  type PinRecord,
  type PinStats,
} from '@pagelab/contracts';
import type { LockLeaker } from './lock-leaks.js';

/**
 * The frame table as the pager sees it when fresh-page locks are to leak: the real table, except
 * that while the kernel tells the pager of a dispatch (`atDispatch`), an unlock of a
 * fresh-page lock may be skipped, as the leaker decides. The pager believes it unlocked the
 * page and forgets the handle; the real table keeps the pin. Injecting at the seam the kernel
 * owns works for any pager, a lab's included. Only a run with that injection pays for the
 * extra call on the pager's path.
 */
export class FreshLockLeakingFrames implements FrameTable {
  /** True while the kernel is inside `pager.onDispatch`: the one release the injection targets. */
  atDispatch = false;

  constructor(
    private readonly table: FrameTable,
    private readonly leaker: LockLeaker,
  ) {}

  get specificationVersion() {
    return this.table.specificationVersion;
  }
  get frameCount(): number {
    return this.table.frameCount;
  }
  get freeFrames(): number {
    return this.table.freeFrames;
  }
  get quota(): LockQuota {
    return this.table.quota;
  }
  get pinStats(): PinStats {
    return this.table.pinStats;
  }
  get evictableCount(): number {
    return this.table.evictableCount;
  }
  get lockedTotal(): number {
    return this.table.lockedTotal;
  }
  get underPressure(): boolean {
    return this.table.underPressure;
  }

  unpin(pin: number, now: number): void {
    if (this.atDispatch && this.table.pinRecord(pin)?.reason === PinReason.FreshPageIn && this.leaker.leaks(pin)) return;
    this.table.unpin(pin, now);
  }

  state(frame: number): FrameState {
    return this.table.state(frame);
  }
  owner(frame: number): PageOwner | null {
    return this.table.owner(frame);
  }
  ownerAddressSpace(frame: number): number {
    return this.table.ownerAddressSpace(frame);
  }
  ownerPage(frame: number): number {
    return this.table.ownerPage(frame);
  }
  isDirty(frame: number): boolean {
    return this.table.isDirty(frame);
  }
  setDirty(frame: number, dirty: boolean): void {
    this.table.setDirty(frame, dirty);
  }
  allocate(addressSpace: number, page: number): number {
    return this.table.allocate(addressSpace, page);
  }
  allocateWired(): number {
    return this.table.allocateWired();
  }
  reassign(frame: number, addressSpace: number, page: number): void {
    this.table.reassign(frame, addressSpace, page);
  }
  free(frame: number): void {
    this.table.free(frame);
  }
  pin(frame: number, reason: PinReason, addressSpace: number, now: number): number {
    return this.table.pin(frame, reason, addressSpace, now);
  }
  pinRecord(pin: number): PinRecord | null {
    return this.table.pinRecord(pin);
  }
  outstandingPins(): readonly PinRecord[] {
    return this.table.outstandingPins();
  }
  pinCount(frame: number): number {
    return this.table.pinCount(frame);
  }
  isEvictable(frame: number): boolean {
    return this.table.isEvictable(frame);
  }
  nextEvictable(from: number): number {
    return this.table.nextEvictable(from);
  }
  evictableFrames(): IterableIterator<number> {
    return this.table.evictableFrames();
  }
  lockedBy(addressSpace: number): number {
    return this.table.lockedBy(addressSpace);
  }
  dropHintLocks(now: number): number {
    return this.table.dropHintLocks(now);
  }
  audit(now: number, options: PinAuditOptions): PinAudit {
    return this.table.audit(now, options);
  }
}

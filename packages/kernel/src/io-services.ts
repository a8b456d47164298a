import {
  AccessKind,
  isPagelabError,
  PinReason,
  PinStatus,
  TransferDirection,
  type FrameTable,
  type IoServices,
  type PhysicalMemory,
  type PhysicalSegment,
  type SimulatedClock,
  type UserBuffer,
} from '@pagelab/contracts';
import { WiredBouncePool, type BouncePool } from './bounce-pool.js';
import { IoMeter } from './io-meter.js';
import type { LockLeaker } from './lock-leaks.js';
import type { UserMemory } from './user-memory.js';

/**
 * What the kernel lets an I/O buffer strategy do: make a buffer resident and name its
 * frames, pin and unpin them for DMA, and borrow, copy through and return bounce buffers
 * from the kernel-wired pool. The strategy decides; this does the work and keeps the books.
 */
export class KernelIoServices implements IoServices {
  private readonly pinSets = new Map<number, number[]>();
  /** Every transfer pin a pin set still holds: what the leak audit asks to tell a live pin from a leaked one. */
  private readonly transferPins = new Set<number>();
  /** Fault injection: decides which transfer pins are never released (null: every one is). */
  leaker: LockLeaker | null = null;
  /** When the frame table dropped a transfer pin under memory pressure, by pin handle. */
  private readonly droppedAt = new Map<number, number>();
  private droppedSeen = 0;
  /** Bounce buffers lent out: their pool pages, and which of them a transfer still holds. */
  private readonly bounceInUse = new Map<number, { readonly pages: number[]; readonly held: Set<number> }>();
  /** Pool pages not lent out, in the order they are lent. */
  private readonly bounceFree: number[];
  /** The frames a transfer holds, by frame: which buffer and pool page each is. */
  private readonly heldFrames = new Map<number, { readonly id: number; readonly page: number }>();
  private readonly pool: BouncePool;
  private nextId = 1;
  /** What the kernel measured of the I/O done through these services. */
  readonly meter = new IoMeter();
  readonly bouncePoolBytes: number;

  /**
   * @param bouncePool the bounce pool: its kernel-wired frames, or a pool whose pages are held only while a transfer uses them
   * @param copyCyclesPerByte the cost model's copy cost
   */
  constructor(
    private readonly user: UserMemory,
    private readonly frames: FrameTable,
    private readonly memory: PhysicalMemory,
    private readonly clock: SimulatedClock,
    bouncePool: readonly number[] | BouncePool,
    private readonly copyCyclesPerByte: number,
  ) {
    this.pool = Array.isArray(bouncePool) ? new WiredBouncePool(bouncePool) : (bouncePool as BouncePool);
    this.bounceFree = Array.from({ length: this.pool.pages }, (_, i) => i);
    this.bouncePoolBytes = this.pool.pages * memory.pageSize;
  }

  checkRange(buffer: UserBuffer, direction: TransferDirection): boolean {
    const access = direction === TransferDirection.DeviceToMemory ? AccessKind.Write : AccessKind.Read;
    return this.user.isAccessibleRange(buffer.addressSpace, buffer.address, buffer.length, access);
  }

  /**
   * Notes the time of any transfer pin the frame table has dropped since the last look (the
   * pager drops hint pins while it serves a fault), so the pin's held time ends there. The
   * kernel calls this after every fault it has the pager serve.
   */
  observeDrops(): void {
    const dropped = this.frames.pinStats.dropped;
    if (dropped === this.droppedSeen) return;
    this.droppedSeen = dropped;
    for (const pins of this.pinSets.values()) {
      for (const pin of pins) {
        if (!this.droppedAt.has(pin) && this.frames.pinRecord(pin)?.status === PinStatus.Dropped) this.droppedAt.set(pin, this.clock.now);
      }
    }
  }

  /** Bounce frames not lent out. */
  get bounceFramesFree(): number {
    return this.bounceFree.length;
  }

  residentSegments(buffer: UserBuffer, direction: TransferDirection): readonly PhysicalSegment[] | null {
    if (!this.user.isValidRange(buffer.addressSpace, buffer.address, buffer.length)) return null;
    const pageSize = this.memory.pageSize;
    const segments: PhysicalSegment[] = [];
    // Faulting in page k may evict page j < k of the same buffer when frames are scarce, so each
    // page is held with a kernel pin until the whole buffer is resident, then let go: whatever
    // the strategy does next happens before anything else can run.
    const held: number[] = [];
    try {
      let offset = 0;
      while (offset < buffer.length) {
        const at = buffer.address + offset;
        const n = Math.min(pageSize - (at & (pageSize - 1)), buffer.length - offset);
        // A DMA into memory writes the page: translating for Write checks it may be written and
        // sets its modified bit, so the pager writes it back instead of dropping the data.
        const access = direction === TransferDirection.DeviceToMemory ? AccessKind.Write : AccessKind.Read;
        const physical = this.user.physical(buffer.addressSpace, at, access);
        held.push(this.frames.pin(Math.floor(physical / pageSize), PinReason.Kernel, buffer.addressSpace, this.clock.now));
        segments.push({ address: physical, length: n });
        offset += n;
      }
    } catch (error) {
      if (isPagelabError(error, 'BAD_ADDRESS')) return null;
      throw error;
    } finally {
      for (const pin of held) this.frames.unpin(pin, this.clock.now);
    }
    return segments;
  }

  pinForTransfer(segments: readonly PhysicalSegment[], addressSpace: number): number | null {
    const pageSize = this.memory.pageSize;
    const pins: number[] = [];
    try {
      for (const segment of segments) {
        pins.push(this.frames.pin(Math.floor(segment.address / pageSize), PinReason.Dma, addressSpace, this.clock.now));
      }
    } catch (error) {
      for (const pin of pins) this.frames.unpin(pin, this.clock.now);
      if (isPagelabError(error, 'LOCK_QUOTA')) {
        this.meter.quotaRefusals++;
        return null;
      }
      throw error;
    }
    this.meter.dmaPins += pins.length;
    for (const pin of pins) this.transferPins.add(pin);
    const id = this.nextId++;
    this.pinSets.set(id, pins);
    return id;
  }

  releasePins(pinSet: number): void {
    const pins = this.pinSets.get(pinSet);
    if (pins === undefined) throw new RangeError(`pin set ${pinSet} is not held`);
    this.pinSets.delete(pinSet);
    const now = this.clock.now;
    for (const pin of pins) {
      // The frame table's record says whether the pin ever held its frame, and since when.
      const record = this.frames.pinRecord(pin);
      if (record !== null) {
        if (record.status === PinStatus.Held) this.meter.pinnedFrameCycles += now - record.pinnedAt;
        else if (record.status === PinStatus.Dropped) this.meter.pinnedFrameCycles += (this.droppedAt.get(pin) ?? now) - record.pinnedAt;
        else this.meter.dmaPinsIgnored++;
      }
      this.droppedAt.delete(pin);
      this.transferPins.delete(pin);
      // A leaked pin: the strategy believes the frame is let go; the frame table still holds it.
      if (record?.status === PinStatus.Held && this.leaker?.kind === 'io-pin' && this.leaker.leaks(pin)) continue;
      this.frames.unpin(pin, now);
    }
  }

  /** True while a transfer's pin set holds `pin` (it will be released when the transfer completes). */
  holdsTransferPin(pin: number): boolean {
    return this.transferPins.has(pin);
  }

  allocateBounce(length: number): { readonly id: number; readonly segments: readonly PhysicalSegment[] } | null {
    const pageSize = this.memory.pageSize;
    const needed = Math.max(1, Math.ceil(length / pageSize));
    if (needed > this.bounceFree.length) return null;
    const pages = this.bounceFree.splice(0, needed);
    const id = this.nextId++;
    const held = new Set<number>();
    const frames: number[] = [];
    try {
      // The transfer addresses the pages physically: each is held until the transfer ends.
      for (const page of pages) {
        const frame = this.pool.hold(page);
        held.add(page);
        this.heldFrames.set(frame, { id, page });
        frames.push(frame);
      }
    } catch (error) {
      // Bringing a page in failed (no frame, no swap): the buffer is not lent after all.
      frames.forEach((frame) => this.heldFrames.delete(frame));
      for (const page of held) this.pool.release(page);
      this.bounceFree.unshift(...pages);
      throw error;
    }
    this.bounceInUse.set(id, { pages, held });
    return { id, segments: frames.map((frame, i) => ({ address: frame * pageSize, length: Math.min(pageSize, length - i * pageSize) })) };
  }

  /**
   * The transfer over `segments` has ended (its completion interrupt): the bounce pages it
   * held are let go, before any copy out of them. A wired pool keeps them anyway; a pageable
   * one may now have them evicted, even while the copy faults the user's pages in.
   */
  endTransfer(segments: readonly PhysicalSegment[]): void {
    const pageSize = this.memory.pageSize;
    for (const segment of segments) {
      const frame = Math.floor(segment.address / pageSize);
      const owner = this.heldFrames.get(frame);
      if (owner === undefined) continue;
      this.heldFrames.delete(frame);
      this.bounceInUse.get(owner.id)?.held.delete(owner.page);
      this.pool.release(owner.page);
    }
  }

  freeBounce(id: number): void {
    const buffer = this.bounceInUse.get(id);
    if (buffer === undefined) throw new RangeError(`bounce buffer ${id} is not lent out`);
    this.bounceInUse.delete(id);
    // A buffer given back without its transfer having run (cancelled, or its request failed).
    for (const [frame, owner] of this.heldFrames) if (owner.id === id) this.heldFrames.delete(frame);
    for (const page of buffer.held) this.pool.release(page);
    this.bounceFree.push(...buffer.pages);
  }

  copyBounce(id: number, buffer: UserBuffer, direction: TransferDirection, length: number): number {
    const taken = this.bounceInUse.get(id);
    if (taken === undefined) throw new RangeError(`bounce buffer ${id} is not lent out`);
    // One bounce page at a time, straight between physical memory and the user's pages; each
    // page's frame is looked up when its turn comes (copying the last one's may have evicted it).
    const pageSize = this.memory.pageSize;
    const bytes = this.memory.bytes;
    const access = direction === TransferDirection.DeviceToMemory ? AccessKind.Read : AccessKind.Write;
    let copied = 0;
    try {
      taken.pages.forEach((page, i) => {
        const n = Math.min(pageSize, length - i * pageSize);
        if (n <= 0) return;
        const frame = this.pool.frameFor(page, access);
        const user = buffer.address + i * pageSize;
        if (direction === TransferDirection.DeviceToMemory) {
          this.user.copyOut(buffer.addressSpace, user, bytes.subarray(frame * pageSize, frame * pageSize + n));
        } else {
          bytes.set(this.user.copyIn(buffer.addressSpace, user, n), frame * pageSize);
        }
        copied += n;
      });
    } finally {
      // The kernel charges and counts the bytes it moved, whatever the strategy says of them.
      const cycles = copied * this.copyCyclesPerByte;
      this.meter.bytesCopied += copied;
      this.meter.copyCycles += cycles;
      this.clock.advance(cycles);
    }
    return copied;
  }
}

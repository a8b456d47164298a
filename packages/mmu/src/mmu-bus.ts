import { AccessKind, BusFault, type AccessSize, type Bus } from '@pagelab/contracts';
import type { PagedMmu } from './mmu.js';

/**
 * The CPU's view of one address space: every reference is translated by the MMU and lands in
 * physical memory; a failed translation throws the contract's `BusFault` with its cause.
 *
 * The common case (the reference lies inside one page) costs one `translate` call, which is
 * a TLB lookup in typed arrays. A reference that straddles two pages is translated byte by
 * byte before any byte moves, so a write that faults on its second page changes no memory;
 * for an even-addressed long (the only kind a 68000 makes) the faulting byte is the first
 * byte of the failing word, so the fault names that word, as the contract asks.
 */
export class MmuBus implements Bus {
  private readonly lastWordOffset: number;
  private readonly lastLongOffset: number;
  private readonly offsetMask: number;
  /** Physical addresses of a straddling reference's bytes, reused to avoid allocating. */
  private readonly straddle = new Int32Array(4);
  private readonly addressMask: number;
  private readonly pageShift: number;
  // The last page translated for each access kind (read, write, fetch): a hit skips the TLB's
  // set search but still sets R/M and counts as a TLB hit. Valid while no invalidation happened.
  private readonly lastPage = new Int32Array([-1, -1, -1]);
  private readonly lastBase = new Int32Array(3);
  private readonly lastPte = new Int32Array(3);
  private readonly lastGeneration = new Int32Array(3);

  constructor(
    private readonly mmu: PagedMmu,
    readonly addressSpace: number,
    private readonly bytes: Uint8Array,
    pageSize: number,
  ) {
    this.offsetMask = pageSize - 1;
    this.addressMask = mmu.addressMask;
    this.pageShift = mmu.pageShift;
    this.lastWordOffset = pageSize - 2;
    this.lastLongOffset = pageSize - 4;
  }

  read8(address: number): number {
    return this.bytes[this.physical(address, AccessKind.Read, 1)]!;
  }

  read16(address: number): number {
    return this.word(address, AccessKind.Read);
  }

  fetch16(address: number): number {
    return this.word(address, AccessKind.Fetch);
  }

  read32(address: number): number {
    if ((address & this.offsetMask) <= this.lastLongOffset) {
      const p = this.physical(address, AccessKind.Read, 4);
      const b = this.bytes;
      return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    }
    this.translateStraddle(address, 4, AccessKind.Read);
    return this.straddleValue(4) >>> 0;
  }

  write8(address: number, value: number): void {
    this.bytes[this.physical(address, AccessKind.Write, 1)] = value;
  }

  write16(address: number, value: number): void {
    if ((address & this.offsetMask) <= this.lastWordOffset) {
      const p = this.physical(address, AccessKind.Write, 2);
      this.bytes[p] = value >>> 8;
      this.bytes[p + 1] = value;
      return;
    }
    this.translateStraddle(address, 2, AccessKind.Write);
    this.storeStraddle(2, value);
  }

  write32(address: number, value: number): void {
    if ((address & this.offsetMask) <= this.lastLongOffset) {
      const p = this.physical(address, AccessKind.Write, 4);
      const b = this.bytes;
      b[p] = value >>> 24;
      b[p + 1] = value >>> 16;
      b[p + 2] = value >>> 8;
      b[p + 3] = value;
      return;
    }
    this.translateStraddle(address, 4, AccessKind.Write);
    this.storeStraddle(4, value);
  }

  private word(address: number, access: AccessKind): number {
    if ((address & this.offsetMask) <= this.lastWordOffset) {
      const p = this.physical(address, access, 2);
      return (this.bytes[p]! << 8) | this.bytes[p + 1]!;
    }
    this.translateStraddle(address, 2, access);
    return this.straddleValue(2);
  }

  /** Translates every byte of a reference that crosses a page boundary, faulting before any byte moves. */
  /** The physical address of a reference that stays within one page, or a thrown BusFault. */
  private physical(address: number, access: AccessKind, size: AccessSize): number {
    const virtual = (address & this.addressMask) >>> 0;
    const page = virtual >>> this.pageShift;
    const generation = this.mmu.translationGeneration;
    if (this.lastPage[access] === page && this.lastGeneration[access] === generation) {
      this.mmu.recordCachedAccess(this.lastPte[access]!, access);
      return this.lastBase[access]! + (virtual & this.offsetMask);
    }
    const physical = this.mmu.translate(this.addressSpace, address, access);
    if (physical < 0) this.fault(address, access, size);
    this.lastPage[access] = page;
    this.lastBase[access] = physical - (virtual & this.offsetMask);
    this.lastPte[access] = this.mmu.lastPteSlot;
    this.lastGeneration[access] = generation;
    return physical;
  }

  private translateStraddle(address: number, size: AccessSize, access: AccessKind): void {
    for (let i = 0; i < size; i++) {
      const byteAddress = (address + i) >>> 0;
      const p = this.mmu.translate(this.addressSpace, byteAddress, access);
      if (p < 0) this.fault(byteAddress, access, size);
      this.straddle[i] = p;
    }
  }

  private straddleValue(size: number): number {
    let value = 0;
    for (let i = 0; i < size; i++) value = (value << 8) | this.bytes[this.straddle[i]!]!;
    return value;
  }

  private storeStraddle(size: number, value: number): void {
    for (let i = 0; i < size; i++) this.bytes[this.straddle[i]!] = value >>> (8 * (size - 1 - i));
  }

  private fault(address: number, access: AccessKind, size: AccessSize): never {
    // The contract's BusFault deliberately is not an Error: no stack trace on every page fault.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw new BusFault(address, access, size, this.mmu.lastFault.cause);
  }
}

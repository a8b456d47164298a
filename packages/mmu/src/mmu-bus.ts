import { AccessKind, BusFault, type AccessSize, type Bus, type PageWindow, type Mmu } from '@pagelab/contracts';
import { AddressSpaceWindow } from './address-space-window.js';

/**
 * The CPU's view of one address space: every reference is translated by the MMU and lands in
 * physical memory; a failed translation throws the contract's `BusFault` with its cause.
 *
 * The bus uses only the public `Mmu` surface: one `translate` per page a reference touches,
 * so every reference counts once in the MMU's own TLB statistics (there is no second cache
 * here that could outlive a TLB entry). `translate`'s hit path is a typed-array lookup in
 * this package, so a TLB hit crosses no package boundary.
 *
 * A reference that straddles two pages translates both pages before any byte moves, so a
 * write that faults on its second page changes no memory; for an even-addressed long (the
 * only kind a 68000 makes) the second page starts at a word, so the fault names the failing
 * word, as the contract asks.
 */
export class MmuBus implements Bus {
  private readonly pageSize: number;
  private readonly offsetMask: number;
  private readonly lastWordOffset: number;
  private readonly lastLongOffset: number;
  /** Physical addresses of a straddling reference's bytes, reused to avoid allocating. */
  private readonly straddle = new Int32Array(4);
  /** The address space as physical memory: each answer one `translate`, as a reference makes. */
  readonly pages: PageWindow;

  constructor(
    private readonly mmu: Mmu,
    readonly addressSpace: number,
    private readonly bytes: Uint8Array,
  ) {
    this.pageSize = mmu.pageSize;
    this.offsetMask = mmu.pageSize - 1;
    this.lastWordOffset = mmu.pageSize - 2;
    this.lastLongOffset = mmu.pageSize - 4;
    this.pages = new AddressSpaceWindow(mmu, addressSpace, bytes);
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

  /** The physical address of a reference that stays within one page, or a thrown BusFault. */
  private physical(address: number, access: AccessKind, size: AccessSize): number {
    const physical = this.mmu.translate(this.addressSpace, address, access);
    if (physical < 0) this.fault(address, access, size);
    return physical;
  }

  /** Translates both pages of a reference that crosses a page boundary, faulting before any byte moves. */
  private translateStraddle(address: number, size: AccessSize, access: AccessKind): void {
    const first = this.physical(address, access, size);
    const inFirst = this.pageSize - (address & this.offsetMask);
    const nextPage = (address + inFirst) >>> 0;
    const second = this.physical(nextPage, access, size);
    for (let i = 0; i < size; i++) this.straddle[i] = i < inFirst ? first + i : second + (i - inFirst);
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

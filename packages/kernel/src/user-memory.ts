import {
  AccessKind,
  BadAddressError,
  FaultCause,
  Protection,
  type Mmu,
  type PhysicalMemory,
} from '@pagelab/contracts';

/** The protection bit each kind of access needs. */
const protectionFor: Readonly<Record<AccessKind, Protection>> = {
  [AccessKind.Read]: Protection.Read,
  [AccessKind.Write]: Protection.Write,
  [AccessKind.Fetch]: Protection.Execute,
};

/**
 * The kernel's access to user memory (for system calls and bounce copies): every page is
 * translated through the MMU, faulted in through the pager when it is not present, and a
 * page outside the address space (or one the access is not allowed on) is a
 * {@link BadAddressError}, which a system call turns into -EFAULT.
 */
export class UserMemory {
  /** @param pageIn brings a page in on the process's behalf (the kernel's pager, which records the fault and watches for dropped pins) */
  constructor(
    private readonly mmu: Mmu,
    private readonly pageIn: (addressSpace: number, page: number, access: AccessKind) => void,
    private readonly memory: PhysicalMemory,
  ) {}

  /**
   * The physical address of user `address` for `access`, faulting the page in if needed.
   * Each page-in counts as a fault served on the process's behalf.
   */
  physical(addressSpace: number, address: number, access: AccessKind): number {
    for (let attempt = 0; attempt < 4; attempt++) {
      const physical = this.mmu.translate(addressSpace, address, access);
      if (physical >= 0) return physical;
      const fault = this.mmu.lastFault;
      if (fault.cause !== FaultCause.NotPresent) {
        const why = fault.cause === FaultCause.Protection ? 'not allowed on that page' : 'outside the address space';
        throw new BadAddressError(address, `user address 0x${(address >>> 0).toString(16)} is ${why}`);
      }
      this.pageIn(addressSpace, fault.page, access);
    }
    throw new BadAddressError(address, `user address 0x${(address >>> 0).toString(16)} could not be made resident`);
  }

  /** Copies `length` user bytes at `address` out of the address space (the kernel reading, for write()). */
  copyIn(addressSpace: number, address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.walk(addressSpace, address, length, AccessKind.Read, (physical, offset, n) => {
      out.set(this.memory.bytes.subarray(physical, physical + n), offset);
    });
    return out;
  }

  /** Copies `bytes` into the address space at `address` (the kernel writing, for read()). */
  copyOut(addressSpace: number, address: number, bytes: Uint8Array): void {
    this.walk(addressSpace, address, bytes.length, AccessKind.Write, (physical, offset, n) => {
      this.memory.bytes.set(bytes.subarray(offset, offset + n), physical);
    });
  }

  /**
   * Checks that `[address, address + length)` lies inside the address space and that every page
   * of it allows `access`, without faulting anything in or touching a referenced bit. User
   * pointers are 32-bit: a range that runs past the top of the address space (or wraps past
   * 2^32) is outside it, as Linux's `access_ok` says, even though the 68000's bus would alias it.
   */
  isValidRange(addressSpace: number, address: number, length: number, access?: AccessKind): boolean {
    if (!Number.isInteger(length) || length < 0 || !Number.isInteger(address) || address < 0 || address > 0xffff_ffff) return false;
    if (length === 0) return true;
    const top = this.mmu.pagesPerAddressSpace * this.mmu.pageSize;
    if (address >= top || length > top - address) return false;
    const shift = this.mmu.pageShift;
    const allowed: number = access === undefined ? 0 : protectionFor[access];
    for (let page = address >>> shift; page <= (address + length - 1) >>> shift; page++) {
      const entry = this.mmu.entry(addressSpace, page);
      if (entry === null || ((entry.protection as number) & allowed) !== allowed) return false;
    }
    return true;
  }

  /**
   * Checks that every page of `[address, address + length)` is in the address space and allows
   * `access`, from the page table alone: nothing is faulted in, no referenced or modified bit changes.
   */
  isAccessibleRange(addressSpace: number, address: number, length: number, access: AccessKind): boolean {
    if (!this.isValidRange(addressSpace, address, length)) return false;
    const needed = access === AccessKind.Write ? Protection.Write : access === AccessKind.Fetch ? Protection.Execute : Protection.Read;
    const shift = this.mmu.pageShift;
    for (let page = address >>> shift; length > 0 && page <= (address + length - 1) >>> shift; page++) {
      if ((this.mmu.entry(addressSpace, page)!.protection & needed) === 0) return false;
    }
    return true;
  }

  /** Visits the range page by page: `visit(physicalAddress, offsetInRange, bytesInThisPage)`. */
  private walk(addressSpace: number, address: number, length: number, access: AccessKind, visit: (physical: number, offset: number, n: number) => void): void {
    if (!this.isValidRange(addressSpace, address, length)) {
      throw new BadAddressError(address, `user range 0x${(address >>> 0).toString(16)}+${length} is outside the address space`);
    }
    const pageSize = this.mmu.pageSize;
    let offset = 0;
    while (offset < length) {
      const at = address + offset;
      const n = Math.min(pageSize - (at & (pageSize - 1)), length - offset);
      visit(this.physical(addressSpace, at, access), offset, n);
      offset += n;
    }
  }
}

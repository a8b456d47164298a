import { AccessKind, type Mmu, type PageWindow } from '@pagelab/contracts';

/**
 * One address space as a {@link PageWindow}: each answer is one `translate` (the reference's
 * effects on referenced and modified bits and on TLB statistics included), and `peekAt` a
 * page-table lookup with no effect.
 *
 * A class, not an object of arrow functions: every window then calls the same prototype
 * methods, so code that V8 optimised against one address space's window (a translated
 * region, shared by every CPU that compiles the same code) stays valid for the next.
 */
export class AddressSpaceWindow implements PageWindow {
  readonly pageSize: number;
  private readonly pageShift: number;
  private readonly offsetMask: number;

  constructor(
    private readonly mmu: Mmu,
    private readonly addressSpace: number,
    readonly bytes: Uint8Array,
  ) {
    this.pageSize = mmu.pageSize;
    this.pageShift = mmu.pageShift;
    this.offsetMask = mmu.pageSize - 1;
  }

  fetchAt(address: number): number {
    return this.mmu.translate(this.addressSpace, address, AccessKind.Fetch);
  }

  readAt(address: number): number {
    return this.mmu.translate(this.addressSpace, address, AccessKind.Read);
  }

  writeAt(address: number): number {
    return this.mmu.translate(this.addressSpace, address, AccessKind.Write);
  }

  peekAt(address: number): number {
    const frame = this.mmu.frameOf(this.addressSpace, address >>> this.pageShift);
    return frame < 0 ? -1 : frame * this.pageSize + (address & this.offsetMask);
  }
}

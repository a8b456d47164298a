import { MappingError, type PageMapping } from '@pagelab/contracts';
import { PTE_PRESENT, pteFrame } from './pte.js';

/** Entries per leaf table: 1024 packed entries (4 KiB), or the whole address space if smaller. */
const MAX_LEAF_BITS = 10;

/**
 * Every address space's two-level page table, with all leaf tables packed into one shared
 * `Uint32Array` pool.
 *
 * A flat table for a 32-bit space of 4 KiB pages would be 2^20 entries per process; most are
 * never touched, so leaves are allocated on first use. Keeping all leaves in one pool gives
 * every entry a single global index, which is what the TLB stores to set referenced/modified
 * bits on a hit without walking anything.
 */
export class PageTables {
  /** The leaf pool. Replaced (grown) when it fills up, so always read it through this field. */
  entries: Uint32Array;
  readonly leafBits: number;
  readonly leafSize: number;
  readonly leafMask: number;
  private readonly directorySize: number;
  private readonly directories = new Map<number, Int32Array>();
  private readonly freeLeaves: number[] = [];
  private leavesUsed = 0;

  /** @param pageBits log2 of the number of pages in one address space */
  constructor(readonly pagesPerAddressSpace: number, pageBits: number) {
    this.leafBits = Math.min(MAX_LEAF_BITS, pageBits);
    this.leafSize = 1 << this.leafBits;
    this.leafMask = this.leafSize - 1;
    this.directorySize = pagesPerAddressSpace >>> this.leafBits;
    this.entries = new Uint32Array(this.leafSize * 8);
  }

  create(addressSpace: number): void {
    this.directories.set(addressSpace, new Int32Array(this.directorySize).fill(-1));
  }

  has(addressSpace: number): boolean {
    return this.directories.has(addressSpace);
  }

  /** Drops an address space's tables and returns the pages that were present. */
  destroy(addressSpace: number): PageMapping[] {
    const directory = this.directoryOf(addressSpace);
    const present: PageMapping[] = [];
    for (let slot = 0; slot < directory.length; slot++) {
      const leaf = directory[slot]!;
      if (leaf < 0) continue;
      const start = leaf * this.leafSize;
      for (let i = 0; i < this.leafSize; i++) {
        const entry = this.entries[start + i]!;
        if ((entry & PTE_PRESENT) !== 0) present.push({ page: (slot << this.leafBits) | i, frame: pteFrame(entry) });
      }
      // Zeroed now so a leaf handed out again starts as an empty table.
      this.entries.fill(0, start, start + this.leafSize);
      this.freeLeaves.push(leaf);
    }
    this.directories.delete(addressSpace);
    return present;
  }

  /** The global index of `page`'s entry, or -1 when its leaf was never allocated (the page is invalid). */
  find(addressSpace: number, page: number): number {
    const leaf = this.directoryOf(addressSpace)[page >>> this.leafBits];
    return leaf === undefined || leaf < 0 ? -1 : leaf * this.leafSize + (page & this.leafMask);
  }

  /** The global index of `page`'s entry, allocating its leaf if needed. */
  locate(addressSpace: number, page: number): number {
    const directory = this.directoryOf(addressSpace);
    const slot = page >>> this.leafBits;
    let leaf = directory[slot]!;
    if (leaf < 0) {
      leaf = this.allocateLeaf();
      directory[slot] = leaf;
    }
    return leaf * this.leafSize + (page & this.leafMask);
  }

  /** The packed entry of `page`, or 0 (invalid) when it has no leaf. */
  read(addressSpace: number, page: number): number {
    const index = this.find(addressSpace, page);
    return index < 0 ? 0 : this.entries[index]!;
  }

  private directoryOf(addressSpace: number): Int32Array {
    const directory = this.directories.get(addressSpace);
    if (directory === undefined) throw new MappingError(addressSpace, -1, `address space ${addressSpace} does not exist`);
    return directory;
  }

  private allocateLeaf(): number {
    const reused = this.freeLeaves.pop();
    if (reused !== undefined) return reused;
    const leaf = this.leavesUsed++;
    if ((leaf + 1) * this.leafSize > this.entries.length) {
      const grown = new Uint32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    return leaf;
  }
}

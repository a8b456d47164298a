/**
 * A set-associative TLB in typed arrays, tagged with the address-space id.
 *
 * Entry `i` caches one present page: its address space, page number, the physical address
 * of its frame, its protection, and the global index of its page-table entry (so a hit can
 * set referenced/modified in the page table directly). The set of a page is
 * `(page ^ addressSpace) & setMask`, so the same page number in different address spaces
 * (everyone's code starts at page 0) does not all land in one set. Within a set the victim is
 * chosen round-robin: deterministic, and what small hardware TLBs do.
 */
export class Tlb {
  readonly ways: number;
  readonly setMask: number;
  /** Address-space tag; -1 marks an empty entry. */
  readonly space: Int32Array;
  readonly page: Int32Array;
  /** Physical address of the first byte of the page's frame. */
  readonly frameBase: Int32Array;
  readonly protection: Uint8Array;
  /** Global page-table-entry index (see PageTables). */
  readonly pte: Int32Array;
  /**
   * The entry of the last hit per access kind (read, write, fetch), copied out of its slot so
   * the hit path reads four small arrays instead of searching a set. It is part of this TLB,
   * not a second cache: a copy is dropped whenever its slot is replaced or invalidated, so it
   * is valid exactly while the entry it copies is in the TLB.
   */
  readonly recentSpace = new Int32Array(3).fill(-1);
  readonly recentPage = new Int32Array(3);
  readonly recentFrameBase = new Int32Array(3);
  readonly recentPte = new Int32Array(3);
  private readonly recentSlot = new Int32Array(3).fill(-1);
  private readonly nextVictim: Uint16Array;

  constructor(entries: number, ways: number) {
    this.ways = ways;
    const sets = entries / ways;
    this.setMask = sets - 1;
    this.space = new Int32Array(entries).fill(-1);
    this.page = new Int32Array(entries);
    this.frameBase = new Int32Array(entries);
    this.protection = new Uint8Array(entries);
    this.pte = new Int32Array(entries);
    this.nextVictim = new Uint16Array(sets);
  }

  /**
   * Caches a translation, replacing an empty way if there is one, else the set's round-robin
   * victim, and returns the slot it used.
   */
  insert(addressSpace: number, page: number, frameBase: number, protection: number, pte: number): number {
    const set = (page ^ addressSpace) & this.setMask;
    const first = set * this.ways;
    let slot = -1;
    for (let i = first; i < first + this.ways; i++) {
      if (this.space[i] === -1) {
        slot = i;
        break;
      }
    }
    if (slot < 0) {
      const way = this.nextVictim[set]!;
      slot = first + way;
      this.nextVictim[set] = (way + 1) % this.ways;
    }
    this.forgetRecent(slot);
    this.space[slot] = addressSpace;
    this.page[slot] = page;
    this.frameBase[slot] = frameBase;
    this.protection[slot] = protection;
    this.pte[slot] = pte;
    return slot;
  }

  /** Makes the entry in `slot` the recent one for `access` (it must allow that access). */
  setRecent(access: number, slot: number): void {
    this.recentSpace[access] = this.space[slot]!;
    this.recentPage[access] = this.page[slot]!;
    this.recentFrameBase[access] = this.frameBase[slot]!;
    this.recentPte[access] = this.pte[slot]!;
    this.recentSlot[access] = slot;
  }

  /** Drops the recent copies of `slot` (it is being replaced or invalidated). */
  private forgetRecent(slot: number): void {
    for (let access = 0; access < 3; access++) {
      if (this.recentSlot[access] === slot) {
        this.recentSpace[access] = -1;
        this.recentSlot[access] = -1;
      }
    }
  }

  /** Removes the entry of one page, if cached. */
  invalidatePage(addressSpace: number, page: number): void {
    const first = ((page ^ addressSpace) & this.setMask) * this.ways;
    for (let i = first; i < first + this.ways; i++) {
      if (this.space[i] === addressSpace && this.page[i] === page) {
        this.space[i] = -1;
        this.forgetRecent(i);
      }
    }
  }

  /** Removes every entry of one address space. */
  invalidateAddressSpace(addressSpace: number): void {
    const { space } = this;
    for (let i = 0; i < space.length; i++) {
      if (space[i] === addressSpace) {
        space[i] = -1;
        this.forgetRecent(i);
      }
    }
  }

  /** Empties the TLB. */
  invalidateAll(): void {
    this.space.fill(-1);
    this.recentSpace.fill(-1);
    this.recentSlot.fill(-1);
  }
}

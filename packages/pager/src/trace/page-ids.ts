/**
 * Maps sparse page numbers (a 64-bit process's pages are scattered over 2^36 numbers) to
 * dense ids 0, 1, 2, ... in order of first appearance, so the simulator can index typed
 * arrays by page. Open addressing with linear probing over typed arrays: no Map, no boxing,
 * no allocation per lookup. Page numbers must be integers in [0, 2^53).
 */
export class PageIdTable {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  private pagesById: Float64Array;
  /** How many distinct pages have been seen. */
  size = 0;
  private lastPage = -1;
  private lastId = -1;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.pagesById = new Float64Array(capacity >> 1);
  }

  /** The dense id of `page`, assigning the next one on first sight. */
  idOf(page: number): number {
    // Consecutive references mostly fall in the same page (straight-line instruction fetches).
    if (page === this.lastPage) return this.lastId;
    const id = this.lookUp(page);
    this.lastPage = page;
    this.lastId = id;
    return id;
  }

  private lookUp(page: number): number {
    let slot = hash(page) & this.mask;
    for (;;) {
      const id = this.ids[slot] as number;
      if (id < 0) break;
      if (this.keys[slot] === page) return id;
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    this.keys[slot] = page;
    this.ids[slot] = id;
    if (id >= this.pagesById.length) this.pagesById = grow(this.pagesById, this.pagesById.length * 2);
    this.pagesById[id] = page;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  /** The page number that was given dense id `id`. */
  pageOf(id: number): number {
    return this.pagesById[id] as number;
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldIds = this.ids;
    const capacity = oldKeys.length * 2;
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const id = oldIds[i] as number;
      if (id < 0) continue;
      const key = oldKeys[i] as number;
      let slot = hash(key) & this.mask;
      while ((this.ids[slot] as number) >= 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.ids[slot] = id;
    }
  }
}

function hash(page: number): number {
  const lo = page >>> 0;
  const hi = (page / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 16;
  return h;
}

function grow(array: Float64Array, length: number): Float64Array {
  const bigger = new Float64Array(length);
  bigger.set(array);
  return bigger;
}

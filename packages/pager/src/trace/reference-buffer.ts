/** Bit set in {@link ReferenceBuffer.flags} for a reference that writes its page. */
export const WRITE_FLAG = 1;

/**
 * A growable run of references: dense page ids and per-reference flags in typed arrays. The
 * trace parsers append to it chunk by chunk; the simulator consumes it.
 */
export class ReferenceBuffer {
  pages: Int32Array;
  flags: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.pages = new Int32Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
  }

  /** Appends one reference to dense page `id`. */
  push(id: number, flags: number): void {
    if (this.length === this.pages.length) this.grow(this.length + 1);
    this.pages[this.length] = id;
    this.flags[this.length] = flags;
    this.length++;
  }

  /**
   * Makes room for at least `capacity` references in all. Parsers that write `pages` and
   * `flags` directly call it first, then reread both arrays (they may have been replaced).
   */
  ensureCapacity(capacity: number): void {
    if (this.pages.length < capacity) this.grow(capacity);
  }

  /** Forgets every reference (keeps the storage). */
  clear(): void {
    this.length = 0;
  }

  /** Moves to storage for at least `needed` references (doubling, so appends stay O(1)), in one copy. */
  private grow(needed: number): void {
    let capacity = Math.max(16, this.pages.length * 2);
    while (capacity < needed) capacity *= 2;
    const pages = new Int32Array(capacity);
    pages.set(this.pages);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.pages = pages;
    this.flags = flags;
  }
}

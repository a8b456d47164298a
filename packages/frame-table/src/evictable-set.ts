/**
 * The set of evictable frames as a bitmap, one bit per frame.
 *
 * The pager's victim scan must skip pinned and wired frames; with a bitmap it skips 32 of
 * them per step (a word of zeros) and finds the next set bit with `Math.clz32`, so a memory
 * full of locked frames costs little to scan.
 */
export class EvictableSet {
  private readonly words: Uint32Array;
  size = 0;

  constructor(readonly frameCount: number) {
    this.words = new Uint32Array((frameCount + 31) >>> 5);
  }

  has(frame: number): boolean {
    return (this.words[frame >>> 5]! & (1 << (frame & 31))) !== 0;
  }

  add(frame: number): void {
    const word = frame >>> 5;
    const bit = 1 << (frame & 31);
    const current = this.words[word]!;
    if ((current & bit) === 0) {
      this.words[word] = current | bit;
      this.size++;
    }
  }

  delete(frame: number): void {
    const word = frame >>> 5;
    const bit = 1 << (frame & 31);
    const current = this.words[word]!;
    if ((current & bit) !== 0) {
      this.words[word] = current & ~bit;
      this.size--;
    }
  }

  /** The lowest member `>= from`, or -1. */
  next(from: number): number {
    if (from >= this.frameCount) return -1;
    const start = from < 0 ? 0 : from;
    let word = start >>> 5;
    let bits = this.words[word]! & (0xffffffff << (start & 31));
    const last = this.words.length;
    while (bits === 0) {
      if (++word >= last) return -1;
      bits = this.words[word]!;
    }
    // Isolate the lowest set bit and count the zeros below it.
    return (word << 5) + 31 - Math.clz32(bits & -bits);
  }
}

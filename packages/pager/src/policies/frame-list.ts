/**
 * An intrusive doubly linked list of frame numbers kept in typed arrays, so that FIFO and
 * LRU order can be kept with O(1) append, unlink and move-to-back and no allocation per
 * reference. The front is the oldest (FIFO) or least recently used (LRU) frame.
 */
export class FrameList {
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly linked: Uint8Array;
  /** The frame at the front, or -1 when the list is empty. */
  head = -1;
  private tail = -1;

  constructor(frameCount: number) {
    this.prev = new Int32Array(frameCount).fill(-1);
    this.next = new Int32Array(frameCount).fill(-1);
    this.linked = new Uint8Array(frameCount);
  }

  /** True when `frame` is in the list. */
  has(frame: number): boolean {
    return this.linked[frame] === 1;
  }

  /** The frame after `frame` (towards the back), or -1. */
  after(frame: number): number {
    return this.next[frame] as number;
  }

  /** Appends `frame` at the back; it must not be in the list. */
  pushBack(frame: number): void {
    this.linked[frame] = 1;
    this.prev[frame] = this.tail;
    this.next[frame] = -1;
    if (this.tail >= 0) this.next[this.tail] = frame;
    else this.head = frame;
    this.tail = frame;
  }

  /** Unlinks `frame`; does nothing when it is not in the list. */
  remove(frame: number): void {
    if (this.linked[frame] !== 1) return;
    const p = this.prev[frame] as number;
    const n = this.next[frame] as number;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.linked[frame] = 0;
  }

  /** Moves `frame` (which must be in the list) to the back. */
  moveToBack(frame: number): void {
    if (this.tail === frame) return;
    const p = this.prev[frame] as number;
    const n = this.next[frame] as number;
    // frame is not the tail, so n >= 0
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    this.prev[n] = p;
    this.prev[frame] = this.tail;
    this.next[frame] = -1;
    this.next[this.tail] = frame;
    this.tail = frame;
  }

  /** The first frame from the front that `accept` takes, or -1. */
  firstFromFront(accept: { isCandidate(frame: number): boolean }): number {
    for (let f = this.head; f >= 0; f = this.next[f] as number) {
      if (accept.isCandidate(f)) return f;
    }
    return -1;
  }
}

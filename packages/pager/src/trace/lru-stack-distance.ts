import { WRITE_FLAG } from './reference-buffer.js';
import type { FaultCurveRecorder } from './fault-curve.js';

/**
 * Time slots to start with; the table grows to four times the pages seen when it must. A small
 * table keeps the tree shallow; renumbering it costs one pass over it every few slots' worth
 * of references.
 */
const INITIAL_SLOTS = 1 << 10;

/**
 * LRU stack distances in O(log n) a reference, streamed chunk by chunk. A page's depth in the
 * LRU stack is one more than the number of pages used since its last use, so each page marks
 * the time slot of its last use in a Fenwick tree and a reference counts the marks after its
 * page's slot (Bennett and Kruskal's counting of distinct references between reuses, with the
 * tree in place of their balanced one). Slots are renumbered in order once they run out, so
 * memory follows the pages seen, not the trace's length.
 */
export class LruStackDistance {
  private lastSlot: Int32Array;
  private slotPage: Int32Array;
  /** Fenwick tree over slots, 1-based: a 1 at each page's last-use slot. */
  private tree: Int32Array;
  private slots: number;
  private nextSlot = 0;
  private pages = 0;

  constructor(private readonly recorder: FaultCurveRecorder) {
    this.slots = INITIAL_SLOTS;
    this.lastSlot = new Int32Array(1024).fill(-1);
    this.slotPage = new Int32Array(this.slots).fill(-1);
    this.tree = new Int32Array(this.slots + 1);
  }

  /** Records references `start`..`end`-1 (dense ids below `pageCount`; `flags` null: all reads). */
  run(pages: Int32Array, flags: Uint8Array | null, start: number, end: number, pageCount: number): void {
    this.ensurePages(pageCount);
    this.recorder.ensurePages(pageCount);
    const recorder = this.recorder;
    const lastSlot = this.lastSlot;
    for (let i = start; i < end; i++) {
      const page = pages[i] as number;
      const write = flags !== null && ((flags[i] as number) & WRITE_FLAG) !== 0;
      const slot = lastSlot[page] as number;
      if (slot >= 0 && slot === this.nextSlot - 1) {
        // The most recent page again (most references of a real trace): on top, and it stays there.
        recorder.record(page, 1, write, false);
        continue;
      }
      if (slot < 0) {
        this.pages++;
        recorder.record(page, 0, write, true);
      } else {
        recorder.record(page, this.pages - this.marksUpTo(slot) + 1, write, false);
        this.unmark(slot);
        this.slotPage[slot] = -1;
      }
      if (this.nextSlot === this.slots) this.renumber();
      const now = this.nextSlot++;
      this.mark(now);
      this.slotPage[now] = page;
      lastSlot[page] = now;
    }
  }

  /** Closes the trace: every page's final depth goes to the recorder. */
  finish(): void {
    const pageCount = this.lastSlot.length;
    for (let page = 0; page < pageCount; page++) {
      const slot = this.lastSlot[page] as number;
      if (slot >= 0) this.recorder.finishPage(page, this.pages - this.marksUpTo(slot) + 1);
    }
  }

  /** Marks at slots 0..slot. */
  private marksUpTo(slot: number): number {
    const tree = this.tree;
    let sum = 0;
    for (let i = slot + 1; i > 0; i -= i & -i) sum += tree[i] as number;
    return sum;
  }

  private mark(slot: number): void {
    const tree = this.tree;
    const size = this.slots;
    for (let i = slot + 1; i <= size; i += i & -i) tree[i] = (tree[i] as number) + 1;
  }

  private unmark(slot: number): void {
    const tree = this.tree;
    const size = this.slots;
    for (let i = slot + 1; i <= size; i += i & -i) tree[i] = (tree[i] as number) - 1;
  }

  /**
   * Packs the live slots (one per page seen) into 0..pages-1 in time order, growing the table
   * to at least four times the pages seen, and rebuilds the tree in linear time.
   */
  private renumber(): void {
    const live = this.pages;
    const slots = Math.max(this.slots, 4 * live);
    const slotPage = slots === this.slots ? this.slotPage : new Int32Array(slots);
    let packed = 0;
    const old = this.slotPage;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      const page = old[slot] as number;
      if (page < 0) continue;
      slotPage[packed] = page;
      this.lastSlot[page] = packed;
      packed++;
    }
    slotPage.fill(-1, packed);
    const tree = slots === this.slots ? this.tree.fill(0) : new Int32Array(slots + 1);
    for (let i = 1; i <= packed; i++) tree[i] = 1;
    for (let i = 1; i <= slots; i++) {
      const parent = i + (i & -i);
      if (parent <= slots) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
    this.slotPage = slotPage;
    this.tree = tree;
    this.slots = slots;
    this.nextSlot = packed;
  }

  private ensurePages(pageCount: number): void {
    if (pageCount <= this.lastSlot.length) return;
    let capacity = this.lastSlot.length;
    while (capacity < pageCount) capacity *= 2;
    const grown = new Int32Array(capacity).fill(-1);
    grown.set(this.lastSlot);
    this.lastSlot = grown;
  }
}

import { optEvictionKey } from '../policies/opt.js';
import { WRITE_FLAG } from './reference-buffer.js';
import type { FaultCurveRecorder } from './fault-curve.js';

/**
 * OPT stack distances in one pass: Mattson, Gecsei, Slutz and Traiger's priority stack (1970)
 * with Belady's MIN priority (the page used again soonest ranks highest). The referenced page
 * goes on top; the page that was on top is carried down, and at each depth above the
 * referenced page's old one the carried page and the page there are compared: the
 * higher-ranked stays, the other is carried on. After depth c the carried page is exactly
 * OPT's victim with c frames, so the stack's top c pages are what OPT holds with c frames.
 *
 * Only depths up to `maxFrames` matter, so the stack is cut there: a page carried past it is
 * out for every frame count of interest and can only come back by being referenced. A
 * reference costs its depth (at most `maxFrames`) comparisons.
 */
export class OptStackDistance {
  private readonly stack: Int32Array;
  private depthOf: Int32Array;
  private key: Uint32Array;
  private seen: Uint8Array;
  private size = 0;

  constructor(
    private readonly recorder: FaultCurveRecorder,
    private readonly nextUse: Int32Array,
  ) {
    this.stack = new Int32Array(recorder.maxFrames);
    this.depthOf = new Int32Array(0);
    this.key = new Uint32Array(0);
    this.seen = new Uint8Array(0);
  }

  /** Records the whole trace: `pages[0..length)` (dense ids below `pageCount`), then its end. */
  run(pages: Int32Array, flags: Uint8Array | null, length: number, pageCount: number): void {
    const recorder = this.recorder;
    recorder.ensurePages(pageCount);
    this.depthOf = new Int32Array(pageCount);
    this.key = new Uint32Array(pageCount);
    this.seen = new Uint8Array(pageCount);
    const depthOf = this.depthOf;
    const key = this.key;
    const seen = this.seen;
    const stack = this.stack;
    const limit = stack.length;
    const nextUse = this.nextUse;
    for (let t = 0; t < length; t++) {
      const page = pages[t] as number;
      const write = flags !== null && ((flags[t] as number) & WRITE_FLAG) !== 0;
      const depth = depthOf[page] as number;
      recorder.record(page, depth, write, seen[page] === 0);
      seen[page] = 1;
      key[page] = optEvictionKey(nextUse[t] as number, t);
      if (depth === 1) continue;
      // Where the carried page lands: the referenced page's old depth, or one past the bottom.
      const landing = depth > 0 ? depth : this.size + 1;
      if (this.size === 0) {
        stack[0] = page;
        depthOf[page] = 1;
        this.size = 1;
        continue;
      }
      let carried = stack[0] as number;
      stack[0] = page;
      depthOf[page] = 1;
      const last = landing <= limit ? landing - 1 : limit;
      for (let i = 1; i < last; i++) {
        const here = stack[i] as number;
        if ((key[here] as number) > (key[carried] as number)) {
          stack[i] = carried;
          depthOf[carried] = i + 1;
          carried = here;
        }
      }
      if (landing <= limit) {
        stack[landing - 1] = carried;
        depthOf[carried] = landing;
        if (depth === 0) this.size++;
      } else {
        depthOf[carried] = 0;
      }
    }
    for (let i = 0; i < this.size; i++) recorder.finishPage(stack[i] as number, i + 1);
    for (let page = 0; page < pageCount; page++) {
      if (seen[page] === 1 && depthOf[page] === 0) recorder.finishPage(page, 0);
    }
  }
}

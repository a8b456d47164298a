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
 * reference costs its depth (at most `maxFrames`) comparisons: little on traces with locality,
 * up to `maxFrames` on one that keeps touching pages deep in the stack, so a caller may cap
 * the total and do something else when the cap is reached.
 */
export class OptStackDistance {
  private readonly stack: Int32Array;
  /** The eviction key (see `optEvictionKey`) of the page at each depth, beside it for a tight loop. */
  private readonly stackKey: Uint32Array;

  constructor(
    private readonly recorder: FaultCurveRecorder,
    private readonly nextUse: Int32Array,
  ) {
    this.stack = new Int32Array(recorder.maxFrames);
    this.stackKey = new Uint32Array(recorder.maxFrames);
  }

  /**
   * Records the whole trace: `pages[0..length)` (dense ids below `pageCount`), then its end.
   * Returns false, the recorder left half-filled, as soon as more than `maxSteps` stack
   * positions have been walked.
   */
  run(pages: Int32Array, flags: Uint8Array | null, length: number, pageCount: number, maxSteps = Infinity): boolean {
    const recorder = this.recorder;
    recorder.ensurePages(pageCount);
    /** Each page's depth in the stack, 1-based; 0 when it is not in the top maxFrames. */
    const depthOf = new Int32Array(pageCount);
    const seen = new Uint8Array(pageCount);
    const stack = this.stack;
    const stackKey = this.stackKey;
    const limit = stack.length;
    const nextUse = this.nextUse;
    let size = 0;
    let steps = 0;
    for (let t = 0; t < length; t++) {
      const page = pages[t] as number;
      const write = flags !== null && ((flags[t] as number) & WRITE_FLAG) !== 0;
      const depth = depthOf[page] as number;
      recorder.record(page, depth, write, seen[page] === 0);
      seen[page] = 1;
      const key = optEvictionKey(nextUse[t] as number, t);
      if (depth === 1) {
        stackKey[0] = key;
        continue;
      }
      if (size === 0) {
        stack[0] = page;
        stackKey[0] = key;
        depthOf[page] = 1;
        size = 1;
        continue;
      }
      // Where the carried page lands: the referenced page's old depth, or one past the bottom.
      const landing = depth > 0 ? depth : size + 1;
      let carried = stack[0] as number;
      let carriedKey = stackKey[0] as number;
      stack[0] = page;
      stackKey[0] = key;
      depthOf[page] = 1;
      const last = landing <= limit ? landing - 1 : limit;
      steps += last;
      if (steps > maxSteps) return false;
      for (let i = 1; i < last; i++) {
        const hereKey = stackKey[i] as number;
        if (hereKey > carriedKey) {
          const here = stack[i] as number;
          stack[i] = carried;
          stackKey[i] = carriedKey;
          depthOf[carried] = i + 1;
          carried = here;
          carriedKey = hereKey;
        }
      }
      if (landing <= limit) {
        stack[landing - 1] = carried;
        stackKey[landing - 1] = carriedKey;
        depthOf[carried] = landing;
        if (depth === 0) size++;
      } else {
        depthOf[carried] = 0;
      }
    }
    for (let i = 0; i < size; i++) recorder.finishPage(stack[i] as number, i + 1);
    for (let page = 0; page < pageCount; page++) {
      if (seen[page] === 1 && depthOf[page] === 0) recorder.finishPage(page, 0);
    }
    return true;
  }
}

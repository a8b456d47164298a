// @ts-check
import { NothingEvictableError } from '@pagelab/contracts';

/**
 * Your replacement policy. It starts as FIFO: the page that has been resident longest goes,
 * however often it is used. It passes the conformance suite (`npm test`) and is beaten by
 * clock and LRU on every trace with locality (`npm run experiment`). Make it better.
 *
 * The pager calls `onPageIn` when a page lands in a frame, `onReference` on every later use
 * (only when `observesReferences` is true and references are visible, as in trace mode),
 * `onEvict` when the page leaves, `onClockTick` at each timer interrupt, and `chooseVictim`
 * when a fault needs a frame. Read and clear the referenced bits through `context.bits`.
 *
 * @type {import('@pagelab/contracts').ReplacementPolicyFactory}
 */
export default function createPolicy(context) {
  // Arrival order of the page in each frame (0: no page); a counter, not `now`, so that two
  // arrivals at the same time still have an order.
  const arrival = new Float64Array(context.frameCount);
  let arrivals = 0;

  return {
    name: 'my-policy',
    specificationVersion: 1,
    observesReferences: false,
    onPageIn(frame) {
      arrival[frame] = ++arrivals;
    },
    onReference() {},
    onEvict(frame) {
      arrival[frame] = 0;
    },
    onClockTick() {},
    chooseVictim(candidates) {
      let victim = -1;
      for (let frame = 0; frame < context.frameCount; frame++) {
        if (candidates.isCandidate(frame) && (victim < 0 || arrival[frame] < arrival[victim])) victim = frame;
      }
      if (victim < 0) throw new NothingEvictableError('my-policy: no frame may be evicted for this fault');
      return victim;
    },
  };
}

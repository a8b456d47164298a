// A hidden test for lab A: a stack algorithm (LRU, OPT) shows no Belady anomaly; FIFO does.
import assert from 'node:assert/strict';

export const seam = 'replacement-policy';

/** Misses of `factory` on `pages` with `frames` frames, every reference visible. */
function misses(factory, pages, frames) {
  const referenced = new Uint8Array(frames);
  const bits = { isReferenced: (f) => referenced[f] === 1, isModified: () => false, clearReferenced: (f) => void (referenced[f] = 0) };
  const policy = factory({ frameCount: frames, bits, referencesVisible: true, seed: 1 });
  const frameOf = new Map();
  const pageIn = [];
  let count = 0;
  pages.forEach((page, now) => {
    if (frameOf.has(page)) {
      referenced[frameOf.get(page)] = 1;
      if (policy.observesReferences) policy.onReference(frameOf.get(page), now);
      return;
    }
    count++;
    const frame = pageIn.length < frames ? pageIn.length : policy.chooseVictim({ isCandidate: () => true }, now);
    if (pageIn.length === frames) {
      frameOf.delete(pageIn[frame]);
      policy.onEvict(frame);
    }
    pageIn[frame] = page;
    frameOf.set(page, frame);
    referenced[frame] = 1;
    policy.onPageIn(frame, now);
  });
  return count;
}

export default [
  {
    name: 'no more misses with 4 frames than with 3 on Belady\'s string',
    maxScore: 5,
    run(factory) {
      const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
      assert.ok(misses(factory, belady, 4) <= misses(factory, belady, 3));
    },
  },
];

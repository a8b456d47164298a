// A FIFO replacement policy written as a student would, against the published contracts only.
export default function createFifo(context) {
  let queue = [];
  return {
    name: 'student-fifo',
    specificationVersion: 1,
    observesReferences: false,
    onPageIn(frame) { queue = queue.filter((f) => f !== frame); queue.push(frame); },
    onReference() {},
    onEvict(frame) { queue = queue.filter((f) => f !== frame); },
    onClockTick() {},
    chooseVictim(candidates) {
      const v = queue.find((f) => candidates.isCandidate(f));
      if (v === undefined) { const e = new Error(`nothing evictable among ${context.frameCount} frames`); e.code = 'NOTHING_EVICTABLE'; throw e; }
      return v;
    },
  };
}

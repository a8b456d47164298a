// Forgets to undo the auto-increments, and restarts at the stacked PC on a plain 68000.
export const capabilities = { hiddenRecord: true };
export default function () {
  return {
    name: 'broken-hardware',
    specificationVersion: 1,
    backUp(frame) {
      if (frame.hidden === null) return { kind: 'restarted', startPc: frame.programCounter - 2, undo: [], chosenFrom: null };
      return { kind: 'restarted', startPc: frame.hidden.startPc, undo: [], chosenFrom: null };
    },
  };
}

// A restart strategy that trusts the hidden record of the m68010-hidden model, written as a lab would.
export const capabilities = { hiddenRecord: true };
export default function () {
  return {
    name: 'student-hardware',
    specificationVersion: 1,
    backUp(frame) {
      if (frame.hidden === null) return { kind: 'unrecoverable', reason: 'no hidden record' };
      return { kind: 'restarted', startPc: frame.hidden.startPc, undo: frame.hidden.registerChanges, chosenFrom: null };
    },
  };
}

// @ts-check

/**
 * Your restart strategy. It starts by trusting the hardware: the `m68010-hidden` CPU model
 * saves the start PC of the faulting instruction and a record of the registers it changed,
 * and this strategy hands both back. A plain 68000's fault frame carries neither, so on the
 * 68000 this strategy can restart nothing (`npm run experiment` shows the processes killed).
 *
 * Your job: restart from a plain frame. Decode backwards from `frame.pc` with `code.word()`
 * to find where the instruction may have started, work out which `(An)+`/`-(An)` updates
 * already happened, and say `ambiguous` (with the candidates) when the words cannot tell.
 * Then change `capabilities` below to `{ plainFrame: true }` so the suite tests that.
 *
 * @type {import('@pagelab/contracts').RestartStrategyFactory}
 */
export default function createRestartStrategy() {
  return {
    name: 'my-restart',
    specificationVersion: 1,
    backUp(frame) {
      if (frame.hidden === null) {
        return { kind: 'unrecoverable', reason: 'no hidden restart record in this fault frame (a plain 68000)' };
      }
      return { kind: 'restarted', startPc: frame.hidden.startPc, undo: frame.hidden.registerChanges, chosenFrom: null };
    },
  };
}

/** What the conformance suite may test: frames with the hidden record, plain 68000 frames, or both. */
export const capabilities = { hiddenRecord: true, plainFrame: false };

/** The strategies that need no decoding: `hardware` (the hidden record), `continue` (the long frame) and `none`. */
import type { CodeReader, CpuRegisters, FaultFrame, RestartStrategy, RestartVerdict } from '@pagelab/contracts';

/**
 * Restarts from the hidden start-PC register and register-change record that the
 * `m68010-hidden` model saves: exact whenever the record is there, and unrecoverable when
 * the CPU model keeps none (a plain 68000).
 */
export function createHardwareStrategy(): RestartStrategy {
  return {
    name: 'hardware',
    specificationVersion: 1,
    backUp(frame: FaultFrame, _registers: Readonly<CpuRegisters>, _code: CodeReader): RestartVerdict {
      if (frame.hidden === null) {
        return { kind: 'unrecoverable', reason: 'the fault frame has no hidden restart record (this CPU model does not save the start PC)' };
      }
      return { kind: 'restarted', startPc: frame.hidden.startPc, undo: frame.hidden.registerChanges, chosenFrom: null };
    },
  };
}

/**
 * Backs nothing up: the `m68010-continuation` model's long frame holds the instruction's
 * internal state, and the OS resumes the instruction where it stopped by handing that state
 * back, unmodified. Unrecoverable on a model that saves none.
 */
export function createContinueStrategy(): RestartStrategy {
  return {
    name: 'continue',
    specificationVersion: 1,
    backUp(frame: FaultFrame, _registers: Readonly<CpuRegisters>, _code: CodeReader): RestartVerdict {
      const saved = frame.continuation;
      if (saved === undefined || saved === null) {
        return { kind: 'unrecoverable', reason: "the fault frame holds no internal state to continue from (only cpu model 'm68010-continuation' saves one)" };
      }
      return { kind: 'continued', state: saved.state };
    },
  };
}

/**
 * What an OS on a plain 68000 must conclude: the group-0 frame does not say where the
 * instruction began or which registers it changed, so the process cannot be resumed safely.
 */
export function createNoRestartStrategy(): RestartStrategy {
  return {
    name: 'none',
    specificationVersion: 1,
    backUp(): RestartVerdict {
      return {
        kind: 'unrecoverable',
        reason: "the 68000's bus-error frame does not let the OS restart the instruction (no start PC, no record of register changes)",
      };
    },
  };
}

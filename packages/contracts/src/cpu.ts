import type { SeamVersion } from './seams.js';
import type { AccessKind, AccessSize, FaultCause } from './access.js';
import type { Bus } from './bus.js';

/**
 * The CPU models pagelab can run.
 *
 * - `m68000`: a plain 68000. When a reference is aborted it leaves exactly the partial state
 *   the 68000's microcode leaves (PC advanced 2 to 10 bytes past the opcode, some `(An)+` /
 *   `-(An)` updates done and some not) and reports only what its group-0 frame holds.
 * - `m68010-hidden`: the same instruction set and partial state, plus the hardware aid the
 *   textbooks describe: a hidden register with the instruction's start PC and a record of which
 *   address registers the instruction had already changed, and by how much.
 * - `pc-only`: the same CPU as `m68000` (prefetch queue and partial state alike), with a fault
 *   frame that carries only the PC beside the faulting access: no instruction register. The
 *   textbooks' premise ("the operating system has no way of telling" where the instruction
 *   began), kept to measure what the 68000's IR is worth to a software restart.
 * - `m68010-continuation`: the 68010's own answer. On a fault it saves the instruction's
 *   internal state in a long (format $8) frame, and the OS, once the page is present, hands
 *   that state back ({@link Cpu.resumeContinuation}): the faulted reference is redone and the
 *   instruction goes on from there, with nothing undone and nothing done twice.
 */
export type CpuModelName = 'm68000' | 'm68010-hidden' | 'pc-only' | 'm68010-continuation';

/**
 * The programmer-visible registers of a 68000-family CPU.
 *
 * `registers` holds D0..D7 at indexes 0..7 and A0..A7 at 8..15; index 15 is the *active*
 * stack pointer (USP in user mode, SSP in supervisor mode); the inactive one is kept in
 * `usp` or `ssp`. All values are unsigned 32-bit.
 */
export interface CpuRegisters {
  /** D0..D7, A0..A7 (A7 = active stack pointer). */
  readonly registers: Uint32Array;
  /** Address of the next instruction to execute (not the 68000's prefetch address). */
  pc: number;
  /** The status register: trace, supervisor, interrupt mask, and the condition codes XNZVC. */
  sr: number;
  /** The user stack pointer when the CPU is in supervisor mode (otherwise A7 holds it). */
  usp: number;
  /** The supervisor stack pointer when the CPU is in user mode (otherwise A7 holds it). */
  ssp: number;
}

/** Register numbers used in {@link RegisterChange}: D0..D7 are 0..7, A0..A7 are 8..15. */
export type RegisterNumber = number;

/** One register change made by a partly executed instruction: `register` was changed by `delta` bytes. */
export interface RegisterChange {
  /** 8..15 for A0..A7 (only address registers are auto-incremented or decremented). */
  readonly register: RegisterNumber;
  /** The signed change already applied: +1/+2/+4 for `(An)+`, -1/-2/-4 for `-(An)`. */
  readonly delta: number;
}

/**
 * The hardware aid of the `m68010-hidden` model: what the CPU copied aside when the
 * instruction began, and what it changed before the fault.
 */
export interface HiddenRestartRecord {
  /** The address of the first word of the faulting instruction. */
  readonly startPc: number;
  /** Every address-register change the instruction made before it was aborted, in order. */
  readonly registerChanges: readonly RegisterChange[];
}

/**
 * The instruction's internal state as a continuation model saved it: opaque to the OS, which
 * must hand it back exactly as it got it (Motorola says the same of the 68010's "internal
 * information" words). The CPU checks it on resume and refuses a changed or foreign one with a
 * {@link FrameFormatError}, as the 68010's RTE takes a format error.
 */
export interface ContinuationState {
  /** The saved words (16-bit values); their layout is the CPU's own business. */
  readonly words: readonly number[];
}

/**
 * What a long (continuation) bus-error frame adds to {@link FaultFrame}: its format, its size,
 * the data of a faulted write, and the internal state to resume from.
 */
export interface ContinuationFrame {
  /** The frame's format code: 8, the 68010's long bus-error frame. */
  readonly format: number;
  /** The bytes the CPU takes from the supervisor stack for this frame (58: 29 words on the 68010). */
  readonly frameBytes: number;
  /** The value the faulted reference was writing (the data output buffer), or null for a read or fetch. */
  readonly writeData: number | null;
  /** The state to hand back to {@link Cpu.resumeContinuation}, unmodified. */
  readonly state: ContinuationState;
}

/**
 * What a CPU reports when a memory reference of an instruction is aborted.
 *
 * For `m68000` this holds exactly what the 68000's group-0 exception frame holds, no more:
 * the access address, the function code, read/write and instruction/data bits, the
 * instruction register (the opcode), the status register, and the stacked PC, which lies
 * somewhere past the opcode depending on the instruction and the reference. `hidden` is
 * `null` on that model.
 */
export interface FaultFrame {
  /** Why the reference failed. */
  readonly cause: FaultCause;
  /** The address the aborted reference was made to. */
  readonly address: number;
  /** What the aborted reference was doing. */
  readonly access: AccessKind;
  /** The size of the aborted reference. */
  readonly size: AccessSize;
  /** The 68000 function code of the reference (1 user data, 2 user program, 5 supervisor data, 6 supervisor program). */
  readonly functionCode: number;
  /** The opcode word of the faulting instruction (the 68000's IRD); null on `pc-only`, whose frame has none. */
  readonly instructionRegister: number | null;
  /** The status register when the fault happened. */
  readonly statusRegister: number;
  /** The program counter as the model reports it (for `m68000`: the stacked group-0 PC). */
  readonly programCounter: number;
  /** The hidden start-PC register and register-change record, on models that have them. */
  readonly hidden: HiddenRestartRecord | null;
  /**
   * The long frame's contents, on a model that continues instructions
   * (`m68010-continuation`); absent or null on the others.
   */
  readonly continuation?: ContinuationFrame | null;
}

/** Why {@link Cpu.run} returned. */
export const CpuStopReason = {
  /** The instruction budget ran out; call `run` again to go on. */
  BudgetExhausted: 0,
  /** A `TRAP #n` was executed while the host takes traps; `Cpu.lastTrap` holds n, PC is past the TRAP. */
  Trap: 1,
  /** A memory reference faulted while the host takes faults; `Cpu.lastFault` describes it. */
  BusFault: 2,
  /** A `STOP` instruction was executed: the CPU waits for an interrupt. */
  Stopped: 3,
  /** A double bus fault, or an exception while the host takes none it could handle: the CPU halted. */
  Halted: 4,
} as const;
/** One of the {@link CpuStopReason} values. */
export type CpuStopReason = (typeof CpuStopReason)[keyof typeof CpuStopReason];

/** How a CPU is attached to the rest of the system. */
export interface CpuOptions {
  /** The CPU model (fault model). */
  readonly model: CpuModelName;
  /** The memory the CPU sees. */
  readonly bus: Bus;
  /**
   * When true, `TRAP #n` stops `run` with {@link CpuStopReason.Trap} so a host kernel can
   * serve a system call; when false, it goes through the vector table as on bare metal.
   */
  readonly hostTraps?: boolean;
  /**
   * When true, a bus fault stops `run` with {@link CpuStopReason.BusFault} and leaves the
   * partial state for a restart strategy; when false, it is taken as a bus-error exception
   * through the vector table.
   */
  readonly hostFaults?: boolean;
  /**
   * How instructions are executed. `'translate'` (the default) compiles code that has proved
   * hot into JavaScript, block by block; `'interpret'` decodes and runs one instruction at a
   * time. Both leave the same state, cycle counts and fault frames: the interpreter is the
   * reference the translator is checked against. `m68010-continuation` always interprets.
   */
  readonly engine?: CpuEngine;
}

/** How a CPU executes instructions: see {@link CpuOptions.engine}. */
export type CpuEngine = 'translate' | 'interpret';

/**
 * A 68000-family interpreter as the kernel drives it.
 *
 * `run` executes whole instructions until the budget is spent or something needs the host.
 * After a {@link CpuStopReason.BusFault}, the registers hold the partial state the model
 * leaves; the host backs the instruction up with a {@link RestartStrategy}, applies the
 * verdict, and calls `resumeAt` with the instruction's start.
 */
export interface Cpu {
  /** The model this CPU emulates. */
  readonly model: CpuModelName;
  /** The registers, live: the host may read and write them between `run` calls. */
  readonly state: CpuRegisters;
  /** 68000 clock cycles executed since reset (base plus effective-address time per instruction). */
  readonly cycles: number;
  /** Instructions completed since reset. */
  readonly instructions: number;
  /** The trap number (0..15) of the last `TRAP #n` that stopped `run`. */
  readonly lastTrap: number;
  /** The fault that stopped `run` last, or null. */
  readonly lastFault: FaultFrame | null;
  /** Executes up to `budget` instructions. */
  run(budget: number): CpuStopReason;
  /** Continues execution at `pc` (after a restart or a context switch): discards any prefetch. */
  resumeAt(pc: number): void;
  /**
   * On a model that saves a continuation (`m68010-continuation`): goes on with the faulted
   * instruction from the reference that faulted, the references before it not made again.
   * Throws {@link FrameFormatError} when `state` is not one this CPU saved, or was changed.
   */
  resumeContinuation?(state: ContinuationState): void;
  /** Raises an interrupt request at `level` (1..7); 0 withdraws it. Autovectored unless `vector` is given. */
  requestInterrupt(level: number, vector?: number): void;
  /** Resets the CPU: supervisor mode, SSP and PC from vectors 0 and 1. */
  reset(): void;
}

/** The names of pagelab's built-in instruction-restart strategies (a lab's strategy reports under its own name). */
export type RestartStrategyName = 'hardware' | 'software' | 'none' | 'continue';

/** One consistent way a faulting instruction could have begun, as the software strategy decodes it. */
export interface RestartCandidate {
  /** Where the instruction would have started. */
  readonly startPc: number;
  /** Its length in bytes. */
  readonly length: number;
  /** The register changes that must be undone if this is the instruction. */
  readonly undo: readonly RegisterChange[];
  /** Its disassembly, for reports and error messages. */
  readonly disassembly: string;
}

/**
 * The outcome of backing up a faulting instruction.
 *
 * - `restarted`: the instruction begins at `startPc` once `undo` is reversed (subtract each
 *   delta from its register); `chosenFrom` lists the candidates when a policy had to choose.
 * - `ambiguous`: more than one start is consistent with the fault and the bytes in memory,
 *   and no policy chose.
 * - `unrecoverable`: the strategy cannot tell where the instruction began or how to undo it.
 * - `continued`: nothing is backed up: once the page is present, the OS resumes the
 *   instruction where it stopped by handing `state` back to {@link Cpu.resumeContinuation}.
 */
export type RestartVerdict =
  | {
      readonly kind: 'restarted';
      readonly startPc: number;
      readonly undo: readonly RegisterChange[];
      readonly chosenFrom: readonly RestartCandidate[] | null;
    }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly RestartCandidate[] }
  | { readonly kind: 'unrecoverable'; readonly reason: string }
  | { readonly kind: 'continued'; readonly state: ContinuationState };

/**
 * Reads the instruction stream for a restart strategy. Returns `null` when the word is not
 * readable without faulting (the strategy must not cause page faults of its own).
 */
export interface CodeReader {
  /** The big-endian word at `address`, or null if it cannot be read right now. */
  readWord(address: number): number | null;
}

/**
 * The OS side of instruction restart: given a fault frame and the partial register state,
 * find where the instruction began and which side effects to undo.
 */
export interface RestartStrategy {
  /** The `restart-strategy` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'restart-strategy'>;
  /** The strategy's name for reports: a built-in `RestartStrategyName`, or a lab's own. */
  readonly name: string;
  /** Works out how to restart the faulting instruction. Must not change `registers`. */
  backUp(frame: FaultFrame, registers: Readonly<CpuRegisters>, code: CodeReader): RestartVerdict;
}

/**
 * Decides between the candidates of an `ambiguous` software backup. Returns the chosen one,
 * or null to leave the verdict ambiguous (the kernel then kills the process with a reason).
 */
export interface AmbiguityPolicy {
  /** A short name for reports (`refuse`, `lowest-start`, ...). */
  readonly name: string;
  /** Picks one candidate, or null. */
  choose(candidates: readonly RestartCandidate[], frame: FaultFrame): RestartCandidate | null;
}

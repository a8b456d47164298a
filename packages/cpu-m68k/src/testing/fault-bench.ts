/**
 * Test support, public on purpose: runs one instruction on the interpreter with its n-th
 * memory reference faulting, so restart strategies (ours, or a lab's, through
 * `@pagelab/conformance`) are tested against real fault frames and the partial register state
 * the chosen CPU model really leaves, and can check a restart by finishing the instruction.
 */
import {
  AccessKind,
  BusFault,
  CpuStopReason,
  FaultCause,
  type AccessSize,
  type Bus,
  type CodeReader,
  type ContinuationState,
  type Cpu,
  type CpuModelName,
  type FaultFrame,
} from '@pagelab/contracts';
import { FlatBus } from '../bus/flat-bus.js';
import { createCpu } from '../core/index.js';
import type { M68000 } from '../core/cpu.js';

/** Bytes of memory a bench instruction runs in; addresses wrap modulo this size. */
export const FAULT_BENCH_MEMORY = 1 << 16;
/** The stack pointer (A7, supervisor mode) every bench instruction starts with. */
export const FAULT_BENCH_STACK = 0x9000;
/** The status register every bench instruction starts with: supervisor mode, interrupts masked. */
export const FAULT_BENCH_STATUS = 0x2700;
/** The most references faultEveryReference tries (more than any 68000 instruction makes). */
const MAX_REFERENCES = 64;

/**
 * A flat bus whose n-th reference (1 = the opcode fetch) throws a not-present fault. With
 * `splitLongs`, each word of a long access counts as a reference of its own, as on the 68000's
 * 16-bit bus: the second word can then fault after the first has been read or written.
 */
export class NthReferenceFaultBus implements Bus {
  /** References made so far. */
  count = 0;
  constructor(
    readonly flat: FlatBus,
    private n: number,
    private readonly splitLongs = false,
  ) {}
  /** Starts counting again, to fault the `n`-th reference from now (one bus serves many runs). */
  rearm(n: number): void {
    this.n = n;
    this.count = 0;
  }
  private tick(address: number, access: AccessKind, size: AccessSize): void {
    if (++this.count !== this.n) return;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal, deliberately not an Error
    throw new BusFault(address, access, size, FaultCause.NotPresent);
  }
  read8(a: number): number {
    this.tick(a, AccessKind.Read, 1);
    return this.flat.read8(a);
  }
  read16(a: number): number {
    this.tick(a, AccessKind.Read, 2);
    return this.flat.read16(a);
  }
  read32(a: number): number {
    if (!this.splitLongs) {
      this.tick(a, AccessKind.Read, 4);
      return this.flat.read32(a);
    }
    this.tick(a, AccessKind.Read, 2);
    const high = this.flat.read16(a);
    this.tick(a + 2, AccessKind.Read, 2);
    return ((high << 16) | this.flat.read16(a + 2)) >>> 0;
  }
  write8(a: number, v: number): void {
    this.tick(a, AccessKind.Write, 1);
    this.flat.write8(a, v);
  }
  write16(a: number, v: number): void {
    this.tick(a, AccessKind.Write, 2);
    this.flat.write16(a, v);
  }
  write32(a: number, v: number): void {
    if (!this.splitLongs) {
      this.tick(a, AccessKind.Write, 4);
      this.flat.write32(a, v);
      return;
    }
    this.tick(a, AccessKind.Write, 2);
    this.flat.write16(a, v >>> 16);
    this.tick(a + 2, AccessKind.Write, 2);
    this.flat.write16(a + 2, v & 0xffff);
  }
  fetch16(a: number): number {
    this.tick(a, AccessKind.Fetch, 2);
    return this.flat.fetch16(a);
  }
}

/** One instruction to fault: where it is, its words, and the registers it starts with. */
export interface BenchInstruction {
  /** The CPU model whose partial state and fault frame are wanted. */
  readonly model: CpuModelName;
  /** The address of its first word (even). */
  readonly start: number;
  /** Its words (opcode first), placed from `start`. */
  readonly words: readonly number[];
  /** A0..A6 (default 0x8000 + 0x100 * i); A7 is always {@link FAULT_BENCH_STACK}. */
  readonly addressRegisters?: readonly number[];
  /** D0..D7 (default 0x10 + i). */
  readonly dataRegisters?: readonly number[];
  /**
   * Count each word of a long access as its own reference (default false: a long is one). The
   * 68000 makes a long access as two word bus cycles, high word first; with this, the second
   * one can fault on its own.
   */
  readonly splitLongs?: boolean;
}

/** The machine state after one instruction ran to completion. */
export interface InstructionOutcome {
  /** D0..D7, A0..A7. */
  readonly registers: Uint32Array;
  /** The PC after the instruction. */
  readonly pc: number;
  /** The status register after the instruction. */
  readonly sr: number;
  /** All of the bench's memory. */
  readonly memory: Uint8Array;
}

/** The outcome of faulting one reference of one instruction. */
export interface FaultedInstruction {
  /** Which reference faulted (1 = the opcode fetch). */
  readonly reference: number;
  /** The CPU as the fault left it: `cpu.state` is the partial state a strategy is given. */
  readonly cpu: Cpu;
  /** The fault frame the model reported. */
  readonly frame: FaultFrame;
  /** Reads memory, except the faulting reference's words (their page is not present). */
  readonly code: CodeReader;
  /** D0..D7, A0..A7 before the instruction ran. */
  readonly before: Uint32Array;
  /** What running the instruction without any fault gives: the truth a restart must reach. */
  readonly expected: InstructionOutcome;
  /**
   * The faulting reference was the instruction's final prefetch (`m68000`): the instruction
   * had completed, and the right way on is its successor, {@link expected}'s PC.
   */
  readonly completed: boolean;
  /**
   * Restarts the instruction at `pc` with `registers` (D0..D7, A0..A7) and the status register
   * the fault left, on the memory as the fault left it, with nothing faulting, and returns the
   * state after it. A correct restart gives exactly {@link expected}. When the instruction had
   * completed and `pc` is its successor, nothing is left to run: the state is returned as is.
   */
  resume(pc: number, registers: Uint32Array): InstructionOutcome;
  /**
   * Goes on with the faulted instruction from `state` (the continuation model's saved internal
   * state, as a strategy hands it back), on the CPU and memory as the fault left them, with
   * nothing faulting, and returns the state after it; a correct continuation gives exactly
   * {@link expected}. Each call starts from the fault again. Throws the CPU's
   * `FrameFormatError` for a state it refuses (changed, or from another instruction), and on
   * a model that saves none.
   */
  continueFrom(state: ContinuationState): InstructionOutcome;
}

function initialRegisters(instruction: BenchInstruction): Uint32Array {
  const regs = new Uint32Array(16);
  for (let i = 0; i < 8; i++) regs[i] = instruction.dataRegisters?.[i] ?? 0x10 + i;
  for (let i = 0; i < 7; i++) regs[8 + i] = instruction.addressRegisters?.[i] ?? 0x8000 + 0x100 * i;
  regs[15] = FAULT_BENCH_STACK;
  return regs;
}

function memoryWith(instruction: BenchInstruction): FlatBus {
  const flat = new FlatBus(FAULT_BENCH_MEMORY);
  instruction.words.forEach((w, i) => flat.write16(instruction.start + 2 * i, w));
  return flat;
}

/** Runs one instruction on `bus` from `pc` with `registers` and `sr`; returns the CPU and why it stopped. */
function runOne(model: CpuModelName, bus: Bus, pc: number, registers: Uint32Array, sr: number): { cpu: Cpu; stop: CpuStopReason } {
  const cpu = createCpu({ model, bus, hostFaults: true, hostTraps: true });
  cpu.state.registers.set(registers);
  cpu.state.ssp = registers[15]!;
  cpu.state.sr = sr;
  cpu.resumeAt(pc);
  return { cpu, stop: cpu.run(1) };
}

function outcomeOf(cpu: Cpu, memory: Uint8Array): InstructionOutcome {
  return { registers: Uint32Array.from(cpu.state.registers), pc: cpu.state.pc, sr: cpu.state.sr, memory };
}

/**
 * Places `instruction` in a fresh 64 KiB memory, runs it once in supervisor mode and faults its
 * `n`-th reference (a not-present fault). Returns null when the instruction makes fewer than
 * `n` references.
 */
export function faultReference(instruction: BenchInstruction, n: number): FaultedInstruction | null {
  const { model, start } = instruction;
  const before = initialRegisters(instruction);
  const faulted = (): { cpu: Cpu; stop: CpuStopReason; flat: FlatBus } => {
    const flat = memoryWith(instruction);
    return { ...runOne(model, new NthReferenceFaultBus(flat, n, instruction.splitLongs ?? false), start, before, FAULT_BENCH_STATUS), flat };
  };
  const { cpu, stop, flat } = faulted();
  if (stop !== CpuStopReason.BusFault || cpu.lastFault === null) return null;
  const frame = cpu.lastFault;
  const lo = frame.address >>> 0;
  const hi = lo + frame.size;
  const code: CodeReader = { readWord: (a) => (a + 2 > lo && a < hi ? null : flat.read16(a)) };

  const clean = memoryWith(instruction);
  const expected = outcomeOf(runOne(model, clean, start, before, FAULT_BENCH_STATUS).cpu, clean.memory);
  const faultedSr = cpu.state.sr;
  const completed = (cpu as M68000).lastFaultCompleted;
  const resume = (pc: number, registers: Uint32Array): InstructionOutcome => {
    if (completed && pc === expected.pc) return { registers: Uint32Array.from(registers), pc, sr: faultedSr, memory: Uint8Array.from(flat.memory) };
    const again = new FlatBus(Uint8Array.from(flat.memory));
    return outcomeOf(runOne(model, again, pc, registers, faultedSr).cpu, again.memory);
  };
  const continueFrom = (state: ContinuationState): InstructionOutcome => {
    // The same fault again, on a CPU and memory of its own, so the fault's own stay as they are;
    // its bus has made its n-th reference, so nothing faults from here on.
    const again = faulted();
    if (again.cpu.resumeContinuation === undefined) throw new Error(`CPU model '${model}' saves no continuation to go on from`);
    again.cpu.resumeContinuation(state);
    again.cpu.run(1);
    return outcomeOf(again.cpu, again.flat.memory);
  };
  return { reference: n, cpu, frame, code, before, expected, completed, resume, continueFrom };
}

/** Every reference of `instruction` faulted in turn: one entry per reference, the opcode fetch first. */
export function faultEveryReference(instruction: BenchInstruction): FaultedInstruction[] {
  const out: FaultedInstruction[] = [];
  for (let n = 1; n <= MAX_REFERENCES; n++) {
    const f = faultReference(instruction, n);
    if (f === null) break;
    out.push(f);
  }
  return out;
}

/** {@link faultReference} with positional arguments, for short tests. */
export function faultInstruction(model: CpuModelName, start: number, words: readonly number[], n: number, addressRegisters?: readonly number[]): FaultedInstruction | null {
  return faultReference({ model, start, words, ...(addressRegisters ? { addressRegisters } : {}) }, n);
}

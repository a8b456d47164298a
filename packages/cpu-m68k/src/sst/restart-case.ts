/**
 * Turns a SingleStepTests address-error case into what an OS's fault handler on a real 68000
 * would have in hand, so a {@link RestartStrategy} can be judged against the real chip: the
 * group-0 frame the chip stacked, the registers as the aborted instruction left them, and the
 * memory. The state before the instruction is kept apart ({@link sstInitialState}) as the
 * answer the strategy must reproduce or refuse to guess.
 */
import { AccessKind, FaultCause, type CodeReader, type CpuRegisters, type FaultFrame } from '@pagelab/contracts';
import { SstTransactionKind, type SstState, type SstTest } from './format.js';

const SR_S = 0x2000;
const FRAME_BYTES = 14;
const ADDRESS_MASK = 0xffffff;

/** The fault handler's view of an address-error case. */
export interface SstFaultView {
  /** The group-0 frame as the chip stacked it (decoded from the final state's supervisor stack). */
  readonly frame: FaultFrame;
  /** The registers at the fault: D0..D7, A0..A6 from the final state, A7 the stack pointer the instruction was using. */
  readonly registers: CpuRegisters;
  /** Memory at the moment of the fault: every word reads, none faults. */
  readonly code: CodeReader;
}

/** What the instruction started from: the answer a restart must reproduce. */
export interface SstInitialState {
  /** The address of the instruction's opcode (the test's prefetch address minus 4). */
  readonly startPc: number;
  /** D0..D7, A0..A7 (A7 the active stack pointer), as in {@link CpuRegisters.registers}. */
  readonly registers: Uint32Array;
}

/** Options for {@link sstFaultView}. */
export interface SstFaultViewOptions {
  /**
   * The word at an address no part of the test lists (default 0). The chip never read those
   * words, so any content gives the same execution; varying it checks that a verdict does not
   * lean on the test's empty memory.
   */
  readonly fill?: (address: number) => number;
}

/** Whether the real chip took an address error during the test. */
function addressErrorAt(test: SstTest): number {
  return test.transactions.findIndex((t) => t.kind === SstTransactionKind.ReadAddressError || t.kind === SstTransactionKind.WriteAddressError);
}

function memoryOf(state: SstState): Map<number, number> {
  const words = new Map<number, number>();
  for (const [address, word] of state.ram) words.set(address & ADDRESS_MASK, word);
  return words;
}

/**
 * The fault handler's view of an address-error case, or null when the test took none.
 *
 * Registers and frame come from the final state only. Memory is the initial RAM and prefetch
 * words with the instruction's own completed writes applied (from the bus log, up to the
 * aborted cycle): the test runs in supervisor mode on one stack, so the chip's frame may land
 * on words the instruction's operands live in; an OS handling a user program's fault reads
 * memory as the instruction left it, its frame being on another stack.
 */
export function sstFaultView(test: SstTest, options: SstFaultViewOptions = {}): SstFaultView | null {
  const at = addressErrorAt(test);
  if (at < 0) return null;
  const final = test.final;
  const after = memoryOf(final);
  const word = (address: number): number => after.get(address & ADDRESS_MASK) ?? 0;
  const long = (address: number): number => ((word(address) << 16) | word(address + 2)) >>> 0;

  // The 7-word group-0 frame at the final supervisor stack pointer.
  const sp = final.ssp;
  const status = word(sp);
  const address = long(sp + 2);
  const instructionRegister = word(sp + 6);
  const statusRegister = word(sp + 8);
  const programCounter = long(sp + 10);
  const functionCode = status & 7;
  const read = (status & 0x10) !== 0;
  const program = functionCode === 2 || functionCode === 6;
  const frame: FaultFrame = {
    cause: FaultCause.AddressError,
    address,
    access: !read ? AccessKind.Write : program ? AccessKind.Fetch : AccessKind.Read,
    // The 68000's frame does not record the access size; a strategy for it must not need one.
    size: 2,
    functionCode,
    instructionRegister,
    statusRegister,
    programCounter,
    hidden: null,
  };

  // Taking the exception pushed the frame on the supervisor stack and entered supervisor
  // mode; the instruction ran on the stack its own SR selected.
  const supervisor = (statusRegister & SR_S) !== 0;
  const registers = new Uint32Array(16);
  for (let i = 0; i < 8; i++) registers[i] = final.d[i]!;
  for (let i = 0; i < 7; i++) registers[8 + i] = final.a[i]!;
  registers[15] = supervisor ? (final.ssp + FRAME_BYTES) >>> 0 : final.usp;
  const state: CpuRegisters = {
    registers,
    pc: programCounter,
    sr: statusRegister,
    usp: final.usp,
    ssp: (final.ssp + FRAME_BYTES) >>> 0,
  };

  // Memory at the fault: the initial words, then the writes the instruction completed.
  const memory = memoryOf(test.initial);
  const start = (test.initial.pc - 4) & ADDRESS_MASK;
  memory.set(start, test.initial.prefetch[0]);
  memory.set((start + 2) & ADDRESS_MASK, test.initial.prefetch[1]);
  for (const t of test.transactions.slice(0, at)) {
    if (t.kind !== SstTransactionKind.Write && t.kind !== SstTransactionKind.ReadModifyWrite) continue;
    const even = t.address & ADDRESS_MASK & ~1;
    const old = memory.get(even) ?? options.fill?.(even) ?? 0;
    const high = t.uds !== 0 ? t.data & 0xff00 : old & 0xff00;
    const low = t.lds !== 0 ? t.data & 0x00ff : old & 0x00ff;
    memory.set(even, high | low);
  }
  const fill = options.fill ?? ((): number => 0);
  const code: CodeReader = {
    readWord: (a: number): number | null => {
      const even = a & ADDRESS_MASK & ~1;
      return (memory.get(even) ?? fill(even)) & 0xffff;
    },
  };
  return { frame, registers: state, code };
}

/** The state the instruction started from (the answer a restart must reproduce). */
export function sstInitialState(test: SstTest): SstInitialState {
  const initial = test.initial;
  const registers = new Uint32Array(16);
  for (let i = 0; i < 8; i++) registers[i] = initial.d[i]!;
  for (let i = 0; i < 7; i++) registers[8 + i] = initial.a[i]!;
  registers[15] = (initial.sr & SR_S) !== 0 ? initial.ssp : initial.usp;
  return { startPc: (initial.pc - 4) >>> 0, registers };
}

/**
 * Test support: runs one instruction on the interpreter with its n-th memory reference
 * faulting, to produce real fault frames and partial register states for the strategies.
 * (Not exported from the package; used by the restart tests only.)
 */
import {
  AccessKind,
  BusFault,
  CpuStopReason,
  FaultCause,
  type AccessSize,
  type Bus,
  type CodeReader,
  type Cpu,
  type CpuModelName,
  type FaultFrame,
} from '@pagelab/contracts';
import { FlatBus } from '../../bus/flat-bus.js';
import { createCpu } from '../../core/index.js';

/** A flat bus whose n-th reference (1 = the opcode fetch) throws a not-present fault. */
export class NthReferenceFaultBus implements Bus {
  count = 0;
  constructor(
    readonly flat: FlatBus,
    private readonly n: number,
  ) {}
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
    this.tick(a, AccessKind.Read, 4);
    return this.flat.read32(a);
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
    this.tick(a, AccessKind.Write, 4);
    this.flat.write32(a, v);
  }
  fetch16(a: number): number {
    this.tick(a, AccessKind.Fetch, 2);
    return this.flat.fetch16(a);
  }
}

/** The outcome of faulting one reference of one instruction. */
export interface FaultedInstruction {
  readonly cpu: Cpu;
  readonly frame: FaultFrame;
  /** Reads memory except the faulting reference's words (its page is not present). */
  readonly code: CodeReader;
  /** The registers before the instruction ran, for checking undo lists. */
  readonly before: Uint32Array;
}

/**
 * Places `words` at `start`, sets A0..A6 to `addressRegisters` (default 0x8000 + 0x100*i) and
 * SP to 0x9000, runs one instruction in supervisor mode, and faults its `n`-th reference.
 * Returns null if the instruction makes fewer than n references.
 */
export function faultInstruction(model: CpuModelName, start: number, words: readonly number[], n: number, addressRegisters?: readonly number[]): FaultedInstruction | null {
  const flat = new FlatBus(1 << 24);
  words.forEach((w, i) => flat.write16(start + 2 * i, w));
  const cpu = createCpu({ model, bus: new NthReferenceFaultBus(flat, n), hostFaults: true, hostTraps: true });
  const regs = cpu.state.registers;
  for (let i = 0; i < 8; i++) regs[i] = 0x10 + i;
  for (let i = 0; i < 7; i++) regs[8 + i] = addressRegisters?.[i] ?? 0x8000 + 0x100 * i;
  regs[15] = 0x9000;
  cpu.state.ssp = 0x9000;
  cpu.state.sr = 0x2700;
  const before = Uint32Array.from(regs);
  cpu.resumeAt(start);
  if (cpu.run(1) !== CpuStopReason.BusFault || cpu.lastFault === null) return null;
  const frame = cpu.lastFault;
  const lo = frame.address >>> 0;
  const hi = lo + frame.size;
  const code: CodeReader = { readWord: (a) => (a + 2 > lo && a < hi ? null : flat.read16(a)) };
  return { cpu, frame, code, before };
}

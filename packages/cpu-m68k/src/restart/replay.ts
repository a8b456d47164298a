/**
 * Replays one instruction on a scratch copy of the interpreter to learn what the `m68000`
 * model's microcode does when a given memory reference of that instruction faults: which PC
 * it stacks, and which address registers it has already changed.
 *
 * This is how the software strategy asks "is this candidate consistent with the frame?"
 * without re-deriving the 68000's rules: the interpreter core encodes them (it is calibrated
 * against the SingleStepTests data), so the strategy uses the core as its rule book.
 *
 * The scratch CPU reads real memory through the {@link CodeReader} (never faulting) and keeps
 * its writes in an overlay, so a replay changes nothing outside itself.
 */
import { AccessKind, BusFault, CpuStopReason, FaultCause, type AccessSize, type Bus, type CodeReader, type CpuModelName, type CpuRegisters } from '@pagelab/contracts';
import { M68000 } from '../core/cpu.js';

/** Thrown inside a replay when it needs a word the CodeReader cannot give. */
class Unreadable {
  constructor(readonly address: number) {}
}

/** A bus that counts references and faults the n-th one. */
class ReplayBus implements Bus {
  references = 0;
  faultAt = 0;
  private readonly overlay = new Map<number, number>();
  constructor(private readonly words: CodeReader) {}

  reset(faultAt: number): void {
    this.references = 0;
    this.faultAt = faultAt;
    this.overlay.clear();
  }

  private reference(address: number, access: AccessKind, size: AccessSize): void {
    this.references++;
    if (this.references !== this.faultAt) return;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal, deliberately not an Error
    throw new BusFault(address, access, size, FaultCause.NotPresent);
  }

  /**
   * A byte of memory as the replay sees it. Operand data that cannot be read (the faulting
   * page, when only a later write to it faulted, as with a write-protected page) reads as 0:
   * on the 68000 operand values do not change which references an instruction makes.
   * Instruction words must be real, so an unreadable one ends the replay.
   */
  private byte(address: number, instruction: boolean): number {
    const own = this.overlay.get(address);
    if (own !== undefined) return own;
    const word = this.words.readWord(address & ~1);
    if (word === null) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a control-flow signal caught in run(), like BusFault
      if (instruction) throw new Unreadable(address);
      return 0;
    }
    return (address & 1) === 0 ? word >>> 8 : word & 0xff;
  }

  private word(address: number, instruction = false): number {
    return (this.byte(address, instruction) << 8) | this.byte(address + 1, instruction);
  }

  read8(address: number): number {
    this.reference(address, AccessKind.Read, 1);
    return this.byte(address, false);
  }
  read16(address: number): number {
    this.reference(address, AccessKind.Read, 2);
    return this.word(address);
  }
  read32(address: number): number {
    // A long is two word cycles on the 68000's bus, and either can fault: two references.
    this.reference(address, AccessKind.Read, 4);
    const high = this.word(address);
    this.reference(address + 2, AccessKind.Read, 2);
    return ((high << 16) | this.word(address + 2)) >>> 0;
  }
  fetch16(address: number): number {
    this.reference(address, AccessKind.Fetch, 2);
    return this.word(address, true);
  }
  write8(address: number, value: number): void {
    this.reference(address, AccessKind.Write, 1);
    this.overlay.set(address, value & 0xff);
  }
  write16(address: number, value: number): void {
    this.reference(address, AccessKind.Write, 2);
    this.overlay.set(address, (value >>> 8) & 0xff);
    this.overlay.set(address + 1, value & 0xff);
  }
  write32(address: number, value: number): void {
    this.reference(address, AccessKind.Write, 4);
    this.overlay.set(address, value >>> 24);
    this.overlay.set(address + 1, (value >>> 16) & 0xff);
    this.reference(address + 2, AccessKind.Write, 2);
    this.overlay.set(address + 2, (value >>> 8) & 0xff);
    this.overlay.set(address + 3, value & 0xff);
  }
}

/** What a replay that faulted left behind. */
export interface ReplayFault {
  readonly address: number;
  readonly access: AccessKind;
  readonly size: AccessSize;
  /** The function code of the reference (user/supervisor, program/data), as the frame holds it. */
  readonly functionCode: number;
  /** The PC the model stacks. */
  readonly programCounter: number;
  readonly instructionRegister: number;
  /**
   * The word a real 68000 stacks as IR when it differs from the opcode (the next opcode, already
   * prefetched when a late write faults), or null when it stacks the opcode.
   */
  readonly prefetchedInstructionRegister: number | null;
  /** The registers after the fault (D0..D7, A0..A7). */
  readonly registers: Uint32Array;
  /**
   * The faulting reference was the instruction's final prefetch (the word after the next
   * opcode): the instruction had completed, and the stacked PC is the next instruction.
   */
  readonly completed: boolean;
}

/** A scratch `m68000` interpreter for replaying single instructions. */
export class InstructionReplay {
  private readonly bus: ReplayBus;
  private cpu: M68000;

  /**
   * `model` is the one whose rules to replay: `m68000` (the default) takes instruction-stream
   * faults at prefetch time, `m68010-hidden` when each word is consumed.
   */
  constructor(
    private readonly code: CodeReader,
    private readonly model: CpuModelName = 'm68000',
  ) {
    this.bus = new ReplayBus(code);
    this.cpu = this.fresh();
  }

  private fresh(): M68000 {
    return new M68000({ model: this.model, bus: this.bus, hostTraps: true, hostFaults: true });
  }

  /**
   * Runs the instruction at `start` from `registers` and faults its `n`-th memory reference
   * (1 = the opcode fetch); with `n` past its last reference, the instruction runs as it
   * would, so only a fault of its own (an address error) stops it. Returns null when nothing
   * faulted, or when it needs a word the CodeReader cannot supply.
   */
  run(start: number, registers: Readonly<CpuRegisters>, regs: Uint32Array, n: number): ReplayFault | null {
    const cpu = this.cpu;
    const state = cpu.state;
    state.registers.set(regs);
    // No trace: a replay is exactly one instruction.
    state.sr = registers.sr & ~0x8000;
    state.usp = registers.usp;
    state.ssp = registers.ssp;
    cpu.resumeAt(start);
    this.bus.reset(n);
    let reason: CpuStopReason;
    try {
      reason = cpu.run(1);
    } catch (e) {
      if (e instanceof Unreadable) {
        // It may have escaped mid-exception, leaving internal state behind: start over.
        this.cpu = this.fresh();
        return null;
      }
      throw e;
    }
    // A replay that double-faulted leaves the scratch CPU halted until reset: start over.
    if (reason === CpuStopReason.Halted) this.cpu = this.fresh();
    const fault = cpu.lastFault;
    if (reason !== CpuStopReason.BusFault || fault === null) return null;
    return {
      address: fault.address,
      access: fault.access,
      size: fault.size,
      functionCode: fault.functionCode,
      programCounter: fault.programCounter,
      // Replays run `m68000` or `m68010-hidden`, whose frames always hold the IR.
      instructionRegister: fault.instructionRegister ?? cpu.opcode,
      prefetchedInstructionRegister: cpu.lastFaultIrFrom >= 0 ? this.code.readWord(cpu.lastFaultIrFrom) : null,
      registers: Uint32Array.from(cpu.state.registers),
      completed: cpu.lastFaultCompleted,
    };
  }
}

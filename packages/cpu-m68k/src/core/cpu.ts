import { BusFault, FrameFormatError } from '@pagelab/contracts';
import type {
  AccessKind,
  AccessSize,
  Bus,
  ContinuationState,
  Cpu,
  CpuModelName,
  CpuEngine,
  CpuOptions,
  CpuRegisters,
  CpuStopReason,
  FaultCause,
  FaultFrame,
  PageWindow,
  RegisterChange,
} from '@pagelab/contracts';
import {
  ACCESS_FETCH,
  ACCESS_READ,
  ACCESS_WRITE,
  ADDRESS_MASK,
  CAUSE_ADDRESS_ERROR,
  SR_MASK,
  SR_S,
  SR_T,
  STOP_BUDGET,
  STOP_BUS_FAULT,
  STOP_HALTED,
  STOP_STOPPED,
  VEC_ADDRESS_ERROR,
  VEC_BUS_ERROR,
  VEC_SPURIOUS,
  VEC_TRACE,
} from './constants.js';
import { FlatBus } from '../bus/flat-bus.js';
import { blockEnders, getDispatchTable, type Handler } from './decoder.js';
import { BlockCache, compileRegion, flatCode, leaveRegion, MAX_BLOCK_INSTRUCTIONS, recordRegion, scanRegion, windowAnswersKey, windowCode, type TranslatedBlock } from './translator.js';
import type { WordAt } from './inline-code.js';
import { EXCEPTION_CYCLES, GROUP0_CYCLES, INTERRUPT_CYCLES } from './timing.js';
import { decodeContinuation, encodeContinuation, REFERENCE_CAPACITY, referenceKind, SAVED_SLOTS } from './continuation.js';

/** The 68010's long bus-error frame: format $8, 29 words taken from the stack. */
const LONG_FRAME_FORMAT = 8;
const LONG_FRAME_BYTES = 58;

/**
 * Thrown inside the interpreter when the CPU itself detects an odd word/long address. It is
 * a preallocated sentinel (like `BusFault`, a control-flow signal, not an `Error`); the
 * details live in the CPU's `pending*` fields.
 */
const ADDRESS_ERROR = { addressError: true } as const;

/** Thrown when exception processing itself faults: the 68000 halts on a double bus fault. */
const DOUBLE_FAULT = { doubleFault: true } as const;

/** Options of {@link M68000}: the contract's, and how soon the translator compiles code. */
export interface M68000Options extends CpuOptions {
  /**
   * How many times code must be entered before it is translated (default
   * {@link DEFAULT_TRANSLATE_THRESHOLD}); 0 translates on first sight, which is how the
   * SingleStepTests run through the translator.
   */
  readonly translateThreshold?: number;
}

/**
 * Entries before a block is compiled. A region costs V8 tens of milliseconds to optimise and
 * runs slower than the interpreter until then, so only code that will probably run millions
 * of instructions more is worth it: a block entered this often has run about 10^5 already.
 */
export const DEFAULT_TRANSLATE_THRESHOLD = 1024;

/**
 * A 68000 interpreter. One instance is one CPU; it is also its own {@link CpuRegisters}
 * (`cpu.state === cpu`), so the hot path reads plain fields.
 *
 * Program counter convention: `pc` is the address of the next instruction-stream word the
 * interpreter will consume. Between instructions it is the address of the next instruction
 * (the contract's meaning); while an instruction runs it advances over the extension words
 * as they are consumed.
 *
 * Instruction-stream timing depends on the model. `m68010-hidden` fetches each extension word
 * when it is consumed, so a fault on one is taken by the instruction that owns it. `m68000`
 * and `pc-only` keep the 68000's two-word prefetch queue (IRD and IRC) on a bus that can fault
 * (a flat bus cannot, and skips it): consuming a word refills IRC with the word after it, and
 * an instruction that continues in sequence ends with the prefetch of the word after the next
 * opcode, so a fault on an instruction word is taken when the word is prefetched, possibly by
 * an earlier instruction (see the package README, "How faithful the fault model is").
 *
 * `m68010-continuation` fetches words when they are used too, makes every bus reference one
 * byte or word cycle (a long is two, high word first, as on the 68010's 16-bit bus) and logs
 * each with its value, so a fault can be continued: the frame carries the log, and resuming
 * replays the completed references from it and makes the rest on the bus. It always
 * interprets (the translator's inline forms reach memory without the log) and never takes the
 * flat bus's shortcut.
 */
export class M68000 implements Cpu, CpuRegisters {
  readonly model: CpuModelName;
  /** D0..D7, A0..A7 as the contract sees them (unsigned). */
  readonly registers: Uint32Array;
  /** The same registers as signed 32-bit values: what the interpreter computes with. */
  readonly r: Int32Array;
  pc = 0;
  sr = SR_S | 0x0700;
  usp = 0;
  ssp = 0;
  cycles = 0;
  instructions = 0;
  lastTrap = 0;
  lastFault: FaultFrame | null = null;

  /** The memory. Reached through one field so a single bus class keeps call sites monomorphic. */
  readonly bus: Bus;
  readonly hostTraps: boolean;
  readonly hostFaults: boolean;
  /** The decoder table (read by translated blocks when an opcode changed under them). */
  readonly table: Handler[];
  private readonly hidden: boolean;
  /** The `pc-only` model: an `m68000` whose host fault frame leaves out the instruction register. */
  private readonly pcOnly: boolean;
  /** The `m68010-continuation` model: bus references are logged, and a fault can be continued. */
  private readonly continues: boolean;
  /**
   * The current instruction's bus references so far (continuation model): kind (see
   * `referenceKind`), address and value. The first `replayCount` of them were saved by a
   * fault and are taken from here instead of the bus when the instruction is resumed.
   */
  private readonly refKinds = new Uint8Array(REFERENCE_CAPACITY);
  private readonly refAddresses = new Int32Array(REFERENCE_CAPACITY);
  private readonly refValues = new Uint16Array(REFERENCE_CAPACITY);
  private refCount = 0;
  private replayCount = 0;
  /** D0..A7, USP, SSP and SR when the current instruction began (continuation model). */
  private readonly startRegisters = new Int32Array(SAVED_SLOTS);
  private startSr = 0;
  /** The value of the write in flight, for the long frame's data output buffer. */
  private writeData = 0;
  /**
   * When the bus is a plain {@link FlatBus} (not a subclass), its memory and address mask:
   * the memory wrappers then read and write the bytes directly instead of calling through the
   * `Bus` interface. `flat` is false (and `mem` empty) for every other bus.
   */
  readonly flat: boolean;
  readonly mem: Uint8Array;
  readonly memMask: number;
  /**
   * The bus's page window, for the interpreting engine on a bus that has one (not flat, not the
   * continuation model, whose references are logged one by one): it asks the window once per
   * run and mode where a page is, for fetching, reading and writing, and then reaches the bytes
   * there itself, as the window's contract lets a CPU. A reference that hits costs an array
   * access instead of calls through the kernel's bus, the MMU's bus and its TLB; every other
   * goes to the bus. Null otherwise.
   */
  private readonly window: PageWindow | null;
  private readonly windowBytes: Uint8Array;
  private readonly pageShift: number;
  private readonly pageOffsetMask: number;
  /**
   * For each kind of reference, the page the window last answered for in this run and mode
   * (-1: none; it stays -1 with no window) and where that page starts in `windowBytes`.
   */
  private fetchPage = -1;
  private fetchBase = 0;
  private readPage = -1;
  private readBase = 0;
  private writePage = -1;
  private writeBase = 0;
  /** The translated blocks, or null when the CPU only interprets. */
  private readonly blocks: BlockCache | null;
  /** How the translator reads code ahead: flat memory, or the bus's code window (made on first use). */
  private codeReader: WordAt | null = null;
  /**
   * Where the page the dispatcher last found a region's entry in starts, virtual and physical,
   * through the window, for the run and mode in `codeKey`.
   */
  private codePage = -1;
  private codeBase = 0;
  private codeKey = -1;

  /** Opcode word of the instruction being executed (the 68000's IRD). */
  opcode = 0;
  /** Address of the first word of the instruction being executed. */
  startPc = 0;
  /**
   * Whether instruction words go through the 68000's prefetch queue, faulting when
   * prefetched (`m68000` and `pc-only` on a bus that can fault). Read by translated blocks.
   */
  readonly prefetchFaults: boolean;
  /** The queue's IRC: the prefetched word at `ircAt` (-1: empty). */
  private irc = 0;
  private ircAt = -1;
  /** The next opcode, loaded into IR by the last instruction's final prefetch, and its address (-1: none). */
  private irNext = 0;
  private irNextAt = -1;
  /** The reference in flight is an instruction's final prefetch: the instruction has completed. */
  private faultCompleting = false;
  /**
   * After a fault stopped `run` for the host: true when the faulting reference was the final
   * prefetch of an instruction that had completed (on `m68000`/`pc-only`), so the stacked PC is
   * where to go on, with nothing to undo.
   */
  lastFaultCompleted = false;
  /**
   * The PC a group-0 frame would stack if the next memory reference faulted. Effective-address
   * calculation and the instruction handlers move it as the 68000's microcode moves its PC.
   */
  faultPc = 0;
  /**
   * True once the instruction has done its final prefetch (which loads the next opcode into
   * the 68000's IR) before a later reference; a group-0 frame then holds the next opcode.
   */
  faultIrNext = false;
  /**
   * After a fault stopped `run` for the host: the address of the word a real 68000 would have
   * stacked as IR instead of the opcode (it had already prefetched the next one), or -1. The
   * host's frame always carries the opcode; the software restart strategy's replays read this.
   */
  lastFaultIrFrom = -1;
  /**
   * Cycles spent before a faulting reference beyond the 4 per extension word consumed: the
   * internal time of the operand's addressing mode (set by `eaAddress`) and whatever the
   * handler adds for earlier operand references (`faultExtra`).
   */
  faultIdle = 0;
  faultExtra = 0;
  /** The faulting reference is a PC-relative operand read (program space on the 68000). */
  faultProgram = false;
  /**
   * An `(An)+` whose increment the 68000 commits only once the operand's first access
   * completes: if that access faults, the increment is taken back. -1 when none is pending.
   */
  undoRegister = -1;
  undoStep = 0;
  /** Address-register changes made by the current instruction (for `m68010-hidden`). */
  readonly changeRegister = new Int8Array(16);
  readonly changeDelta = new Int32Array(16); // LINK changes its frame register by any amount
  changeCount = 0;

  /** Details of a CPU-detected address error, valid while `ADDRESS_ERROR` is in flight. */
  private pendingAddress = 0;
  private pendingAccess = 0;
  private pendingSize = 2;

  /** Pending interrupt request level (0 = none) and its vector (-1 = autovector). */
  irqLevel = 0;
  private irqVector = -1;
  /** Set by STOP until an interrupt (or trace) wakes the CPU. */
  stopped = false;
  /** Set after a double fault; only `reset` clears it. */
  halted = false;
  /**
   * Steps (instructions or exceptions) run by the current `run` call, and its limit. Not
   * private: translated blocks keep them as the interpreter's loop does.
   */
  steps = 0;
  stepLimit = 0;
  /**
   * How many times `run` has been called. A page window's answers hold for one run, so a
   * translated region keeps the pages it has asked for until this changes (or the mode does).
   */
  runs = 0;
  /** A handler that needs the host sets this (with `stepLimit = 0`) to end `run`. */
  stopReason = -1;
  /** A trace exception is due before the next instruction. */
  tracePending = false;
  /** Whether exception processing is under way (a fault then is a double fault). */
  private inException = false;

  constructor(options: M68000Options) {
    this.model = options.model;
    this.bus = options.bus;
    const bus = options.bus;
    this.continues = options.model === 'm68010-continuation';
    this.flat = !this.continues && bus instanceof FlatBus && Object.getPrototypeOf(bus) === FlatBus.prototype;
    this.mem = this.flat ? (bus as FlatBus).memory : new Uint8Array(0);
    this.memMask = this.flat ? (this.mem.length - 1) & ADDRESS_MASK : 0;
    // The translating engine interprets a sliver of a run (cold code, the ends of budgets); there
    // the window's extra paths cost more optimising-compiler time in a first run than they save.
    const pages = this.flat || this.continues || options.engine !== 'interpret' ? undefined : bus.pages;
    const pageSize = pages?.pageSize ?? 0;
    this.window = pages !== undefined && pageSize >= 4 && (pageSize & (pageSize - 1)) === 0 ? pages : null;
    this.windowBytes = this.window?.bytes ?? new Uint8Array(0);
    this.pageShift = this.window === null ? 0 : 31 - Math.clz32(pageSize);
    this.pageOffsetMask = this.window === null ? 0 : pageSize - 1;
    this.hostTraps = options.hostTraps === true;
    this.hostFaults = options.hostFaults === true;
    this.hidden = options.model === 'm68010-hidden';
    this.pcOnly = options.model === 'pc-only';
    this.prefetchFaults = !this.hidden && !this.continues && !this.flat;
    this.registers = new Uint32Array(16);
    this.r = new Int32Array(this.registers.buffer);
    this.table = getDispatchTable();
    const threshold = options.translateThreshold ?? DEFAULT_TRANSLATE_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 0 || threshold > 0xffff) {
      throw new RangeError(`translateThreshold: expected an integer from 0 to 65535, got ${threshold}`);
    }
    this.blocks = options.engine === 'interpret' || this.continues ? null : new BlockCache(threshold);
  }

  /** How this CPU executes instructions. */
  get engine(): CpuEngine {
    return this.blocks === null ? 'interpret' : 'translate';
  }

  /** Blocks the translator has compiled so far (0 when interpreting). */
  get blocksCompiled(): number {
    return this.blocks === null ? 0 : this.blocks.compiled;
  }

  /** The live registers: the CPU object itself. */
  get state(): CpuRegisters {
    return this;
  }

  // ---------------------------------------------------------------------------------------
  // Host interface
  // ---------------------------------------------------------------------------------------

  run(budget: number): CpuStopReason {
    if (this.halted) return STOP_HALTED;
    this.steps = 0;
    this.stepLimit = budget;
    this.runs++;
    this.stopReason = -1;
    // Between runs the host may have changed memory, the PC or the process: refill, and ask
    // the window again.
    this.emptyQueue();
    this.forgetPages();
    for (;;) {
      try {
        if (this.stopped && !this.wakeFromStop()) return STOP_STOPPED;
        this.loop();
        const reason = this.stopReason;
        this.stopReason = -1;
        return (reason === -1 ? STOP_BUDGET : reason) as CpuStopReason;
      } catch (signal) {
        const reason = this.onFault(signal);
        if (reason !== -1) return reason as CpuStopReason;
        this.steps++;
      }
    }
  }

  resumeAt(pc: number): void {
    this.pc = pc >>> 0;
    this.emptyQueue();
    this.stopped = false;
    this.replayCount = 0;
  }

  resumeContinuation(state: ContinuationState): void {
    if (!this.continues) throw new FrameFormatError(`CPU model '${this.model}' saves no continuation to resume from`);
    const saved = decodeContinuation(state);
    // Take the instruction's partial register changes back here: the replay makes them again,
    // so from outside each happens once and the OS undoes nothing.
    const r = this.r;
    const d = saved.deltas;
    for (let i = 0; i < 16; i++) r[i] = r[i]! - d[i]!;
    this.usp = (this.usp - d[16]!) >>> 0;
    this.ssp = (this.ssp - d[17]!) >>> 0;
    this.sr = saved.startSr & SR_MASK;
    this.refKinds.set(saved.kinds);
    this.refAddresses.set(saved.addresses);
    this.refValues.set(saved.values);
    this.replayCount = saved.references;
    this.pc = saved.startPc;
    this.emptyQueue();
    this.stopped = false;
  }

  requestInterrupt(level: number, vector?: number): void {
    this.irqLevel = level & 7;
    this.irqVector = vector === undefined ? -1 : vector & 0xff;
  }

  reset(): void {
    this.halted = false;
    this.stopped = false;
    this.sr = SR_S | 0x0700;
    this.inException = true;
    try {
      const ssp = this.bus.read32(0) >>> 0;
      this.r[15] = ssp;
      this.ssp = ssp;
      this.pc = this.bus.read32(4) >>> 0;
    } finally {
      this.inException = false;
    }
  }

  // ---------------------------------------------------------------------------------------
  // The interpreter loop (no try/catch here: faults unwind to `run`)
  // ---------------------------------------------------------------------------------------

  private loop(): void {
    if (this.blocks !== null) {
      this.dispatch(this.blocks);
      return;
    }
    while (this.steps < this.stepLimit) this.step();
  }

  /**
   * One step of the interpreter: a pending trace or interrupt exception, or one instruction.
   * Translated blocks repeat exactly this, instruction by instruction.
   */
  step(): void {
    this.steps++;
    // A continued instruction goes on before any trace or interrupt, as it would have had it not faulted.
    if (this.tracePending && this.replayCount === 0) {
      this.tracePending = false;
      this.traceException();
      return;
    }
    if (this.irqLevel !== 0 && this.replayCount === 0 && this.interruptPending()) {
      this.takeInterrupt();
      return;
    }
    const start = this.pc;
    if (this.continues) this.beginLogging();
    const traced = this.sr & SR_T;
    this.startPc = start;
    this.faultPc = start + 2;
    this.changeCount = 0;
    this.faultExtra = 0;
    this.faultIdle = 0;
    this.undoRegister = -1;
    this.faultProgram = false;
    if ((start & 1) !== 0) this.raiseAddressError(start, ACCESS_FETCH, 2);
    let op: number;
    if (this.flat) {
      const a = start & this.memMask;
      op = (this.mem[a]! << 8) | this.mem[a + 1]!;
    } else if (this.prefetchFaults) {
      op = this.takeOpcode(start);
    } else if (this.continues) {
      op = this.loggedRead(ACCESS_FETCH, start & ADDRESS_MASK, 2);
    } else {
      op = this.fetchCode(start & ADDRESS_MASK);
    }
    this.opcode = op;
    this.pc = start + 2;
    if (this.prefetchFaults) this.fillQueue(start);
    this.table[op]!(this);
    this.instructions++;
    if (this.continues) this.endLogging();
    if (this.prefetchFaults) this.finalPrefetch();
    // The trace exception is taken at the next instruction boundary (the next step), so
    // a single step shows the instruction's own effects only.
    if (traced !== 0) this.tracePending = true;
  }

  /**
   * The translating engine's loop: a compiled block where there is one and the budget allows
   * it, one interpreted step otherwise. Blocks run only with no trace or interrupt pending;
   * with the trace bit set, a block runs its first instruction only.
   */
  private dispatch(blocks: BlockCache): void {
    // Heat is counted only where a block begins: after an instruction that ends one, or
    // after a region. A run resumed partway through a block (after a fault, at the end of a
    // budget) must not make that point an entry of its own. Translating on first sight, every
    // instruction begins one.
    const everyStep = blocks.threshold === 0;
    let leader = everyStep;
    while (this.steps < this.stepLimit) {
      const block = this.regionAt(blocks, leader);
      if (block !== undefined) {
        const before = this.steps;
        const exit = block.run(this);
        if (exit !== undefined) leaveRegion(this, block, exit);
        leader = true;
        // Unless the region handed its first instruction back (it takes an address error, or
        // its words changed), which is interpreted below, or the same region would be entered again.
        if (this.steps !== before) continue;
      } else if (this.steps >= this.stepLimit) {
        // (Recording a region may have spent the budget.)
        break;
      }
      // One call site of the step, so V8 inlines one copy of it into this loop, not two.
      this.step();
      leader = everyStep || blockEnders[this.opcode] === 1;
    }
  }

  /**
   * The region to run at the PC, compiled now if the code there has just proved hot; none
   * (interpret a step) with a trace or interrupt pending, an odd or out-of-range PC, code not
   * yet hot, or too little budget for the region's first block. On a bus that is not flat, a
   * hot entry is recorded as it runs instead.
   */
  private regionAt(blocks: BlockCache, leader: boolean): TranslatedBlock | undefined {
    const pc = this.pc;
    if (this.tracePending || this.irqLevel !== 0 || pc !== (pc & 0xfffffe)) return undefined;
    let block = blocks.lookup(pc);
    if (block !== undefined && this.flat && block.firstOpcode !== ((this.mem[pc & this.memMask]! << 8) | this.mem[(pc + 1) & this.memMask]!)) {
      blocks.forget(pc);
      block = undefined;
    } else if (block !== undefined && this.codeReader !== null && !this.flat) {
      // Through a page window: a page that is out is the interpreter's fault to take; code
      // that changed is compiled again.
      const first = this.windowOpcode(pc);
      if (first < 0) return undefined;
      if (first !== block.firstOpcode) {
        blocks.forget(pc);
        block = undefined;
      }
    }
    if (block === undefined) {
      if (!leader || !blocks.heat(pc)) return undefined;
      const window = this.flat ? undefined : this.bus.pages;
      if (!this.flat && window === undefined) {
        recordRegion(this, blocks);
        return undefined;
      }
      this.codeReader ??= window === undefined ? flatCode(this.mem, this.memMask) : windowCode(window);
      const scanned = scanRegion(this.codeReader, pc, Math.min(MAX_BLOCK_INSTRUCTIONS, this.stepLimit - this.steps), (next) => blocks.warmth(next), window?.pageSize ?? 0);
      // (Through a window, the entry's page may be out: the interpreter takes that fault.)
      if (scanned.length === 0) return undefined;
      const region = this.flat ? compileRegion(scanned, true, this.memMask, this.mem) : compileRegion(scanned, false, 0, undefined, window);
      blocks.storeRegion(region);
      block = region[0]!;
    }
    return this.steps + block.instructions > this.stepLimit ? undefined : block;
  }

  /**
   * The opcode at `pc` through the bus's page window, or -1 where its page is out. The page's
   * place holds for the rest of the run in the same mode, so it is asked for once per page.
   */
  private windowOpcode(pc: number): number {
    const window = this.bus.pages!;
    const key = windowAnswersKey(this.runs, this.sr);
    const offset = pc & (window.pageSize - 1);
    if (key !== this.codeKey || pc - offset !== this.codePage) {
      const at = window.peekAt(pc);
      if (at < 0) return -1;
      this.codeKey = key;
      this.codePage = pc - offset;
      this.codeBase = at - offset;
    }
    const bytes = window.bytes;
    const at = this.codeBase + offset;
    return (bytes[at]! << 8) | bytes[at + 1]!;
  }

  /** Drops the translated block at `pc`: its first opcode is no longer what it was compiled from. */
  forgetBlock(pc: number): void {
    this.blocks?.forget(pc & ADDRESS_MASK);
  }

  private interruptPending(): boolean {
    const level = this.irqLevel;
    return level === 7 || level > ((this.sr >> 8) & 7);
  }

  private wakeFromStop(): boolean {
    if (this.irqLevel !== 0 && this.interruptPending()) {
      this.stopped = false;
      return true;
    }
    return false;
  }

  private takeInterrupt(): void {
    const level = this.irqLevel;
    const vector = this.irqVector >= 0 ? this.irqVector : VEC_SPURIOUS + level;
    this.cycles += INTERRUPT_CYCLES;
    this.stopped = false;
    this.exception(vector, this.pc, level);
  }

  // ---------------------------------------------------------------------------------------
  // Status register and stacks
  // ---------------------------------------------------------------------------------------

  /** Writes SR, swapping A7 between USP and SSP when the S bit changes. */
  setSr(value: number): void {
    const next = value & SR_MASK;
    const old = this.sr;
    if (((old ^ next) & SR_S) !== 0) {
      this.forgetPages();
      const r = this.r;
      if ((next & SR_S) !== 0) {
        this.usp = r[15]! >>> 0;
        r[15] = this.ssp;
      } else {
        this.ssp = r[15]! >>> 0;
        r[15] = this.usp;
      }
    }
    this.sr = next;
  }

  /** Data function code of the current mode (5 supervisor data, 1 user data). */
  private dataFc(): number {
    return (this.sr & SR_S) !== 0 ? 5 : 1;
  }

  // ---------------------------------------------------------------------------------------
  // Memory references. Word and long references check alignment first: on a 68000 an odd
  // address is an address error raised by the CPU, not a bus fault.
  // ---------------------------------------------------------------------------------------

  read8(address: number): number {
    if (this.flat) return this.mem[address & this.memMask]!;
    if (this.continues) return this.loggedRead(ACCESS_READ, address & ADDRESS_MASK, 1);
    const a = address & ADDRESS_MASK;
    if (a >>> this.pageShift === this.readPage) return this.windowBytes[this.readBase + (a & this.pageOffsetMask)]!;
    return this.readMiss(a, 1);
  }

  read16(address: number): number {
    if ((address & 1) !== 0) this.raiseAddressError(address, ACCESS_READ, 2);
    if (this.flat) {
      const m = this.mem;
      const a = address & this.memMask;
      return (m[a]! << 8) | m[a + 1]!;
    }
    if (this.continues) return this.loggedRead(ACCESS_READ, address & ADDRESS_MASK, 2);
    const a = address & ADDRESS_MASK;
    if (a >>> this.pageShift === this.readPage) {
      const b = this.windowBytes;
      const p = this.readBase + (a & this.pageOffsetMask);
      return (b[p]! << 8) | b[p + 1]!;
    }
    return this.readMiss(a, 2);
  }

  /** Reads a long as an int32. */
  read32(address: number): number {
    if ((address & 1) !== 0) this.raiseAddressError(address, ACCESS_READ, 4);
    if (this.flat) {
      const m = this.mem;
      const mask = this.memMask;
      const a = address & mask;
      const b = (a + 2) & mask;
      return (m[a]! << 24) | (m[a + 1]! << 16) | (m[b]! << 8) | m[b + 1]!;
    }
    if (this.continues) {
      const high = this.loggedRead(ACCESS_READ, address & ADDRESS_MASK, 2);
      return (high << 16) | this.loggedRead(ACCESS_READ, (address + 2) & ADDRESS_MASK, 2);
    }
    const a = address & ADDRESS_MASK;
    const offset = a & this.pageOffsetMask;
    if (a >>> this.pageShift === this.readPage && offset <= this.pageOffsetMask - 3) {
      const b = this.windowBytes;
      const p = this.readBase + offset;
      return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    }
    return this.readMiss(a, 4);
  }

  write8(address: number, value: number): void {
    if (this.flat) {
      this.mem[address & this.memMask] = value;
      return;
    }
    if (this.continues) {
      this.loggedWrite(address & ADDRESS_MASK, 1, value & 0xff);
      return;
    }
    const a = address & ADDRESS_MASK;
    if (a >>> this.pageShift === this.writePage) {
      this.windowBytes[this.writeBase + (a & this.pageOffsetMask)] = value;
      return;
    }
    this.writeMiss(a, 1, value & 0xff);
  }

  write16(address: number, value: number): void {
    if ((address & 1) !== 0) this.raiseAddressError(address, ACCESS_WRITE, 2);
    if (this.flat) {
      const m = this.mem;
      const a = address & this.memMask;
      m[a] = value >>> 8;
      m[a + 1] = value;
      return;
    }
    if (this.continues) {
      this.loggedWrite(address & ADDRESS_MASK, 2, value & 0xffff);
      return;
    }
    const a = address & ADDRESS_MASK;
    if (a >>> this.pageShift === this.writePage) {
      const b = this.windowBytes;
      const p = this.writeBase + (a & this.pageOffsetMask);
      b[p] = value >>> 8;
      b[p + 1] = value;
      return;
    }
    this.writeMiss(a, 2, value & 0xffff);
  }

  write32(address: number, value: number): void {
    if ((address & 1) !== 0) this.raiseAddressError(address, ACCESS_WRITE, 4);
    if (this.flat) {
      const m = this.mem;
      const mask = this.memMask;
      const a = address & mask;
      const b = (a + 2) & mask;
      m[a] = value >>> 24;
      m[a + 1] = value >>> 16;
      m[b] = value >>> 8;
      m[b + 1] = value;
      return;
    }
    if (this.continues) {
      this.loggedWrite(address & ADDRESS_MASK, 2, value >>> 16);
      this.loggedWrite((address + 2) & ADDRESS_MASK, 2, value & 0xffff);
      return;
    }
    const a = address & ADDRESS_MASK;
    const offset = a & this.pageOffsetMask;
    if (a >>> this.pageShift === this.writePage && offset <= this.pageOffsetMask - 3) {
      const b = this.windowBytes;
      const p = this.writeBase + offset;
      b[p] = value >>> 24;
      b[p + 1] = value >>> 16;
      b[p + 2] = value >>> 8;
      b[p + 3] = value;
      return;
    }
    this.writeMiss(a, 4, value >>> 0);
  }

  /**
   * A data read the window's page of this run did not cover: the window is asked where the
   * page is, and the page is kept if it answers, so the read is made again as a hit; else the
   * bus makes the reference, and takes the fault if there is one. A long that crosses into the
   * next page is the bus's too.
   */
  private readMiss(a: number, size: number): number {
    const physical = this.window === null ? -1 : this.window.readAt(a);
    if (physical >= 0) {
      this.readPage = a >>> this.pageShift;
      this.readBase = physical - (a & this.pageOffsetMask);
      if (this.fitsInPage(a, size)) return size === 1 ? this.read8(a) : size === 2 ? this.read16(a) : this.read32(a);
    }
    return size === 1 ? this.bus.read8(a) : size === 2 ? this.bus.read16(a) : this.bus.read32(a) | 0;
  }

  /** As {@link readMiss}, for a write (the window's answer for a write sets the modified bit). */
  private writeMiss(a: number, size: number, value: number): void {
    const physical = this.window === null ? -1 : this.window.writeAt(a);
    if (physical >= 0) {
      this.writePage = a >>> this.pageShift;
      this.writeBase = physical - (a & this.pageOffsetMask);
      if (this.fitsInPage(a, size)) {
        if (size === 1) this.write8(a, value);
        else if (size === 2) this.write16(a, value);
        else this.write32(a, value);
        return;
      }
    }
    if (size === 1) this.bus.write8(a, value);
    else if (size === 2) this.bus.write16(a, value);
    else this.bus.write32(a, value);
  }

  /** Whether `size` bytes at `a` lie in one page of the window. */
  private fitsInPage(a: number, size: number): boolean {
    return (a & this.pageOffsetMask) + size <= this.pageOffsetMask + 1;
  }

  /** An instruction-stream word at `a` (masked, even): from the window's page of this run, or through the bus. */
  private fetchCode(a: number): number {
    if (a >>> this.pageShift === this.fetchPage) {
      const b = this.windowBytes;
      const p = this.fetchBase + (a & this.pageOffsetMask);
      return (b[p]! << 8) | b[p + 1]!;
    }
    return this.fetchMiss(a);
  }

  /** As {@link readMiss}, for an instruction-stream word (which never crosses a page). */
  private fetchMiss(a: number): number {
    const physical = this.window === null ? -1 : this.window.fetchAt(a);
    if (physical < 0) return this.bus.fetch16(a);
    this.fetchPage = a >>> this.pageShift;
    this.fetchBase = physical - (a & this.pageOffsetMask);
    return this.fetchCode(a);
  }

  /** Drops the pages the window answered for: a new run, or a change of mode, asks again. */
  private forgetPages(): void {
    this.fetchPage = -1;
    this.readPage = -1;
    this.writePage = -1;
  }

  // ---------------------------------------------------------------------------------------
  // The reference log of the continuation model
  // ---------------------------------------------------------------------------------------

  /** At an instruction's start: the registers its partial changes are measured from, and an empty log (or the saved one, to replay). */
  private beginLogging(): void {
    const r = this.r;
    const s = this.startRegisters;
    for (let i = 0; i < 16; i++) s[i] = r[i]!;
    s[16] = this.usp;
    s[17] = this.ssp;
    this.startSr = this.sr;
    this.refCount = 0;
  }

  /** At an instruction's end: every saved reference must have been replayed. */
  private endLogging(): void {
    const left = this.replayCount - this.refCount;
    this.replayCount = 0;
    if (left > 0) throw new FrameFormatError(`the resumed instruction at 0x${(this.startPc >>> 0).toString(16)} completed with ${left} saved reference(s) unused`);
  }

  /** A byte or word read or instruction fetch, replayed from the log or made on the bus, and logged. */
  private loggedRead(access: number, address: number, size: number): number {
    const i = this.nextReference();
    const kind = referenceKind(access, size);
    let value: number;
    if (i < this.replayCount) {
      this.checkReplay(i, kind, address);
      value = this.refValues[i]!;
    } else {
      value = access === ACCESS_FETCH ? this.bus.fetch16(address) : size === 1 ? this.bus.read8(address) : this.bus.read16(address);
      this.logReference(i, kind, address, value);
    }
    this.refCount = i + 1;
    return value;
  }

  /** A byte or word write: skipped when replayed (it was made before the fault), else made on the bus; logged. */
  private loggedWrite(address: number, size: number, value: number): void {
    const i = this.nextReference();
    const kind = referenceKind(ACCESS_WRITE, size);
    if (i < this.replayCount) {
      this.checkReplay(i, kind, address);
      if (this.refValues[i] !== value) throw new FrameFormatError(`the resumed instruction at 0x${(this.startPc >>> 0).toString(16)} computed 0x${value.toString(16)} for its write ${i}, not the 0x${this.refValues[i]!.toString(16)} it wrote before the fault`);
    } else {
      this.writeData = value;
      if (size === 1) this.bus.write8(address, value);
      else this.bus.write16(address, value);
      this.logReference(i, kind, address, value);
    }
    this.refCount = i + 1;
  }

  /** The log index of the instruction's next bus reference. */
  private nextReference(): number {
    const i = this.refCount;
    if (i >= REFERENCE_CAPACITY) throw new Error(`an instruction made more than ${REFERENCE_CAPACITY} bus references`);
    return i;
  }

  /** Logs reference `i`, made on the bus. */
  private logReference(i: number, kind: number, address: number, value: number): void {
    this.refKinds[i] = kind;
    this.refAddresses[i] = address;
    this.refValues[i] = value;
  }

  /** A replayed reference must be the one the instruction made before the fault: otherwise its state was not this instruction's. */
  private checkReplay(i: number, kind: number, address: number): void {
    if (this.refKinds[i] === kind && this.refAddresses[i] === address) return;
    this.replayCount = 0;
    throw new FrameFormatError(
      `the resumed instruction at 0x${(this.startPc >>> 0).toString(16)} made reference ${i} (kind ${kind} at 0x${(address >>> 0).toString(16)}) where the saved state has kind ${this.refKinds[i]} at 0x${(this.refAddresses[i]! >>> 0).toString(16)}`,
    );
  }

  /** The long frame's saved state for a fault on the reference after the logged ones. */
  private saveContinuation(): ContinuationState {
    const r = this.r;
    const s = this.startRegisters;
    const deltas = new Int32Array(SAVED_SLOTS);
    for (let i = 0; i < 16; i++) deltas[i] = r[i]! - s[i]!;
    deltas[16] = (this.usp - s[16]!) | 0;
    deltas[17] = (this.ssp - s[17]!) | 0;
    const n = this.refCount;
    this.replayCount = 0;
    return encodeContinuation({
      startPc: this.startPc >>> 0,
      startSr: this.startSr,
      deltas,
      references: n,
      kinds: this.refKinds.subarray(0, n),
      addresses: this.refAddresses.subarray(0, n),
      values: this.refValues.subarray(0, n),
    });
  }

  /** Reads `size` (1, 2, 4) bytes; longs come back as int32. */
  readSized(address: number, size: number): number {
    const v = size === 1 ? this.read8(address) : size === 2 ? this.read16(address) : this.read32(address);
    this.undoRegister = -1;
    return v;
  }

  /** Writes `size` bytes; a long to memory is written as two words, high word first. */
  writeSized(address: number, size: number, value: number): void {
    if (size === 1) this.write8(address, value);
    else if (size === 2) this.write16(address, value);
    else this.write32(address, value);
    this.undoRegister = -1;
  }

  /** Consumes the next instruction-stream word. */
  fetchWord(): number {
    const pc = this.pc;
    if (this.flat) {
      this.pc = pc + 2;
      const a = pc & this.memMask;
      return (this.mem[a]! << 8) | this.mem[a + 1]!;
    }
    if (this.prefetchFaults) {
      // The word comes from IRC, which is refilled at once with the word after it.
      const word = this.ircAt === pc ? this.irc : this.fetchCode(pc & ADDRESS_MASK);
      this.pc = pc + 2;
      this.irc = this.prefetch(pc + 2, pc, false);
      this.ircAt = pc + 2;
      return word;
    }
    const word = this.continues ? this.loggedRead(ACCESS_FETCH, pc & ADDRESS_MASK, 2) : this.fetchCode(pc & ADDRESS_MASK);
    this.pc = pc + 2;
    return word;
  }

  /**
   * Consumes the next instruction-stream word without refilling the queue behind it: STOP,
   * whose immediate is already in IRC and which makes no bus cycle after it (its SingleStepTests
   * bus logs are empty), so it has no refill and no final prefetch to fault.
   */
  fetchLastWord(): number {
    if (!this.prefetchFaults) return this.fetchWord();
    const pc = this.pc;
    const word = this.ircAt === pc ? this.irc : this.fetchCode(pc & ADDRESS_MASK);
    this.pc = pc + 2;
    this.ircAt = -1;
    return word;
  }

  // ---------------------------------------------------------------------------------------
  // The prefetch queue (m68000 and pc-only on a bus that can fault). Translated blocks call
  // takeOpcode, fillQueue and finalPrefetch exactly where the interpreter's step does.
  // ---------------------------------------------------------------------------------------

  /**
   * The opcode at `start`: the one the previous instruction's final prefetch loaded, or, after
   * a change of flow (or a new `run`), fetched now, a fault on it stacking `start + 2`.
   */
  takeOpcode(start: number): number {
    return this.irNextAt === start ? this.irNext : this.fetchCode(start & ADDRESS_MASK);
  }

  /**
   * Empties the queue, so the next instruction fetches its words itself. Translated code that
   * has read its words straight from a page it knows is in leaves the queue so: the fetches it
   * did not make could not have faulted, so the next instruction's, made again, cannot either.
   */
  emptyQueue(): void {
    this.irNextAt = -1;
    this.ircAt = -1;
  }

  /** After the opcode: IRC holds the word after it, fetched now unless already prefetched. */
  fillQueue(start: number): void {
    if (this.irNextAt !== start) {
      this.irc = this.prefetch(start + 2, start + 2, false);
      this.ircAt = start + 2;
    }
    this.irNextAt = -1;
  }

  /**
   * The prefetch that ends an instruction continuing in sequence (the next opcode is in IRC):
   * IR takes the next opcode and IRC the word after it. A fault here comes after the
   * instruction has completed. MOVE to -(An) does it before its store (`early`).
   */
  finalPrefetch(): void {
    const next = this.pc;
    if (this.irNextAt === next) return; // done early, before a store
    if (next !== this.ircAt) return; // a change of flow (or a skipped word): the next instruction refills
    // The instruction's accesses are all done: nothing of it is taken back if this faults.
    this.undoRegister = -1;
    const op = this.irc;
    this.irc = this.prefetch(next + 2, next, true);
    this.ircAt = next + 2;
    this.irNext = op;
    this.irNextAt = next;
  }

  /** The final prefetch done before the instruction's last store (see {@link finalPrefetch}). */
  earlyFinalPrefetch(next: number): void {
    if (next !== this.ircAt) return;
    const op = this.irc;
    this.irc = this.prefetch(next + 2, next, false);
    this.ircAt = next + 2;
    this.irNext = op;
    this.irNextAt = next;
  }

  /** One prefetch bus cycle at `address`; a fault on it stacks `stackedPc`. */
  private prefetch(address: number, stackedPc: number, completing: boolean): number {
    const saved = this.faultPc;
    this.faultPc = stackedPc;
    this.faultCompleting = completing;
    const word = this.fetchCode(address & ADDRESS_MASK);
    this.faultCompleting = false;
    this.faultPc = saved;
    return word;
  }

  /** Consumes two instruction-stream words as an int32. */
  fetchLong(): number {
    const high = this.fetchWord();
    return (high << 16) | this.fetchWord();
  }

  /** Records that the instruction is about to change program flow to `target`; an odd target is an address error on the fetch there. */
  checkJumpTarget(target: number): void {
    if ((target & 1) !== 0) this.raiseAddressError(target, ACCESS_FETCH, 2);
  }

  raiseAddressError(address: number, access: number, size: number): never {
    this.pendingAddress = address >>> 0;
    this.pendingAccess = access;
    this.pendingSize = size;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a preallocated control-flow signal, like the contract's BusFault
    throw ADDRESS_ERROR;
  }

  /** Records an address-register auto-increment or -decrement (for the hidden restart record). */
  noteChange(register: number, delta: number): void {
    const n = this.changeCount;
    if (n < 16) {
      this.changeRegister[n] = register;
      this.changeDelta[n] = delta;
      this.changeCount = n + 1;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Effective addresses. `mode` is the 3-bit mode field; for mode 7, `reg` selects the
  // absolute, PC-relative and immediate forms.
  // ---------------------------------------------------------------------------------------

  /**
   * The address of a memory operand, consuming its extension words and applying `(An)+` and
   * `-(An)`. Also sets `faultPc` to what the 68000 stacks if the operand reference faults.
   */
  eaAddress(mode: number, reg: number, size: number): number {
    const r = this.r;
    switch (mode) {
      case 2:
        this.faultPc = this.pc;
        this.faultIdle = 0;
        return r[8 + reg]!;
      case 3: {
        const a = r[8 + reg]!;
        const step = size === 1 && reg === 7 ? 2 : size;
        r[8 + reg] = a + step;
        this.noteChange(8 + reg, step);
        // A byte or word read commits the increment even if it faults; a long read (two
        // word cycles) commits it only when complete.
        if (size === 4) {
          this.undoRegister = 8 + reg;
          this.undoStep = step;
        }
        this.faultPc = this.pc;
        this.faultIdle = 0;
        return a;
      }
      case 4: {
        const step = size === 1 && reg === 7 ? 2 : size;
        const a = r[8 + reg]! - step;
        r[8 + reg] = a;
        this.noteChange(8 + reg, -step);
        this.faultPc = size === 4 ? this.pc : this.pc + 2;
        this.faultIdle = 2;
        return a;
      }
      case 5: {
        const base = r[8 + reg]!;
        this.faultPc = this.pc;
        this.faultIdle = 0;
        return base + ((this.fetchWord() << 16) >> 16);
      }
      case 6: {
        const base = r[8 + reg]!;
        this.faultPc = this.pc;
        this.faultIdle = 2;
        return base + this.indexOffset(this.fetchWord());
      }
      default:
        switch (reg) {
          case 0: {
            const a = (this.fetchWord() << 16) >> 16;
            this.faultPc = this.pc;
            this.faultIdle = 0;
            return a;
          }
          case 1: {
            const a = this.fetchLong();
            this.faultPc = this.pc;
            this.faultIdle = 0;
            return a;
          }
          case 2: {
            const base = this.pc;
            this.faultPc = base;
            this.faultIdle = 0;
            this.faultProgram = true;
            return base + ((this.fetchWord() << 16) >> 16);
          }
          case 3: {
            const base = this.pc;
            this.faultPc = base;
            this.faultIdle = 2;
            this.faultProgram = true;
            return base + this.indexOffset(this.fetchWord());
          }
          default:
            throw new Error(`not a memory effective address: mode 7 register ${reg}`);
        }
    }
  }

  /** The displacement plus index of a brief extension word. */
  indexOffset(ext: number): number {
    let index = this.r[(ext >> 12) & 15]!;
    if ((ext & 0x800) === 0) index = (index << 16) >> 16;
    return ((ext << 24) >> 24) + index;
  }

  /** Reads an operand of `size` bytes from any effective address (longs as int32, others unsigned). */
  readEa(mode: number, reg: number, size: number): number {
    if (mode === 0) {
      const v = this.r[reg]!;
      return size === 4 ? v : v & (size === 1 ? 0xff : 0xffff);
    }
    if (mode === 1) {
      const v = this.r[8 + reg]!;
      return size === 4 ? v : v & 0xffff;
    }
    if (mode === 7 && reg === 4) {
      if (size === 4) return this.fetchLong();
      const w = this.fetchWord();
      return size === 1 ? w & 0xff : w;
    }
    return this.readSized(this.eaAddress(mode, reg, size), size);
  }

  /** Writes a data register's low `size` bytes, keeping the rest. */
  writeD(reg: number, size: number, value: number): void {
    const r = this.r;
    if (size === 4) r[reg] = value;
    else if (size === 2) r[reg] = (r[reg]! & ~0xffff) | (value & 0xffff);
    else r[reg] = (r[reg]! & ~0xff) | (value & 0xff);
  }

  // ---------------------------------------------------------------------------------------
  // Exceptions
  // ---------------------------------------------------------------------------------------

  /**
   * Group 1/2 exception processing: enter supervisor mode, push PC and SR, jump through
   * `vector`. `newMask` (0..7) sets the interrupt mask for interrupts; -1 leaves it.
   */
  exception(vector: number, stackedPc: number, newMask = -1): void {
    const oldSr = this.sr;
    this.inException = true;
    let sr = (oldSr | SR_S) & ~SR_T;
    if (newMask >= 0) sr = (sr & ~0x0700) | (newMask << 8);
    this.setSr(sr);
    const r = this.r;
    const sp = r[15]! - 6;
    r[15] = sp;
    if ((sp & 1) !== 0) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- control-flow signal
      throw DOUBLE_FAULT;
    }
    this.write16(sp + 4, stackedPc & 0xffff);
    this.write16(sp, oldSr);
    this.write16(sp + 2, stackedPc >>> 16);
    const target = this.read32(vector << 2);
    this.inException = false;
    this.stopped = false;
    this.jumpToHandler(target);
  }

  /** Group 1/2 exception with its standard cycle cost (TRAP, CHK, zero divide, illegal...). */
  trapException(vector: number, stackedPc: number): void {
    this.cycles += EXCEPTION_CYCLES;
    this.exception(vector, stackedPc);
  }

  private jumpToHandler(target: number): void {
    this.irNextAt = -1;
    if ((target & 1) !== 0) {
      // The first fetch of the handler is at an odd address: a group-0 fault of its own.
      this.startPc = this.pc;
      this.faultPc = target;
      this.raiseAddressError(target, ACCESS_FETCH, 2);
    }
    this.pc = target >>> 0;
  }

  private traceException(): void {
    this.cycles += EXCEPTION_CYCLES;
    this.exception(VEC_TRACE, this.pc);
  }

  /**
   * Handles whatever unwound the loop: an address error, a bus fault, or a double fault.
   * Returns the stop reason for `run`, or -1 to continue.
   */
  private onFault(signal: unknown): number {
    let cause: number;
    let address: number;
    let access: number;
    let size: number;
    if (signal === ADDRESS_ERROR) {
      cause = CAUSE_ADDRESS_ERROR;
      address = this.pendingAddress;
      access = this.pendingAccess;
      size = this.pendingSize;
    } else if (signal instanceof BusFault) {
      cause = signal.cause;
      address = signal.address >>> 0;
      access = signal.access;
      size = signal.size;
    } else if (signal === DOUBLE_FAULT) {
      return this.halt();
    } else {
      throw signal;
    }
    if (this.inException) return this.halt();
    const undo = this.undoRegister;
    if (undo >= 0) {
      // The faulting access was the first one of an (An)+ operand: the 68000 had not yet
      // committed the increment.
      this.r[undo] = this.r[undo]! - this.undoStep;
      this.takeBackChange(undo, this.undoStep);
      this.undoRegister = -1;
    }
    const supervisor = (this.sr & SR_S) !== 0;
    const program = access === ACCESS_FETCH || this.faultProgram;
    const functionCode = program ? (supervisor ? 6 : 2) : supervisor ? 5 : 1;
    const cyclesBefore = 2 * (this.pc - this.startPc - 2) + this.faultIdle + this.faultExtra;
    const programCounter = this.faultPc >>> 0;
    if (this.hostFaults) {
      this.lastFault = {
        cause: cause as FaultCause,
        address,
        access: access as AccessKind,
        size: size as AccessSize,
        functionCode,
        instructionRegister: this.pcOnly ? null : this.opcode,
        statusRegister: this.sr,
        programCounter,
        hidden: this.hidden ? { startPc: this.startPc >>> 0, registerChanges: this.registerChanges() } : null,
        ...(this.continues
          ? { continuation: { format: LONG_FRAME_FORMAT, frameBytes: LONG_FRAME_BYTES, writeData: access === ACCESS_WRITE ? this.writeData : null, state: this.saveContinuation() } }
          : {}),
      };
      this.lastFaultIrFrom = this.faultIrNext ? this.pc & ADDRESS_MASK : -1;
      this.faultIrNext = false;
      this.lastFaultCompleted = this.faultCompleting;
      this.faultCompleting = false;
      this.emptyQueue();
      this.pc = programCounter;
      return STOP_BUS_FAULT;
    }
    const ir = this.faultIrNext ? this.peekWord(this.pc) : this.opcode;
    this.faultIrNext = false;
    this.faultCompleting = false;
    this.emptyQueue();
    this.cycles += GROUP0_CYCLES + cyclesBefore;
    try {
      this.group0Exception(cause === CAUSE_ADDRESS_ERROR ? VEC_ADDRESS_ERROR : VEC_BUS_ERROR, programCounter, address, access, functionCode, ir);
    } catch (nested) {
      if (nested === ADDRESS_ERROR || nested instanceof BusFault || nested === DOUBLE_FAULT) return this.halt();
      throw nested;
    }
    return -1;
  }

  private halt(): number {
    this.inException = false;
    this.halted = true;
    return STOP_HALTED;
  }

  /** Removes `delta` from the latest recorded change of `register` (dropping it when it reaches 0). */
  private takeBackChange(register: number, delta: number): void {
    for (let i = this.changeCount - 1; i >= 0; i--) {
      if (this.changeRegister[i] !== register) continue;
      const rest = this.changeDelta[i]! - delta;
      if (rest !== 0) {
        this.changeDelta[i] = rest;
      } else {
        this.changeRegister.copyWithin(i, i + 1, this.changeCount);
        this.changeDelta.copyWithin(i, i + 1, this.changeCount);
        this.changeCount--;
      }
      return;
    }
  }

  /** The register changes of the current instruction as the contract's records. */
  private registerChanges(): RegisterChange[] {
    const out: RegisterChange[] = [];
    for (let i = 0; i < this.changeCount; i++) {
      out.push({ register: this.changeRegister[i]!, delta: this.changeDelta[i]! });
    }
    return out;
  }

  /** Reads an instruction-stream word for a fault frame without letting a fault escape. */
  private peekWord(address: number): number {
    try {
      return this.bus.fetch16(address & ADDRESS_MASK);
    } catch {
      return this.opcode;
    }
  }

  /** The 7-word group-0 frame: PC, SR, IR, access address, and the access status word. */
  private group0Exception(vector: number, stackedPc: number, address: number, access: number, functionCode: number, ir: number): void {
    const oldSr = this.sr;
    this.inException = true;
    this.stopped = false;
    this.setSr((oldSr | SR_S) & ~SR_T);
    const r = this.r;
    const sp = r[15]! - 14;
    r[15] = sp;
    if ((sp & 1) !== 0) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- control-flow signal
      throw DOUBLE_FAULT;
    }
    const status = (ir & 0xffe0) | (access === ACCESS_WRITE ? 0 : 0x10) | functionCode;
    this.write16(sp + 12, stackedPc & 0xffff);
    this.write16(sp + 8, oldSr);
    this.write16(sp + 10, stackedPc >>> 16);
    this.write16(sp + 6, ir);
    this.write16(sp + 4, address & 0xffff);
    this.write16(sp, status);
    this.write16(sp + 2, address >>> 16);
    const target = this.read32(vector << 2);
    this.inException = false;
    if ((target & 1) !== 0) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- control-flow signal
      throw DOUBLE_FAULT;
    }
    this.pc = target >>> 0;
  }

  /** Ends `run` after the current instruction with `reason` (TRAP to host, STOP). */
  requestStop(reason: number): void {
    this.stopReason = reason;
    this.stepLimit = 0;
  }
}

/** Creates a CPU of the given model attached to `options.bus`. */
export function createCpu(options: M68000Options): Cpu {
  return new M68000(options);
}

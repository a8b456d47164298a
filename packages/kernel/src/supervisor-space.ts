import { AccessKind, BusFault, FaultCause, type AccessSize, type Bus, type PageWindow, type CpuRegisters, type PhysicalMemory } from '@pagelab/contracts';

/** The status register's supervisor bit. */
const supervisorBit = 0x2000;
/** The 68000 has 256 exception vectors, read from supervisor data space at address 0. */
const vectorCount = 256;
/** One 4-byte handler stub per vector follows the table: the stub's address names its vector. */
const stubBase = vectorCount * 4;
/** The supervisor stack: room for a few exception frames (a group-0 frame is 14 bytes). */
const stackBase = stubBase + vectorCount * 4;
const stackBytes = 256;
/** `STOP #$2700`: the only instruction kernel stubs execute, so the host sees every exception. */
const stopOpcode = 0x4e72;
const stopOperand = 0x2700;

/**
 * The kernel's own address space, as the 68000 sees it in supervisor mode: a vector table at
 * 0, a handler stub per vector, and the supervisor stack, all in kernel-wired frames no user
 * mapping can ever name. The CPU reaches it through a {@link SupervisorSwitchBus}, which
 * routes a reference by the CPU's mode, as a 68000 system's MMU routes by function code: a
 * user program's page 0 is never read for vectors, and its stack is never the supervisor's.
 *
 * Every vector points to its own stub, which stops the CPU: the host kernel then reads the
 * vector from where the CPU stopped and kills the process with Linux's signal for it. No
 * user instruction ever runs in supervisor mode.
 */
export class SupervisorSpace {
  /** Bytes the space needs: table, stubs and stack. */
  static readonly bytes = stackBase + stackBytes;
  /** The initial supervisor stack pointer of every process. */
  readonly stackTop = stackBase + stackBytes;
  private readonly pageShift: number;
  private readonly offsetMask: number;

  /**
   * @param frames kernel-wired frames, enough for {@link SupervisorSpace.bytes}, in address order
   */
  constructor(
    private readonly memory: PhysicalMemory,
    private readonly frames: readonly number[],
  ) {
    this.pageShift = Math.log2(memory.pageSize);
    this.offsetMask = memory.pageSize - 1;
    if (frames.length * memory.pageSize < SupervisorSpace.bytes) {
      throw new RangeError(`the supervisor space needs ${SupervisorSpace.bytes} bytes, ${frames.length} frames of ${memory.pageSize} hold fewer`);
    }
    for (let vector = 0; vector < vectorCount; vector++) {
      this.store(vector * 4, stubBase + vector * 4, 4);
      this.store(stubBase + vector * 4, stopOpcode, 2);
      this.store(stubBase + vector * 4 + 2, stopOperand, 2);
    }
    // Vectors 0 and 1 (reset) are never taken through the table; they still say where the kernel's stack is.
    this.store(0, this.stackTop, 4);
  }

  /** Frames needed for the space with `pageSize`-byte pages. */
  static framesFor(pageSize: number): number {
    return Math.ceil(SupervisorSpace.bytes / pageSize);
  }

  /** A CPU bus that sends user-mode references to `user` and supervisor-mode ones here. Attach the CPU's registers before running it. */
  busFor(user: Bus): SupervisorSwitchBus {
    return new SupervisorSwitchBus(user, this);
  }

  /** The vector whose stub a CPU stopped in (its PC is just past the STOP), or -1. */
  vectorStoppedAt(pc: number): number {
    const offset = pc - 4 - stubBase;
    if (offset < 0 || offset >= vectorCount * 4 || (offset & 3) !== 0) return -1;
    return offset >>> 2;
  }

  /** The PC a group-1/2 exception stacked at supervisor `sp` (SR at sp, PC at sp + 2). */
  stackedPc(sp: number): number {
    if (sp < stackBase || sp + 6 > this.stackTop) return -1;
    return this.load(sp + 2, 4);
  }

  /** Supervisor-mode access: the space's bytes, read-only below the stack. */
  read(address: number, size: AccessSize, access: AccessKind): number {
    this.check(address, size, access);
    return this.load(address, size);
  }

  write(address: number, size: AccessSize, value: number): void {
    this.check(address, size, AccessKind.Write);
    this.store(address, value, size);
  }

  private check(address: number, size: AccessSize, access: AccessKind): void {
    // BusFault is the bus contract's control-flow signal (not an Error): the CPU catches it.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (address < 0 || address + size > SupervisorSpace.bytes) throw new BusFault(address, access, size, FaultCause.Unmapped);
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (access === AccessKind.Write && address < stackBase) throw new BusFault(address, access, size, FaultCause.Protection);
  }

  private physical(address: number): number {
    return this.frames[address >>> this.pageShift]! * this.memory.pageSize + (address & this.offsetMask);
  }

  private load(address: number, size: number): number {
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.memory.bytes[this.physical(address + i)]!;
    return value;
  }

  private store(address: number, value: number, size: number): void {
    for (let i = size - 1; i >= 0; i--) {
      this.memory.bytes[this.physical(address + i)] = value & 0xff;
      value = Math.floor(value / 256);
    }
  }
}

/**
 * The bus a user process's CPU runs on: the user's translated address space in user mode,
 * the kernel's {@link SupervisorSpace} in supervisor mode (exception processing and the
 * kernel's stubs). The mode test is one field read per reference.
 */
export class SupervisorSwitchBus implements Bus {
  private registers: Pick<CpuRegisters, 'sr'> = { sr: supervisorBit };
  /** The user space's page window, in user mode only: supervisor references always go through the bus. */
  readonly pages?: PageWindow;

  constructor(
    private readonly user: Bus,
    private readonly kernel: SupervisorSpace,
  ) {
    if (user.pages !== undefined) this.pages = new UserModeWindow(user.pages, this);
  }

  /** Whether the attached CPU is in user mode: only then do references go to the user's space. */
  inUserMode(): boolean {
    return (this.registers.sr & supervisorBit) === 0;
  }

  /** Connects the CPU whose mode decides where each reference goes. */
  attach(registers: CpuRegisters): void {
    this.registers = registers;
  }

  read8(address: number): number {
    return this.inUserMode() ? this.user.read8(address) : this.kernel.read(address, 1, AccessKind.Read);
  }

  read16(address: number): number {
    return this.inUserMode() ? this.user.read16(address) : this.kernel.read(address, 2, AccessKind.Read);
  }

  read32(address: number): number {
    return this.inUserMode() ? this.user.read32(address) : this.kernel.read(address, 4, AccessKind.Read);
  }

  write8(address: number, value: number): void {
    if (this.inUserMode()) this.user.write8(address, value);
    else this.kernel.write(address, 1, value & 0xff);
  }

  write16(address: number, value: number): void {
    if (this.inUserMode()) this.user.write16(address, value);
    else this.kernel.write(address, 2, value & 0xffff);
  }

  write32(address: number, value: number): void {
    if (this.inUserMode()) this.user.write32(address, value);
    else this.kernel.write(address, 4, value >>> 0);
  }

  fetch16(address: number): number {
    return this.inUserMode() ? this.user.fetch16(address) : this.kernel.read(address, 2, AccessKind.Fetch);
  }
}

/**
 * The user space's page window while the CPU is in user mode; in supervisor mode every answer
 * is -1, so the reference goes through the bus to the kernel's space. A class for the same
 * reason as the MMU's window: one set of methods for every process.
 */
class UserModeWindow implements PageWindow {
  readonly bytes: Uint8Array;
  readonly pageSize: number;

  constructor(
    private readonly user: PageWindow,
    private readonly bus: SupervisorSwitchBus,
  ) {
    this.bytes = user.bytes;
    this.pageSize = user.pageSize;
  }

  fetchAt(address: number): number {
    return this.bus.inUserMode() ? this.user.fetchAt(address) : -1;
  }

  readAt(address: number): number {
    return this.bus.inUserMode() ? this.user.readAt(address) : -1;
  }

  writeAt(address: number): number {
    return this.bus.inUserMode() ? this.user.writeAt(address) : -1;
  }

  peekAt(address: number): number {
    return this.bus.inUserMode() ? this.user.peekAt(address) : -1;
  }
}

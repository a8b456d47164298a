import {
  AccessKind,
  formatCount,
  isPagelabError,
  Errno,
  CpuStopReason,
  FaultCause,
  FrameState,
  PinReason,
  Protection,
  TransferDirection,
  type AmbiguityPolicy,
  type CodeReader,
  type ContinuationState,
  type Cpu,
  type DmaController,
  type FaultFrame,
  type FrameTable,
  type IoBufferStrategy,
  type IoRequest,
  type Mmu,
  type Pager,
  type PagelabError,
  type PhysicalMemory,
  type RegisterChange,
  type PinRecord,
  type PinStats,
  type RestartStrategy,
  type RunStatistics,
  type SeamName,
  type Transfer,
  type ByteSource,
} from '@pagelab/contracts';
import { DiskDevice, StreamDevice } from '@pagelab/dma';
import type { SystemConfig } from './config.js';
import { RunEventLog } from './event-log.js';
import { OwnershipWatch } from './ground-truth.js';
import type { IoMeasurements } from './io-meter.js';
import { KernelIoServices } from './io-services.js';
import { LoadController, type LoadControlCounts, type LoadControlHost } from './load-control.js';
import { SwapOutPolicy } from './swap-out-policy.js';
import type { PartOrigins, SystemParts } from './parts.js';
import { checkSeamPart } from './seam-check.js';
import { Process, type OpenFile } from './process.js';
import { ProgramContents, type ProgramImage } from './program-image.js';
import { PriorityRoundRobin } from './scheduler.js';
import { checkSyntheticSpec, ReferenceGenerator, type SyntheticSpec } from './synthetic.js';
import { EventHeap } from './time/event-heap.js';
import { CountingClock } from './time/counting-clock.js';
import { DeferrableClock } from './time/deferrable-clock.js';
import { SimulationClock } from './time/simulation-clock.js';
import { UserMemory } from './user-memory.js';
import { addressSpaceTop, stackBytes, syntheticBase, syntheticPageLimit } from './layout.js';
import { SystemCalls } from './system-calls.js';
import { signalForVector, type LinuxSignal } from './signals.js';
import { SupervisorSpace } from './supervisor-space.js';
import { LockLeaker } from './lock-leaks.js';
import { FreshLockLeakingFrames } from './leaky-frame-table.js';
import { KernelPages, KernelPanic, type KernelMemoryReport } from './kernel-pages.js';
import { diagnose, framesHeld, leakedLocks, reasonWord, type LeakedLock, type LeakSample, type LockLeakReport } from './lock-audit.js';

/** Synthetic processes' pages start here. */
/** Cycles a synthetic reference costs (about one short 68000 instruction). */
const syntheticReferenceCycles = 8;
/** The status register's supervisor bit. */
const supervisorBit = 0x2000;
/** Access kinds as a report names them. */
const accessNames: Readonly<Record<AccessKind, string>> = { [AccessKind.Read]: 'read', [AccessKind.Write]: 'write', [AccessKind.Fetch]: 'instruction fetch' };
const hex = (value: number) => (value >>> 0).toString(16);
/** Faults in a row without an instruction completing before the kernel calls it a livelock. */
const livelockFaults = 256;

/** How a process ended, or that it had not when the run stopped. */
export type ProcessStatus = 'exited' | 'killed' | 'running';

/** Why a run stopped: every process ended, simulated time reached the bound, the caller interrupted it, or the kernel panicked (a pageable kernel faulting on itself where it cannot). */
export type RunEnd = 'all-ended' | 'max-cycles' | 'interrupted' | 'kernel-panic';

/** One process's result. */
export interface ProcessReport {
  readonly pid: number;
  readonly name: string;
  readonly priority: number;
  /** Exited by itself, killed by the kernel, or still running when the run stopped. */
  readonly status: ProcessStatus;
  /** Exit status, or null when killed or still running. */
  readonly exitCode: number | null;
  /** Why it was killed (the signal's name first: `SIGILL: illegal instruction at pc 0x1004`), or null. */
  readonly killed: string | null;
  /** The fatal signal it was killed with, or null. */
  readonly signal: LinuxSignal | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Page faults its own references took (not those a system call served on its behalf). */
  readonly pageFaults: number;
  /** Simulated cycle at which it exited or was killed (its completion time), or null if still running. */
  readonly endedAtCycle: number | null;
}

/** Restart verdict counts. */
export interface RestartCounts {
  /** Backed up and restarted (ambiguous ones a policy resolved included). */
  readonly restarted: number;
  /** More than one start was consistent. */
  readonly ambiguous: number;
  /** Ambiguous ones the policy resolved. */
  readonly resolved: number;
  /** The strategy could not restart (the process was killed). */
  readonly unrecoverable: number;
}

/** What a run produced. */
export interface RunReport {
  /** Why the run stopped. */
  readonly ended: RunEnd;
  readonly processes: readonly ProcessReport[];
  readonly statistics: RunStatistics;
  readonly restarts: RestartCounts;
  /** The I/O figures the kernel measured itself (never the strategy's own account). */
  readonly io: IoMeasurements;
  readonly corruptedBytes: number;
  /** Pin counters at the end of the run: at rest `acquired === released`, or a lock was leaked. */
  readonly pins: PinStats;
  readonly contextSwitches: number;
  /** Timer interrupts delivered to the pager (`onClockTick`), one every `tickInterval` cycles. */
  readonly clockTicks: number;
  /** The names the parts that ran report for themselves (a lab's part under its own name). */
  readonly partNames: PartNames;
  /** Load control's suspensions, resumes, pages it swapped out and cycles processes spent suspended (zeros when off). */
  readonly loadControl: LoadControlCounts;
  /** Cycles the CPU had nothing to run: every live process was waiting (for a page, a transfer, or load control). */
  readonly idleCycles: number;
  /**
   * The leak audit at the end of the run: every lock never released (its frame, reason, holder
   * and age), the frames lost to them, a one-line diagnosis, and, when `leakLocks` injected the
   * leaks, how many and the state of memory at every timer tick.
   */
  readonly lockLeaks: LockLeakReport;
  /**
   * Cycles the CPU stalled while the swap area read or wrote a page (those transfers are
   * synchronous in this kernel). `1 - (idleCycles + swapCycles) / simulatedCycles` is the share
   * of time the CPU was not waiting on a disk: its utilisation.
   */
  readonly swapCycles: number;
  /**
   * The kernel's own frames (supervisor space, bounce pool, frame table, page tables), what the
   * replacement policy did to them and the panic that ended the run, if one did; null with
   * `kernelPages` `host`, where page tables and the frame table take no simulated frame.
   */
  readonly kernelMemory: KernelMemoryReport | null;
  /**
   * Host wall-clock time the run took: the one figure that is not a function of the
   * configuration and seed, so reports meant to be compared byte for byte leave it out.
   */
  readonly hostMilliseconds: number;
}

/** How a run is bounded and watched. */
export interface RunOptions {
  /** Stop once simulated time passes this many cycles (default: the configuration's `maxCycles`). */
  readonly maxCycles?: number;
  /** Called every 10 M simulated cycles or so. */
  readonly onProgress?: (cycles: number) => void;
  /** Asked between time slices: true stops the run (Ctrl-C). */
  readonly interrupted?: () => boolean;
}

/** Which replacement policy, I/O buffer strategy and restart strategy a run used, by their own names. */
export interface PartNames {
  readonly replacementPolicy: string;
  readonly io: string;
  readonly restart: string;
}

/** An I/O request in flight, found again by its DMA tag. */
interface PendingIo {
  readonly process: Process;
  /** What the system call asked for. */
  readonly whole: IoRequest;
  /** What is in flight now: the whole request, or the current piece of a split one. */
  request: IoRequest;
  readonly file: OpenFile;
  token: number;
  /** Piece size when the strategy asked for the request in pieces, else 0. */
  pieceBytes: number;
  /** Bytes the finished pieces delivered. */
  done: number;
}

/**
 * A whole simulated machine: physical memory, the MMU, the frame table, the pager, a DMA
 * controller, an I/O buffer strategy, a restart strategy, processes and a scheduler, all on
 * one simulated clock. Built by `createSystem`.
 */
export class System {
  readonly clock = new SimulationClock();
  readonly events = new EventHeap();
  readonly log = new RunEventLog(10_000);
  readonly memory: PhysicalMemory;
  readonly mmu: Mmu;
  readonly frames: FrameTable;
  readonly pager: Pager;
  readonly dma: DmaController;
  readonly io: IoBufferStrategy;
  readonly restart: RestartStrategy;
  readonly ambiguity: AmbiguityPolicy;
  /** The kernel's vector table, exception stubs and supervisor stack. */
  readonly supervisor: SupervisorSpace;
  private readonly pagerClock = new DeferrableClock(this.clock);
  /** The swap area's clock: its page transfers stall the CPU, and the kernel counts those cycles. */
  private readonly swapClock = new CountingClock(this.clock);
  private readonly contents: ProgramContents;
  private readonly user: UserMemory;
  private readonly services: KernelIoServices;
  private readonly watch: OwnershipWatch;
  private readonly calls: SystemCalls;
  private readonly scheduler = new PriorityRoundRobin<Process>();
  private readonly processes: Process[] = [];
  private readonly byAddressSpace = new Map<number, Process>();
  /** Load control, or null when it is off. */
  private readonly load: LoadController<Process> | null;
  /** Fault injection: which locks leak (null when off). */
  private readonly leaker: LockLeaker | null;
  /** The pager's view of the frame table when fresh-page locks leak, else null. */
  private readonly leakingFrames: FreshLockLeakingFrames | null;
  /** Memory at each timer tick while leaks are injected. */
  private readonly leakSamples: LeakSample[] = [];
  /** The kernel's page tables and frame table in simulated frames, or null when they live in host memory. */
  private readonly kernelPages: KernelPages | null;
  /** Resident pages per address space, counted once per timer tick for load control. */
  private residentCounts: Map<number, number> | null = null;
  private idle = 0;
  private readonly files = new Map<string, DiskDevice>();
  private readonly pending = new Map<number, PendingIo>();
  private readonly waitingForPool: PendingIo[] = [];
  private nextPid = 1;
  private nextTag = 1;
  private current: Process | null = null;
  private counts = { restarted: 0, ambiguous: 0, resolved: 0, unrecoverable: 0 };
  private switches = 0;
  private ticks = 0;
  private nextTickAt: number;
  private lastProgress = 0;
  private hostTime = 0;
  private finished: RunReport | null = null;

  constructor(
    readonly config: SystemConfig,
    private readonly parts: SystemParts,
    origins: PartOrigins = {},
  ) {
    const from = (seam: SeamName) => origins[seam] ?? 'pagelab';
    const { frames: frameCount, pageSize } = config;
    this.nextTickAt = config.tickInterval;
    this.memory = { bytes: new Uint8Array(frameCount * pageSize), frameCount, pageSize };
    this.mmu = checkSeamPart('mmu', parts.createMmu({ frameCount, pageSize, addressWidth: 24, tlbEntries: config.tlb.entries, tlbWays: config.tlb.ways }), from('mmu'));
    this.frames = checkSeamPart('frame-table', parts.createFrameTable({ frameCount, quota: config.lockQuota }), from('frame-table'));
    const kernelFrames: number[] = [];
    for (let i = 0; i < config.kernelFrames; i++) kernelFrames.push(this.frames.allocateWired());
    this.supervisor = new SupervisorSpace(this.memory, kernelFrames.slice(0, SupervisorSpace.framesFor(pageSize)));
    // A pageable kernel pages its bounce pool too (see KernelPages.bouncePool); otherwise it is wired at boot.
    const bouncePool: number[] = [];
    if (config.kernelPages !== 'pageable') for (let i = 0; i < config.bounceFrames; i++) bouncePool.push(this.frames.allocateWired());
    this.contents = new ProgramContents(pageSize);
    this.load = config.loadControl === null ? null : new LoadController(config.loadControl, this.loadControlHost());
    const load = this.load;
    const suspended = load === null ? null : {
      get heldCount() {
        return load.heldCount;
      },
      isHeldSpace: (addressSpace: number) => load.isHeldSpace(addressSpace),
      swappedOut: (addressSpace: number, page: number) => {
        const owner = this.byAddressSpace.get(addressSpace);
        if (owner !== undefined) load.noteSwappedOut(owner, page);
      },
    };
    const policy = parts.replacementPolicy(config.policy, config.seed);
    this.leaker = config.leakLocks === null ? null : new LockLeaker(config.leakLocks);
    this.leakingFrames = this.leaker?.kind === 'fresh-page' ? new FreshLockLeakingFrames(this.frames, this.leaker) : null;
    this.kernelPages = config.kernelPages === 'host' ? null : new KernelPages(config.kernelPages, {
      mmu: this.mmu,
      frames: this.frames,
      now: () => this.clock.now,
      pageIn: (space, page) => this.kernelPageIn(space, page),
      release: (space) => this.pager.releaseAddressSpace(space, this.mmu.destroyAddressSpace(space)),
      nameOf: (space) => this.processName(space),
    }, { supervisorFrames: config.kernelFrames, bounceFrames: config.bounceFrames });
    // A pageable kernel's pager reaches page tables and frame-table entries through views that check their pages are resident.
    const checked = this.kernelPages?.mode === 'pageable' ? this.kernelPages : null;
    this.pager = checkSeamPart('pager', parts.createPager(
      {
        mmu: checked?.mmuView() ?? this.mmu,
        frames: checked?.frameTableView(this.leakingFrames ?? this.frames) ?? this.leakingFrames ?? this.frames,
        memory: this.memory,
        store: parts.createBackingStore({ pageSize, slots: config.swapSlots, clock: this.swapClock, costs: config.costs }),
        contents: this.contents,
        clock: this.pagerClock,
        costs: config.costs,
      },
      {
        policy: (context) => {
          const chosen = checkSeamPart('replacement-policy', policy(context), from('replacement-policy'));
          // With load control on, suspended processes' frames are the first victims: their swap-out.
          return suspended === null ? chosen : new SwapOutPolicy(chosen, this.frames, suspended);
        },
        scope: config.scope,
        lockFreshPages: config.lockFreshPages,
      },
    ), from('pager'));
    // Every fault served for the kernel's own accesses may drop hint pins: the I/O meter notes when.
    this.user = new UserMemory(this.mmu, (addressSpace, page, access) => {
      if (this.kernelPages === null) this.pageIn(addressSpace, page, access);
      else this.kernelPages.within(`fault on user page 0x${hex(page << this.mmu.pageShift)} of ${this.processName(addressSpace)} (kernel access)`, 'fault handler', () => this.pageIn(addressSpace, page, access));
      this.services.observeDrops();
    }, this.memory);
    const pool = checked === null ? bouncePool : checked.bouncePool(config.bounceFrames);
    this.services = new KernelIoServices(this.user, this.frames, this.memory, this.clock, pool, config.costs.copyPerByte);
    if (this.leaker?.kind === 'io-pin') this.services.leaker = this.leaker;
    this.watch = new OwnershipWatch(this.frames, pageSize, this.log);
    this.calls = new SystemCalls({
      user: this.user,
      mmu: this.mmu,
      costs: config.costs,
      files: this.files,
      createFile: (path) => this.diskFile(path, new Uint8Array(0)),
      exit: (process, status) => this.exit(process, status),
      outOfMemory: (process, error) => this.outOfMemory(process, error),
      startIo: (process, file, direction, address, length) => this.startIo(process, file, direction, address, length),
    });
    this.dma = checkSeamPart('dma', parts.createDma({
      memory: this.memory.bytes,
      clock: this.clock,
      events: this.events,
      channels: config.dmaChannels,
      burstBytes: config.costs.dmaBurstBytes,
      burstInterval: config.costs.dmaBurstInterval,
      listener: {
        burst: (transfer, address, length, at) => {
          const toMemory = transfer.request.direction === TransferDirection.DeviceToMemory;
          this.log.record({ kind: 'dma-burst', at, transfer: transfer.request.tag, direction: toMemory ? 'to-memory' : 'from-memory', address, bytes: length });
          if (toMemory) this.watch.burst(transfer.request.tag, address, length, at);
        },
        complete: (transfer, bytes, at) => this.completeIo(transfer, bytes, at),
      },
    }), from('dma'));
    this.io = checkSeamPart('io-strategy', parts.ioStrategy(config.io, { copyCyclesPerByte: config.costs.copyPerByte, whenPoolFull: config.whenPoolFull }), from('io-strategy'));
    this.restart = checkSeamPart('restart-strategy', parts.restartStrategy(config.restart, config.cpuModel), from('restart-strategy'));
    this.ambiguity = parts.ambiguityPolicy(config.ambiguity);
    this.kernelPages?.boot();
  }

  /** A kernel page brought in through the pager; it is no process's fresh page, so no fresh-page lock stays on it. */
  private kernelPageIn(space: number, page: number): number {
    const frame = this.pager.handleFault(space, page, AccessKind.Write);
    if (this.config.lockFreshPages) this.pager.onDispatch(space);
    return frame;
  }

  /** `pid 3` for an address space's process, for the kernel's stack in a panic. */
  private processName(addressSpace: number): string {
    const owner = this.byAddressSpace.get(addressSpace);
    return owner === undefined ? `address space ${addressSpace}` : `pid ${owner.pid}`;
  }

  /** Records a kernel panic as the run's end; false for any other error (the caller rethrows it). */
  private caughtPanic(error: unknown): boolean {
    if (!(error instanceof KernelPanic) || this.kernelPages === null) return false;
    this.kernelPages.notePanic(error.report);
    return true;
  }

  /** Adds a file that programs can open by `path`, holding a copy of `bytes`; programs may write and extend it. */
  addFile(path: string, bytes: Uint8Array): void {
    this.files.set(path, this.diskFile(path, bytes.slice()));
  }

  /** The current contents of the file at `path` (a copy), or null if there is none. */
  fileContents(path: string): Uint8Array | null {
    return this.files.get(path)?.contents.slice() ?? null;
  }

  private diskFile(path: string, bytes: Uint8Array): DiskDevice {
    const { diskSeek, diskPerByte } = this.config.costs;
    return new DiskDevice(path, bytes, { requestCycles: diskSeek, cyclesPerByte: diskPerByte, growable: true });
  }

  /** Starts a 68000 program from its executable bytes; returns its pid. */
  spawnProgram(options: { name: string; executable: Uint8Array; priority?: number; stdin?: Uint8Array | ByteSource }): number {
    const image = this.parts.loadProgram(options.executable, options.name);
    return this.spawnImage(options.name, image, options.priority ?? 0, options.stdin);
  }

  /** Starts a program from an already loaded image; returns its pid. */
  spawnImage(name: string, image: ProgramImage, priority = 0, stdin: Uint8Array | ByteSource = new Uint8Array(0)): number {
    const { pageSize, pageShift } = this.mmu;
    const addressSpace = this.mmu.createAddressSpace();
    let end = 0;
    for (const s of image.segments) {
      const first = s.address >>> pageShift;
      const last = (s.address + s.memorySize - 1) >>> pageShift;
      this.reserveMerging(addressSpace, first, last - first + 1, s.protection);
      end = Math.max(end, s.address + s.memorySize);
    }
    const stackPages = Math.max(1, Math.ceil(stackBytes / pageSize));
    this.mmu.reserve(addressSpace, (addressSpaceTop >>> pageShift) - stackPages, stackPages, Protection.ReadWrite);
    this.contents.attach(addressSpace, image);
    const bus = this.supervisor.busFor(this.mmu.busFor(addressSpace, this.memory));
    const cpu = this.parts.createCpu({ model: this.config.cpuModel, engine: this.config.cpuEngine, bus, hostTraps: true, hostFaults: true });
    bus.attach(cpu.state);
    const process = this.addProcess(name, priority, addressSpace, { kind: 'program', cpu }, stdin);
    process.brk = Math.ceil(end / pageSize) * pageSize;
    // Linux's initial stack: argc, an empty argv, an empty environment, an empty auxiliary vector.
    const sp = addressSpaceTop - 32;
    try {
      this.user.copyOut(addressSpace, sp, new Uint8Array(16));
    } catch (error) {
      if (!this.caughtPanic(error)) throw error;
    }
    cpu.state.sr = 0x0000;
    cpu.state.registers[15] = sp;
    cpu.state.ssp = this.supervisor.stackTop;
    cpu.resumeAt(image.entry);
    return process.pid;
  }

  /** Starts a synthetic reference-string process; returns its pid. */
  spawnSynthetic(options: { name: string; spec: SyntheticSpec; priority?: number }): number {
    checkSyntheticSpec(options.spec, options.name, syntheticPageLimit(this.config.pageSize));
    const addressSpace = this.mmu.createAddressSpace();
    this.mmu.reserve(addressSpace, syntheticBase >>> this.mmu.pageShift, options.spec.pages, Protection.ReadWrite);
    const pid = this.nextPid;
    const generator = new ReferenceGenerator(options.spec, (this.config.seed * 0x9e3779b1 + pid) >>> 0);
    const body = { kind: 'synthetic' as const, spec: options.spec, generator, base: syntheticBase, referencesDone: 0, ioDue: false, retry: null };
    return this.addProcess(options.name, options.priority ?? 0, addressSpace, body, new Uint8Array(0)).pid;
  }

  private reserveMerging(addressSpace: number, first: number, count: number, protection: Protection): void {
    for (let page = first; page < first + count; page++) {
      const entry = this.mmu.entry(addressSpace, page);
      if (entry === null) this.mmu.reserve(addressSpace, page, 1, protection);
      else this.mmu.protect(addressSpace, page, (entry.protection | protection) as Protection);
    }
  }

  private addProcess(name: string, priority: number, addressSpace: number, body: Process['body'], stdin: Uint8Array | ByteSource): Process {
    const stdout = new StreamDevice(`${name}:stdout`);
    const stderr = new StreamDevice(`${name}:stderr`);
    const process = new Process(this.nextPid++, name, priority, addressSpace, body, stdout, stderr);
    process.files.push(
      // Standard input is a file redirected into the program (`prog < file`), so it costs disk time.
      { device: new StreamDevice(`${name}:stdin`, stdin, this.config.costs.diskPerByte, this.config.costs.diskSeek), name: 'stdin', position: 0, readable: true, writable: false },
      { device: stdout, name: 'stdout', position: 0, readable: false, writable: true },
      { device: stderr, name: 'stderr', position: 0, readable: false, writable: true },
    );
    this.processes.push(process);
    this.byAddressSpace.set(addressSpace, process);
    this.scheduler.enqueue(process);
    this.load?.admit(process);
    return process;
  }

  /** The kernel as load control sees it: its processes, their memory, and the two actions. */
  private loadControlHost(): LoadControlHost<Process> {
    const { frames, kernelFrames, bounceFrames } = this.config;
    return {
      userFrames: frames - kernelFrames - bounceFrames,
      liveProcesses: () => this.processes.filter((p) => p.state !== 'exited'),
      // A transfer in flight (or waiting for a bounce buffer) pins the process's memory: leave it alone.
      canSuspend: (p) => !this.hasIoInFlight(p) && !this.waitingForPool.some((w) => w.process === p),
      residentPages: (p) => this.residentPages(p.addressSpace),
      isResident: (p, page) => this.mmu.entry(p.addressSpace, page)?.present === true,
      virtualTime: (p) => (p.body.kind === 'program' ? p.body.cpu.cycles : p.body.referencesDone * syntheticReferenceCycles),
      suspend: (p) => {
        // A running or blocked process is suspended when it would have become ready.
        if (p.state !== 'ready') return;
        this.scheduler.remove(p);
        this.enterSuspension(p);
      },
      resume: (p) => {
        if (p.state !== 'suspended') return;
        p.state = 'ready';
        this.scheduler.enqueue(p);
      },
    };
  }

  /** Frames holding pages of `addressSpace` (counted for all address spaces at once, once per tick). */
  private residentPages(addressSpace: number): number {
    if (this.residentCounts === null) {
      const counts = new Map<number, number>();
      for (let f = 0; f < this.frames.frameCount; f++) {
        if (this.frames.state(f) !== FrameState.InUse) continue;
        const space = this.frames.ownerAddressSpace(f);
        counts.set(space, (counts.get(space) ?? 0) + 1);
      }
      this.residentCounts = counts;
    }
    return this.residentCounts.get(addressSpace) ?? 0;
  }

  /**
   * A process load control holds leaves the competition for the CPU. Its fresh-page locks go
   * too: they keep a page until the process runs to use it, and a suspended process will not
   * run soon; held, they would keep from the active processes the very frames suspension is
   * meant to give them. The pager releases them when told the process was dispatched, which is
   * the one way the pager contract offers (no instruction of the process runs).
   */
  private enterSuspension(process: Process): void {
    process.state = 'suspended';
    this.dispatchToPager(process);
  }

  /**
   * Tells the pager `process` was dispatched, which releases its fresh-page locks, and notes
   * when: a fresh-page lock of the process taken before then and still held is a leak.
   */
  private dispatchToPager(process: Process): void {
    process.dispatchedAt = this.clock.now;
    process.faultedSinceDispatch = false;
    if (this.leakingFrames === null) {
      this.pager.onDispatch(process.addressSpace);
      return;
    }
    this.leakingFrames.atDispatch = true;
    try {
      this.pager.onDispatch(process.addressSpace);
    } finally {
      this.leakingFrames.atDispatch = false;
    }
  }

  /** Puts a process that would have become ready back in the ready queue, unless load control holds it. */
  private makeReady(process: Process): void {
    if (this.load?.isHeld(process) === true) {
      this.enterSuspension(process);
      return;
    }
    process.state = 'ready';
    this.scheduler.enqueue(process);
  }

  /**
   * Runs until every process has ended, simulated time passes `maxCycles` (default: the
   * configuration's `maxCycles`), or `interrupted()` (asked between time slices) says stop;
   * returns the report. A run stopped early cancels the I/O in flight, releases its pins and
   * reports the processes still alive as running, with their output so far.
   */
  run(options: RunOptions = {}): RunReport {
    for (;;) {
      const ended = this.advance({ ...options, rounds: 64 });
      if (ended !== null) return this.finish(ended);
      if (options.interrupted?.() === true) return this.finish('interrupted');
    }
  }

  /**
   * Runs at most `rounds` scheduling rounds (one process's time slice each) and returns why
   * the run is over, or null if it is not: a caller that must stay responsive (to Ctrl-C) runs
   * the system in steps, then calls {@link finish}. Stepping does not change the simulation.
   */
  advance(options: RunOptions & { readonly rounds: number }): RunEnd | null {
    const started = performance.now();
    try {
      if (this.kernelPages?.panic != null) return 'kernel-panic';
      const maxCycles = options.maxCycles ?? this.config.maxCycles;
      for (let round = 0; round < options.rounds; round++) {
        if (!this.processes.some((p) => p.state !== 'exited')) return 'all-ended';
        this.fireDueEvents();
        if (this.clock.now > maxCycles) return 'max-cycles';
        const next = this.scheduler.next();
        if (next === null) {
          // Every live process suspended: one comes back, whatever the rules say.
          if (this.load?.ensureProgress(this.clock.now) === true) continue;
          const at = this.events.nextAt();
          if (at === Infinity) {
            for (const p of this.processes) if (p.state !== 'exited') this.kill(p, 'SIGKILL', 'deadlock: blocked with no I/O in flight');
            return 'all-ended';
          }
          // Idle until the next event (or the bound); the timer keeps ticking meanwhile.
          const idleFrom = this.clock.now;
          this.clock.advanceTo(Math.min(at, this.nextTickAt, Math.max(this.clock.now, maxCycles + 1)));
          this.idle += this.clock.now - idleFrom;
          continue;
        }
        if (next !== this.current) {
          this.switches++;
          this.clock.advance(this.config.costs.contextSwitch);
          this.current = next;
        }
        next.state = 'running';
        if (this.kernelPages !== null && !this.dispatchKernelPages(next)) continue;
        this.dispatchToPager(next);
        this.runSlice(next);
        if (next.state === 'running') this.makeReady(next);
        if (options.onProgress !== undefined && this.clock.now - this.lastProgress > 10_000_000) {
          this.lastProgress = this.clock.now;
          options.onProgress(this.clock.now);
        }
      }
      return null;
    } catch (error) {
      if (this.caughtPanic(error)) return 'kernel-panic';
      throw error;
    } finally {
      this.hostTime += performance.now() - started;
    }
  }

  /**
   * Makes `process`'s page tables resident before it runs (a pageable kernel's faults on its
   * own pages, taken where it can). False when there was no frame for them: the process is killed.
   */
  private dispatchKernelPages(process: Process): boolean {
    try {
      this.kernelPages!.dispatch(process.addressSpace, process.pid);
      return true;
    } catch (error) {
      if (!isPagelabError(error, 'NOTHING_EVICTABLE')) throw error;
      this.kill(process, 'SIGKILL', `out of memory: no frame for its page tables: ${error.message}`);
      return false;
    }
  }

  /**
   * Ends the run and returns its report. Processes still alive are stopped where they stand
   * (reported as running, with their output so far); DMA transfers still in flight are
   * cancelled through the I/O strategy, which releases their pins and bounce buffers; then
   * every address space is released, so the frame table's leak audit sees only real leaks.
   */
  finish(ended: RunEnd): RunReport {
    if (this.finished === null) {
      const started = performance.now();
      try {
        this.stopEverything(ended);
      } catch (error) {
        if (!this.caughtPanic(error)) throw error;
        // Cleaning up touched a kernel page that was out: the run ends in that panic instead.
        ended = 'kernel-panic';
        this.stopEverything(ended);
      }
      this.hostTime += performance.now() - started;
      this.finished = this.report(ended, this.hostTime);
    }
    return this.finished;
  }

  /**
   * Cancels the transfers in flight and ends the processes still alive. After a panic the
   * kernel has stopped: nothing is cancelled or released, the processes are reported as they stood.
   */
  private stopEverything(ended: RunEnd): void {
    if (this.kernelPages?.panic == null) {
      for (const [tag, pending] of [...this.pending]) {
        this.pending.delete(tag);
        this.watch.finished(tag);
        this.cancelIo(pending);
      }
    }
    this.waitingForPool.length = 0;
    for (const p of this.processes) {
      if (p.state !== 'exited') this.end(p, { kind: 'exit', at: this.clock.now, pid: p.pid, status: null, reason: `still running when the run stopped (${ended})` });
    }
  }

  /** Gives a cancelled transfer's buffers back through its strategy (no bytes delivered). */
  private cancelIo(pending: PendingIo): void {
    try {
      this.io.finish(pending.request, pending.token, 0, this.services, this.clock.now);
    } catch (error) {
      if (!(isPagelabError(error, 'BAD_ADDRESS') || isPagelabError(error, 'NOTHING_EVICTABLE') || isPagelabError(error, 'SWAP_EXHAUSTED'))) throw error;
    }
  }

  /** Fires the events and timer ticks that are due, in time order (a tick before an event due at the same time). */
  private fireDueEvents(): void {
    for (;;) {
      const eventAt = this.events.nextAt();
      if (this.nextTickAt <= eventAt) {
        if (this.nextTickAt > this.clock.now) return;
        this.tick();
      } else {
        if (eventAt > this.clock.now) return;
        this.events.fireUntil(eventAt);
      }
    }
  }

  /** The timer interrupt: sampling policies read and clear referenced bits here. Not charged: its cost is not modelled. */
  private tick(): void {
    this.ticks++;
    if (this.leaker !== null) this.sampleLeaks();
    this.nextTickAt += this.config.tickInterval;
    if (this.kernelPages === null) this.pager.onClockTick();
    else this.kernelPages.within('timer interrupt (replacement policy sampling referenced bits)', 'timer interrupt', () => this.pager.onClockTick());
    if (this.load !== null) {
      this.residentCounts = null;
      this.load.onTick(this.clock.now);
    }
  }

  private runSlice(process: Process): void {
    let budget = this.config.timeSlice;
    while (budget > 0 && process.state === 'running') {
      const body = process.body;
      if (body.kind === 'program') budget -= this.runProgram(process, body.cpu, budget);
      else budget -= this.runSynthetic(process, body, budget);
      this.fireDueEvents();
      if (this.scheduler.hasHigherThan(process.priority)) break;
      // Load control suspended it at the tick: it leaves the CPU now.
      if (this.load?.isHeld(process) === true) break;
    }
  }

  /** Runs a program for up to `budget` instructions (in chunks, so DMA events interleave); returns the budget used. */
  private runProgram(process: Process, cpu: Cpu, budget: number): number {
    const untilEvent = Math.min(this.events.nextAt(), this.nextTickAt) - this.clock.now;
    const chunk = Math.max(16, Math.min(budget, Number.isFinite(untilEvent) ? Math.ceil(untilEvent / 8) : budget));
    const cycles = cpu.cycles;
    const instructions = cpu.instructions;
    const reason = cpu.run(chunk);
    this.clock.advance(cpu.cycles - cycles);
    const done = cpu.instructions - instructions;
    if (done > 0) process.faultsWithoutProgress = 0;
    switch (reason) {
      case CpuStopReason.BudgetExhausted:
        break;
      case CpuStopReason.Trap:
        this.clock.advance(this.config.costs.trapEntryExit);
        if (cpu.lastTrap === 0) {
          this.calls.serve(process, cpu.state.registers);
        } else {
          const { signal, reason: why } = signalForVector(32 + cpu.lastTrap);
          this.kill(process, signal, `${why} at pc 0x${hex(cpu.state.pc - 2)}`);
        }
        break;
      case CpuStopReason.BusFault:
        this.clock.advance(this.config.costs.trapEntryExit);
        this.pageFault(process, cpu, cpu.lastFault!);
        break;
      case CpuStopReason.Stopped:
      case CpuStopReason.Halted:
        this.clock.advance(this.config.costs.trapEntryExit);
        this.userException(process, cpu, reason);
        break;
    }
    return Math.max(1, done);
  }

  /**
   * A user-mode exception went through the kernel's vector table and stopped in the vector's
   * stub (supervisor mode, where no user code ever runs): the process gets Linux's signal.
   */
  private userException(process: Process, cpu: Cpu, reason: CpuStopReason): void {
    const supervisor = (cpu.state.sr & supervisorBit) !== 0;
    const vector = reason === CpuStopReason.Stopped && supervisor ? this.supervisor.vectorStoppedAt(cpu.state.pc) : -1;
    if (vector < 0) {
      // Exception processing itself failed: cannot happen with the kernel's own stack and table, but a process must never outlive it.
      this.kill(process, 'SIGSEGV', `the CPU halted (double fault) at pc 0x${hex(cpu.state.pc)}`);
      return;
    }
    const { signal, reason: why } = signalForVector(vector);
    const pc = this.supervisor.stackedPc(cpu.state.registers[15]!);
    this.kill(process, signal, pc < 0 ? why : `${why} at pc 0x${hex(pc)}`);
  }

  private pageFault(process: Process, cpu: Cpu, fault: FaultFrame): void {
    if (fault.cause !== FaultCause.NotPresent) {
      const what = accessNames[fault.access];
      const where = `0x${hex(fault.address)} (pc 0x${hex(fault.programCounter)})`;
      if (fault.cause === FaultCause.AddressError) this.kill(process, 'SIGBUS', `address error: ${fault.size}-byte ${what} at odd address ${where}`);
      else if (fault.cause === FaultCause.Protection) this.kill(process, 'SIGSEGV', `${what} not allowed at ${where}`);
      else this.kill(process, 'SIGSEGV', `${what} of unmapped address ${where}`);
      return;
    }
    if (++process.faultsWithoutProgress > livelockFaults && !this.outOfLivelock(process)) return;
    // Back up first, while the instruction's own pages are still resident.
    const verdict = this.restart.backUp(fault, cpu.state, this.codeReader(process.addressSpace));
    let startPc: number;
    let undo: readonly RegisterChange[];
    switch (verdict.kind) {
      case 'continued':
        this.continueInstruction(process, cpu, fault, verdict.state);
        return;
      case 'restarted':
        ({ startPc, undo } = verdict);
        break;
      case 'ambiguous': {
        this.counts.ambiguous++;
        const chosen = this.ambiguity.choose(verdict.candidates, fault);
        this.recordRestart(process, 'ambiguous', null, verdict.candidates.length);
        if (chosen === null) {
          this.counts.unrecoverable++;
          this.kill(process, 'SIGBUS', `ambiguous restart at pc 0x${fault.programCounter.toString(16)}: ${verdict.candidates.map((c) => `0x${c.startPc.toString(16)} ${c.disassembly}`).join(' | ')}`);
          return;
        }
        this.counts.resolved++;
        ({ startPc, undo } = chosen);
        break;
      }
      case 'unrecoverable':
        this.counts.unrecoverable++;
        this.recordRestart(process, 'unrecoverable', null, 0);
        this.kill(process, 'SIGBUS', `cannot restart the faulting instruction: ${verdict.reason}`);
        return;
    }
    if (!this.serviceFault(process, fault.address >>> this.mmu.pageShift, fault.access)) return;
    for (const change of undo) cpu.state.registers[change.register] = (cpu.state.registers[change.register]! - change.delta) >>> 0;
    cpu.resumeAt(startPc);
    this.counts.restarted++;
    if (verdict.kind === 'restarted') this.recordRestart(process, 'restarted', startPc, verdict.chosenFrom?.length ?? 1);
  }

  /**
   * A `continued` verdict: nothing is backed up. The page is brought in, and the instruction
   * resumes where it stopped from the state its long frame saved, handed back as it came.
   */
  private continueInstruction(process: Process, cpu: Cpu, fault: FaultFrame, state: ContinuationState): void {
    if (cpu.resumeContinuation === undefined) {
      this.counts.unrecoverable++;
      this.recordRestart(process, 'unrecoverable', null, 0);
      this.kill(process, 'SIGBUS', `cannot continue the faulting instruction: CPU model '${cpu.model}' does not resume a saved state`);
      return;
    }
    if (!this.serviceFault(process, fault.address >>> this.mmu.pageShift, fault.access)) return;
    try {
      cpu.resumeContinuation(state);
    } catch (error) {
      // The 68010 takes a format error for a frame it cannot resume: the process cannot go on.
      if (!isPagelabError(error, 'FRAME_FORMAT')) throw error;
      this.counts.unrecoverable++;
      this.recordRestart(process, 'unrecoverable', null, 0);
      this.kill(process, 'SIGBUS', (error as Error).message);
      return;
    }
    this.counts.restarted++;
    this.recordRestart(process, 'continued', null, 1);
  }

  /** Brings a page in through the pager and records the fault in the event log, with whether it cost an eviction. */
  private pageIn(addressSpace: number, page: number, access: AccessKind): void {
    const owner = this.byAddressSpace.get(addressSpace);
    if (owner !== undefined && !owner.faultedSinceDispatch) {
      owner.faultedSinceDispatch = true;
      owner.firstFaultAfterDispatchAt = this.clock.now;
    }
    const evictionsBefore = this.pager.statistics.evictions;
    this.kernelPages?.walk(addressSpace, page);
    const frame = this.pager.handleFault(addressSpace, page, access);
    this.log.record({ kind: 'page-fault', at: this.clock.now, addressSpace, page, frame, evicted: this.pager.statistics.evictions !== evictionsBefore });
  }

  /**
   * Serves a page fault for a running process and puts it to sleep for the time the page-in
   * takes (others run meanwhile). Returns false if the process had to be killed.
   */
  private serviceFault(process: Process, page: number, access: AccessKind): boolean {
    const hadPage = process.pagesTouched.has(page);
    process.pagesTouched.add(page);
    process.pageFaults++;
    this.load?.noteFault(process, page, hadPage);
    this.pagerClock.defer();
    for (;;) {
      try {
        if (this.kernelPages === null) this.pageIn(process.addressSpace, page, access);
        else this.kernelPages.within(`user fault pid ${process.pid} at 0x${hex(page << this.mmu.pageShift)} (${accessNames[access]})`, 'fault handler', () => this.pageIn(process.addressSpace, page, access));
        break;
      } catch (error) {
        // Swap full: the OOM killer frees someone's memory; unless that was this process, its fault is tried again.
        if (isPagelabError(error, 'SWAP_EXHAUSTED') && this.outOfMemory(process, error)) continue;
        this.clock.advance(this.pagerClock.collect());
        this.services.observeDrops();
        if (isPagelabError(error, 'NOTHING_EVICTABLE')) {
          if (this.waitForFrame(process)) return true;
          this.kill(process, 'SIGKILL', `out of memory: ${error.message}${this.leakDiagnosisSuffix()}`);
          return false;
        }
        if (isPagelabError(error, 'SWAP_EXHAUSTED')) return false;
        throw error;
      }
    }
    const sleep = this.pagerClock.collect();
    this.services.observeDrops();
    if (sleep > 0) {
      // The frame is busy with the page-in I/O until the process wakes: nobody may take it meanwhile.
      const frame = this.mmu.frameOf(process.addressSpace, page);
      if (frame >= 0) process.pageInPin = this.frames.pin(frame, PinReason.Kernel, process.addressSpace, this.clock.now);
      process.state = 'blocked';
      this.events.schedule({ at: this.clock.now + sleep, fire: () => this.wake(process) });
    }
    return true;
  }

  /**
   * Linux's OOM killer, for a swap area with no slot left: kills the live process with the
   * largest footprint (pages it has faulted in: resident, swapped out or dropped clean; the
   * faulting one on a tie), which gives back its frames and swap slots. Returns true when the
   * victim was another process, so the faulting one may try again.
   */
  private outOfMemory(faulting: Process, error: PagelabError): boolean {
    let victim = faulting;
    for (const p of this.processes) {
      if (p.state !== 'exited' && p.pagesTouched.size > victim.pagesTouched.size) victim = p;
    }
    const pages = victim.pagesTouched.size;
    this.kill(victim, 'SIGKILL', `out of memory: ${error.message}; the OOM killer chose it (${pages} pages touched${victim === faulting ? ', the faulting process' : ''})`);
    // A victim with a transfer in flight keeps its frames until it completes: retrying would find none.
    return victim !== faulting && !this.hasIoInFlight(victim);
  }

  private releasePageIn(process: Process): void {
    if (process.pageInPin < 0) return;
    this.frames.unpin(process.pageInPin, this.clock.now);
    process.pageInPin = -1;
  }

  private wake(process: Process): void {
    this.releasePageIn(process);
    if (process.state !== 'blocked') return;
    this.makeReady(process);
  }

  /**
   * The livelock guard: `process` took `livelockFaults` faults in a row without completing an
   * instruction. Without load control it is killed. With it, the others are suspended so it has
   * the frames to itself; only a process that livelocks with no other process active (it cannot
   * run even alone in the frames there are) is killed. Returns true if it goes on.
   */
  private outOfLivelock(process: Process): boolean {
    const userFrames = this.config.frames - this.config.kernelFrames - this.config.bounceFrames;
    if (this.load === null) {
      this.kill(process, 'SIGKILL', `livelock: ${livelockFaults} page faults without completing an instruction (too few evictable frames)${this.leakDiagnosisSuffix()}`);
      return false;
    }
    // Others still active are in I/O (not suspendable yet): their transfers end, then they can be.
    if (this.load.isolate(process, this.clock.now) > 0 || this.load.othersActive(process)) {
      process.faultsWithoutProgress = 0;
      return true;
    }
    this.kill(process, 'SIGKILL', `cannot run even alone: ${livelockFaults} page faults without completing an instruction with every other process suspended (${userFrames} frame${userFrames === 1 ? '' : 's'} for processes)${this.leakDiagnosisSuffix()}`);
    return false;
  }

  /**
   * With load control on, a fault that found every frame pinned (page-ins and transfers in
   * progress) waits for the next event, when a pin may go, instead of killing the process; the
   * faulting instruction is restarted then. False when nothing is pending that could free a frame.
   */
  private waitForFrame(process: Process): boolean {
    if (this.load === null) return false;
    const at = this.events.nextAt();
    if (at === Infinity) return false;
    // A wait is not a fault that made no progress: the livelock guard does not count it.
    process.faultsWithoutProgress = Math.max(0, process.faultsWithoutProgress - 1);
    process.state = 'blocked';
    this.events.schedule({ at, fire: () => this.wake(process) });
    return true;
  }

  private recordRestart(process: Process, verdict: 'restarted' | 'ambiguous' | 'unrecoverable' | 'continued', startPc: number | null, candidates: number): void {
    this.log.record({ kind: 'restart', at: this.clock.now, addressSpace: process.addressSpace, strategy: this.restart.name, verdict, startPc, candidates });
  }

  /** Reads code for the software strategy without faulting anything in. */
  private codeReader(addressSpace: number): CodeReader {
    return {
      readWord: (address) => {
        const physical = this.mmu.translate(addressSpace, address, AccessKind.Fetch);
        if (physical < 0 || physical + 1 >= this.memory.bytes.length) return null;
        return (this.memory.bytes[physical]! << 8) | this.memory.bytes[physical + 1]!;
      },
    };
  }

  /** Makes up to `budget` references of a synthetic process; returns the budget used. */
  private runSynthetic(process: Process, body: Extract<Process['body'], { kind: 'synthetic' }>, budget: number): number {
    const { generator, spec } = body;
    const shift = this.mmu.pageShift;
    let used = 0;
    while (used < budget && process.state === 'running') {
      // Every `io.every` references the process reads its file, once the reference that made
      // the count has completed: after its page-in, when that reference faulted.
      if (body.ioDue && spec.io !== undefined) {
        body.ioDue = false;
        const device = this.files.get(spec.io.file);
        if (device === undefined) {
          this.kill(process, 'SIGKILL', `synthetic I/O names a file that does not exist: ${spec.io.file}`);
          break;
        }
        const file: OpenFile = { device, name: spec.io.file, position: 0, readable: true, writable: false };
        const length = Math.min(spec.io.bytes, spec.pages << shift);
        const result = this.startIo(process, file, TransferDirection.DeviceToMemory, body.base, length);
        if (result !== null && result < 0) {
          const diagnosis = result === -Errno.ENOMEM ? this.leakDiagnosisSuffix() : '';
          this.kill(process, 'SIGKILL', `synthetic I/O failed with errno ${-result} (${errnoName(-result)})${diagnosis}`);
        }
        break;
      }
      const retry = body.retry;
      if (retry === null && generator.remaining === 0) {
        this.exit(process, 0);
        break;
      }
      let address: number;
      let write: boolean;
      if (retry === null) {
        address = body.base + (generator.next() << shift);
        write = generator.lastWasWrite;
      } else {
        ({ address, write } = retry);
        body.retry = null;
      }
      const access = write ? AccessKind.Write : AccessKind.Read;
      used++;
      body.referencesDone++;
      if (spec.io !== undefined && body.referencesDone % spec.io.every === 0) body.ioDue = true;
      if (this.mmu.translate(process.addressSpace, address, access) < 0) {
        // The reference completes once the page is in; the process sleeps meanwhile. A fault
        // that had to wait for a frame brought nothing in: the reference is made again on waking
        // (and counted, and its I/O made due, then).
        if (this.serviceFault(process, address >>> shift, access) && this.mmu.translate(process.addressSpace, address, access) < 0) {
          body.retry = { address, write };
          body.referencesDone--;
          body.ioDue = false;
        }
        break;
      }
      this.clock.advance(syntheticReferenceCycles);
    }
    return used;
  }

  /**
   * Starts a read or write through the I/O strategy and the DMA controller, blocking the
   * process. Returns a result for d0 when the call ends at once (an error), else null.
   */
  private startIo(process: Process, file: OpenFile, direction: TransferDirection, address: number, length: number): number | null {
    if (length < 0) return -Errno.EINVAL;
    const request: IoRequest = { buffer: { addressSpace: process.addressSpace, address, length }, direction, device: file.device, deviceOffset: file.position };
    const pending: PendingIo = { process, whole: request, request, file, token: 0, pieceBytes: 0, done: 0 };
    // In the system call the kernel is in the process's context: it can take a fault on its own pages here.
    const call = `${direction === TransferDirection.DeviceToMemory ? 'read' : 'write'} system call of pid ${process.pid}`;
    const failed = this.kernelPages === null ? this.beginIoOrFail(pending) : this.kernelPages.within(call, null, () => this.beginIoOrFail(pending));
    if (failed !== null) return failed;
    process.state = 'blocked';
    return null;
  }

  /**
   * {@link beginIo}, when making the buffer resident needed a frame or a swap slot there was
   * none of: with no evictable frame (the rest pinned, a trusting lock quota's doing) the call
   * fails with ENOMEM, as mlock does; with swap full the OOM killer picks a victim, and the
   * call fails with ENOMEM unless the victim was the caller (null then, as when started).
   */
  private beginIoOrFail(pending: PendingIo): number | null {
    try {
      return this.beginIo(pending);
    } catch (error) {
      if (isPagelabError(error, 'NOTHING_EVICTABLE')) return -Errno.ENOMEM;
      if (!isPagelabError(error, 'SWAP_EXHAUSTED')) throw error;
      return this.outOfMemory(pending.process, error) ? -Errno.ENOMEM : null;
    }
  }

  /** Asks the strategy for a plan and submits it; returns -errno on failure, null when started or waiting. */
  private beginIo(pending: PendingIo): number | null {
    const plan = this.io.begin(pending.request, this.services, this.clock.now);
    switch (plan.kind) {
      case 'fail':
        return -plan.errno;
      case 'wait':
        this.services.meter.poolWaits++;
        this.waitingForPool.push(pending);
        return null;
      case 'split': {
        // Pieces are split once, from the whole request, and each must be smaller than it.
        const { pieceBytes } = plan;
        if (pending.pieceBytes !== 0 || !Number.isInteger(pieceBytes) || pieceBytes < 1 || pieceBytes >= pending.whole.buffer.length) return -Errno.ENOBUFS;
        pending.pieceBytes = pieceBytes;
        this.services.meter.splitRequests++;
        pending.request = this.nextPiece(pending);
        return this.beginIo(pending);
      }
      case 'transfer': {
        if (pending.pieceBytes !== 0) this.services.meter.pieces++;
        pending.token = plan.token;
        const tag = this.nextTag++;
        this.pending.set(tag, pending);
        if (pending.request.direction === TransferDirection.DeviceToMemory) this.watch.programmed(tag, plan.segments);
        this.dma.submit({ device: pending.request.device, direction: pending.request.direction, deviceOffset: pending.request.deviceOffset, segments: plan.segments, tag });
        return null;
      }
    }
  }

  /** The next piece of a split request: the bytes after those the finished pieces delivered. */
  private nextPiece(pending: PendingIo): IoRequest {
    const { whole, done, pieceBytes } = pending;
    const length = Math.min(pieceBytes, whole.buffer.length - done);
    return { ...whole, buffer: { ...whole.buffer, address: whole.buffer.address + done, length }, deviceOffset: whole.deviceOffset + done };
  }

  private completeIo(transfer: Transfer, bytes: number, at: number): void {
    const pending = this.pending.get(transfer.request.tag);
    if (pending === undefined) return;
    this.pending.delete(transfer.request.tag);
    this.watch.finished(transfer.request.tag);
    // The transfer is over: the bounce pages it held are let go (a pageable kernel may now evict them).
    this.services.endTransfer(transfer.request.segments);
    const { process } = pending;
    if (process.state === 'exited') {
      // Killed while its transfer ran: the buffers go back now, then the address space.
      this.cancelIo(pending);
      if (!this.hasIoInFlight(process)) this.releaseMemory(process);
    } else {
      let value: number;
      try {
        value = this.kernelPages === null ? this.io.finish(pending.request, pending.token, bytes, this.services, at) : this.kernelPages.within(
          `I/O completion for pid ${process.pid} (${this.io.name} finishing a ${bytes}-byte ${pending.request.direction === TransferDirection.DeviceToMemory ? 'read' : 'write'})`,
          'I/O completion interrupt',
          () => this.io.finish(pending.request, pending.token, bytes, this.services, at),
        );
        pending.file.position += value;
      } catch (error) {
        if (isPagelabError(error, 'SWAP_EXHAUSTED')) {
          this.outOfMemory(process, error);
          value = -Errno.ENOMEM;
        } else if (isPagelabError(error, 'BAD_ADDRESS')) {
          value = -Errno.EFAULT;
        } else if (isPagelabError(error, 'NOTHING_EVICTABLE')) {
          value = -Errno.ENOMEM;
        } else {
          throw error;
        }
      }
      let finished = true;
      if (pending.pieceBytes !== 0 && value >= 0) {
        pending.done += value;
        // A short piece is the end of the file: the call returns what the pieces delivered.
        if (value === pending.request.buffer.length && pending.done < pending.whole.buffer.length) {
          pending.request = this.nextPiece(pending);
          const failed = this.inCompletion(`next piece of pid ${process.pid}'s ${pending.whole.buffer.length}-byte request`, () => this.beginIoOrFail(pending));
          if (failed === null) finished = false;
          else value = failed;
        }
      }
      if (finished) this.endIo(pending, value);
    }
    // A buffer came back to the pool: retry the requests that were waiting for one.
    for (const waiting of this.waitingForPool.splice(0)) {
      if (waiting.process.state === 'exited') continue;
      const failed = this.inCompletion(`pid ${waiting.process.pid}'s request waiting for the bounce pool`, () => this.beginIoOrFail(waiting));
      if (failed !== null) this.endIo(waiting, failed);
    }
  }

  /** Runs `body` as part of an I/O completion interrupt: a pageable kernel cannot take a fault on its own pages there. */
  private inCompletion<T>(label: string, body: () => T): T {
    return this.kernelPages === null ? body() : this.kernelPages.within(`I/O completion: ${label}`, 'I/O completion interrupt', body);
  }

  /**
   * Ends a read or write with `value` in d0 and wakes its process. A split request that fails
   * after some pieces went through returns the bytes they delivered, as a partial read does.
   */
  private endIo(pending: PendingIo, value: number): void {
    const result = pending.pieceBytes !== 0 && (value >= 0 || pending.done > 0) ? pending.done : value;
    const { process } = pending;
    if (process.body.kind === 'program') process.body.cpu.state.registers[0] = result >>> 0;
    this.wake(process);
  }

  private exit(process: Process, status: number): void {
    process.exitStatus = status;
    this.end(process, { kind: 'exit', at: this.clock.now, pid: process.pid, status, reason: null });
  }

  /** Kills `process` with a fatal Linux signal; the report shows `SIGNAL: reason`. */
  private kill(process: Process, signal: LinuxSignal, reason: string): void {
    if (process.state === 'exited') return;
    process.signal = signal;
    process.killedBecause = `${signal}: ${reason}`;
    this.end(process, { kind: 'exit', at: this.clock.now, pid: process.pid, status: null, reason: process.killedBecause });
  }

  private end(process: Process, event: Parameters<RunEventLog['record']>[0]): void {
    if (process.state === 'exited') return;
    if (process.state === 'ready') this.scheduler.remove(process);
    this.load?.forget(process, this.clock.now);
    this.releasePageIn(process);
    process.state = 'exited';
    // A process the stopped run leaves behind did not end: it is reported as still running.
    if (process.exitStatus !== null || process.killedBecause !== null) process.endedAt = this.clock.now;
    this.log.record(event);
    const waiting = this.waitingForPool.filter((w) => w.process !== process);
    this.waitingForPool.splice(0, this.waitingForPool.length, ...waiting);
    // A transfer still in flight keeps writing into the process's frames: like a process in
    // uninterruptible I/O, its memory is released only when the last transfer completes.
    if (this.kernelPages?.panic == null && !this.hasIoInFlight(process)) this.releaseMemory(process);
  }

  private hasIoInFlight(process: Process): boolean {
    for (const pending of this.pending.values()) if (pending.process === process) return true;
    return false;
  }

  private releaseMemory(process: Process): void {
    if (this.kernelPages !== null) {
      this.kernelPages.within(`exit of pid ${process.pid}`, null, () => this.releaseMemoryNow(process));
      return;
    }
    this.releaseMemoryNow(process);
  }

  private releaseMemoryNow(process: Process): void {
    process.memoryReleased = true;
    const mappings = this.mmu.destroyAddressSpace(process.addressSpace);
    this.pager.releaseAddressSpace(process.addressSpace, mappings);
    this.contents.detach(process.addressSpace);
    this.kernelPages?.releaseTable(process.addressSpace);
  }

  /** Frames processes may use: all but the kernel's and the bounce pool's. */
  private get userFrames(): number {
    return this.config.frames - this.config.kernelFrames - this.config.bounceFrames;
  }

  /**
   * The leak audit now: every held pin no one will release. The frame table knows the pins;
   * the kernel says which are still wanted: a transfer pin while its transfer is in flight, a
   * page-in pin while its process sleeps on it, a fresh-page lock until its process is next
   * dispatched. This is independent of the fault injection: it finds leaks by those rules,
   * whoever caused them.
   */
  lockAudit(): LeakedLock[] {
    const audit = this.frames.audit(this.clock.now, {
      longLockLimit: Infinity,
      isLiveAddressSpace: (addressSpace) => this.byAddressSpace.get(addressSpace)?.memoryReleased === false || this.kernelPages?.isKernelSpace(addressSpace) === true,
      disowned: (pin) => this.disowned(pin),
    });
    const leaks = leakedLocks(audit, (addressSpace) => {
      const p = this.byAddressSpace.get(addressSpace);
      return p === undefined ? null : { pid: p.pid, name: p.name };
    });
    // An orphaned lock's holder is a process that ended: say so, and what became of the frame.
    return leaks.map((leak) => {
      const p = this.byAddressSpace.get(leak.addressSpace);
      if (p === undefined || !p.memoryReleased) return leak;
      const when = p.endedAt === null ? 'when the run stopped' : `at cycle ${formatCount(p.endedAt)}`;
      return { ...leak, why: `a ${reasonWord(leak.reason)} never released; its process ended ${when} and the frame is quarantined` };
    });
  }

  /** Why no one will release `pin`, a held pin of a live address space, or null if someone will. */
  private disowned(pin: PinRecord): string | null {
    switch (pin.reason) {
      case PinReason.Dma:
        return this.services.holdsTransferPin(pin.id) ? null : 'a DMA pin no transfer in flight holds: its transfer ended and it was not released';
      case PinReason.Kernel: {
        // A wired kernel's page-table pages: held until their address space ends.
        if (this.kernelPages?.isKernelSpace(pin.addressSpace) === true) return null;
        const p = this.byAddressSpace.get(pin.addressSpace);
        return p?.pageInPin === pin.id ? null : 'a kernel pin no page-in in progress holds';
      }
      case PinReason.FreshPageIn: {
        const p = this.byAddressSpace.get(pin.addressSpace);
        if (p === undefined || p.dispatchedAt < 0) return null;
        // Taken before the process's last dispatch, it was due then. Any lock is, when no page came
        // in since; else one taken earlier than the dispatch, or in its very cycle when the first
        // page-in since began later (a lock taken by that page-in could not be that early). A
        // lock taken in the cycle of a dispatch whose first fault began in the same cycle cannot
        // be placed: it is named at the process's next dispatch.
        const due =
          !p.faultedSinceDispatch ||
          pin.pinnedAt < p.dispatchedAt ||
          (pin.pinnedAt === p.dispatchedAt && p.firstFaultAfterDispatchAt > p.dispatchedAt);
        return due ? `a fresh-page lock still held after its process was dispatched at cycle ${formatCount(p.dispatchedAt)}` : null;
      }
      case PinReason.UserLock:
        // Held for as long as the user wants it; only its address space's end makes it a leak.
        return null;
    }
  }

  /** `; <diagnosis>` when locks have leaked, for a kill message; empty otherwise. */
  private leakDiagnosisSuffix(): string {
    const line = diagnose(this.lockAudit(), this.userFrames);
    return line === null ? '' : `; ${line}`;
  }

  /** A timer tick's sample of what the leaks have taken. */
  private sampleLeaks(): void {
    this.leakSamples.push({
      at: this.clock.now,
      leakedFrames: framesHeld(this.lockAudit()),
      evictableFrames: this.frames.evictableCount,
      freeFrames: this.frames.freeFrames,
      faults: this.pager.statistics.faults,
      work: this.workDone(),
    });
  }

  /** Instructions and synthetic references completed by every process so far. */
  private workDone(): number {
    return this.processes.reduce((n, p) => n + (p.body.kind === 'program' ? p.body.cpu.instructions : p.body.referencesDone), 0);
  }

  private leakReport(): LockLeakReport {
    const leaks = this.lockAudit();
    return {
      injection: this.config.leakLocks,
      releases: this.leaker?.releases ?? 0,
      injected: this.leaker?.injected ?? 0,
      leaks,
      leakedFrames: framesHeld(leaks),
      quarantinedFrames: this.pager.statistics.framesQuarantined ?? 0,
      samples: [...this.leakSamples],
      diagnosis: diagnose(leaks, this.userFrames),
    };
  }

  /** Handles of the pins the injection leaked, in order (empty without injection): the audit's ground truth in tests. */
  get injectedLeaks(): readonly number[] {
    return this.leaker?.leakedPins ?? [];
  }

  private report(ended: RunEnd, hostMilliseconds: number): RunReport {
    const decoder = new TextDecoder();
    const io = this.services.meter.snapshot();
    const instructions = this.workDone();
    return {
      ended,
      processes: this.processes.map((p) => ({
        pid: p.pid,
        name: p.name,
        priority: p.priority,
        status: p.exitStatus !== null ? 'exited' : p.killedBecause !== null ? 'killed' : 'running',
        exitCode: p.exitStatus,
        killed: p.killedBecause,
        signal: p.signal,
        stdout: decoder.decode(p.stdout.output),
        stderr: decoder.decode(p.stderr.output),
        pageFaults: p.pageFaults,
        endedAtCycle: p.endedAt,
      })),
      statistics: {
        pageFaults: this.pager.statistics.faults,
        wastedPageIns: this.pager.statistics.wastedPageIns ?? null,
        wastedPageInsSelf: this.pager.statistics.wastedPageInsSelf ?? null,
        restarts: this.counts.restarted,
        ambiguousRestarts: this.counts.ambiguous,
        corruptionEvents: this.log.count('corruption'),
        bytesCopied: io.bytesCopied,
        pinnedFrameCycles: io.pinnedFrameCycles,
        simulatedCycles: this.clock.now,
        instructions,
      },
      restarts: { ...this.counts },
      io,
      corruptedBytes: this.watch.bytesCorrupted,
      pins: { ...this.frames.pinStats },
      contextSwitches: this.switches,
      clockTicks: this.ticks,
      partNames: { replacementPolicy: this.pager.policyName, io: this.io.name, restart: this.restart.name },
      loadControl: this.load?.counters(this.clock.now) ?? { suspensions: 0, resumes: 0, pagesSwappedOut: 0, suspendedCycles: 0 },
      idleCycles: this.idle,
      lockLeaks: this.leakReport(),
      swapCycles: this.swapClock.charged,
      kernelMemory: this.kernelPages?.report(this.config.frames) ?? null,
      hostMilliseconds,
    };
  }
}

/** The errno's symbolic name (`ENOMEM`), for messages. */
function errnoName(errno: number): string {
  return Object.entries(Errno).find(([, value]) => value === errno)?.[0] ?? 'unknown';
}

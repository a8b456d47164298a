/**
 * Fault injection for restart experiments: a bus that fails a seeded random subset of memory
 * references the way a pager's missing pages would (each address faults at most once: after
 * the fault its "page" has been brought in), and a runner that backs up every fault with a
 * restart strategy, resumes, and counts the verdicts.
 */
import {
  AccessKind,
  BusFault,
  FaultCause,
  type AccessSize,
  type AmbiguityPolicy,
  type Bus,
  type CodeReader,
  type Cpu,
  type CpuEngine,
  type CpuModelName,
  type FaultFrame,
  type RestartStrategy,
  type RestartVerdict,
} from '@pagelab/contracts';
import type { ElfImage } from '../elf/elf-image.js';
import { applyRestart, resolveAmbiguity } from '../restart/policies.js';
import { runProgram, type RunProgramResult } from './run-program.js';

/** A small, fast, seedable PRNG (mulberry32): fault patterns must be reproducible per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A bus that throws {@link BusFault} on a random subset of operand reads, operand writes and
 * extension-word fetches, and optionally opcode fetches (off by default: those fault before
 * the instruction has begun, and a 68000 frame for them holds the previous opcode in IR).
 * An (access, address) pair faults at most once, so every restarted reference eventually succeeds.
 */
export class FaultInjectingBus implements Bus {
  /** How many faults it has thrown. */
  faults = 0;
  /**
   * Bus cycles completed, counted in words as the 68000's 16-bit bus makes them (a byte or word
   * reference is one, a long two): the same program's count with and without faults says how
   * much work the restarts made the CPU do again.
   */
  cycles = 0;
  private readonly faulted = new Set<number>();
  private readonly random: () => number;
  private cpu: Cpu | null = null;
  private seenInstructions = -1;
  private opcodeNext = true;

  constructor(
    private readonly inner: Bus,
    seed: number,
    private readonly rate: number,
    private readonly opcodeFetches = false,
  ) {
    this.random = mulberry32(seed);
  }

  /** Lets the bus tell opcode fetches (the first fetch of each instruction) from extension fetches. */
  attach(cpu: Cpu): void {
    this.cpu = cpu;
  }

  /** The next fetch is an opcode fetch (call after resuming at an instruction start). */
  markInstructionBoundary(): void {
    this.opcodeNext = true;
  }

  private maybeFault(address: number, access: AccessKind, size: AccessSize): void {
    if (this.random() >= this.rate) return;
    const key = address * 4 + access;
    if (this.faulted.has(key)) return;
    this.faulted.add(key);
    this.faults++;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal, deliberately not an Error
    throw new BusFault(address, access, size, FaultCause.NotPresent);
  }

  read8(address: number): number {
    this.maybeFault(address, AccessKind.Read, 1);
    this.cycles++;
    return this.inner.read8(address);
  }
  read16(address: number): number {
    this.maybeFault(address, AccessKind.Read, 2);
    this.cycles++;
    return this.inner.read16(address);
  }
  read32(address: number): number {
    this.maybeFault(address, AccessKind.Read, 4);
    this.cycles += 2;
    return this.inner.read32(address);
  }
  write8(address: number, value: number): void {
    this.maybeFault(address, AccessKind.Write, 1);
    this.cycles++;
    this.inner.write8(address, value);
  }
  write16(address: number, value: number): void {
    this.maybeFault(address, AccessKind.Write, 2);
    this.cycles++;
    this.inner.write16(address, value);
  }
  write32(address: number, value: number): void {
    this.maybeFault(address, AccessKind.Write, 4);
    this.cycles += 2;
    this.inner.write32(address, value);
  }
  fetch16(address: number): number {
    // The first fetch after an instruction completes (or after a resume) is the next opcode.
    const done = this.cpu?.instructions ?? 0;
    let opcode = this.opcodeNext;
    if (done !== this.seenInstructions) {
      this.seenInstructions = done;
      opcode = true;
    }
    this.opcodeNext = false;
    if (!opcode || this.opcodeFetches) this.maybeFault(address, AccessKind.Fetch, 2);
    this.cycles++;
    return this.inner.fetch16(address);
  }
}

/** Options for {@link runWithFaultInjection}. */
export interface FaultInjectionOptions {
  readonly model: CpuModelName;
  /** How the CPU executes instructions (default: the translator). */
  readonly engine?: CpuEngine;
  readonly strategy: RestartStrategy;
  /** Settles ambiguous verdicts; without one they end the run. */
  readonly policy?: AmbiguityPolicy;
  readonly seed: number;
  /** Probability that a reference faults (before the once-per-address rule). */
  readonly rate: number;
  readonly stdin?: Uint8Array;
  /** Also fault opcode fetches (default false). */
  readonly opcodeFetches?: boolean;
  /**
   * A strategy whose verdict is taken as the truth (the hardware strategy on `m68010-hidden`):
   * the run follows it, and `strategy`'s verdicts are only compared with it.
   */
  readonly truth?: RestartStrategy;
}

/** What happened in a fault-injection run. */
export interface FaultInjectionReport {
  readonly result: RunProgramResult;
  readonly faults: number;
  /** Bus cycles (words) the run completed: see {@link FaultInjectingBus.cycles}. */
  readonly busCycles: number;
  /** Faults the strategy continued (`continued` verdicts: the `continue` strategy on `m68010-continuation`). */
  readonly continued: number;
  /** Verdicts of `strategy`: restarted outright, ambiguous settled by the policy, ambiguous left, unrecoverable. */
  readonly restarted: number;
  readonly resolvedByPolicy: number;
  readonly ambiguous: number;
  readonly unrecoverable: number;
  /** With `truth`: how many of `strategy`'s restarts (outright or by policy) matched it, and how many did not. */
  readonly agreed: number;
  readonly disagreed: number;
  /** The first verdict that was not a restart, for reports. */
  readonly firstFailure: string | null;
}

/** A CodeReader over the process memory that cannot see the word(s) of the faulting reference. */
function codeReaderFor(memory: () => Uint8Array, frame: FaultFrame): CodeReader {
  const lo = frame.address >>> 0;
  const hi = lo + frame.size;
  return {
    readWord(address: number): number | null {
      const a = address >>> 0;
      if (a + 2 > lo && a < hi) return null;
      const m = memory();
      if (a + 1 >= m.length) return null;
      return ((m[a] ?? 0) << 8) | (m[a + 1] ?? 0);
    },
  };
}

function sameRestart(a: Extract<RestartVerdict, { kind: 'restarted' }>, b: Extract<RestartVerdict, { kind: 'restarted' }>): boolean {
  if (a.startPc !== b.startPc) return false;
  const key = (v: typeof a): string =>
    JSON.stringify([...v.undo].sort((x, y) => x.register - y.register).map((c) => [c.register, c.delta]));
  return key(a) === key(b);
}

/** Runs `image` with injected faults, backing each up with the strategy and resuming. */
export function runWithFaultInjection(image: ElfImage, options: FaultInjectionOptions): FaultInjectionReport {
  let injector: FaultInjectingBus | null = null;
  let flatMemory: Uint8Array = new Uint8Array(0);
  let restarted = 0;
  let resolvedByPolicy = 0;
  let ambiguous = 0;
  let unrecoverable = 0;
  let continued = 0;
  let agreed = 0;
  let disagreed = 0;
  let firstFailure: string | null = null;

  const result = runProgram(image, {
    model: options.model,
    ...(options.engine !== undefined ? { engine: options.engine } : {}),
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    wrapBus: (flat) => {
      flatMemory = flat.memory;
      injector = new FaultInjectingBus(flat, options.seed, options.rate, options.opcodeFetches ?? false);
      return injector;
    },
    onStart: (cpu) => injector?.attach(cpu),
    onFault: (cpu, frame) => {
      const bus = injector;
      if (bus === null) return { resume: false, reason: 'no injecting bus' };
      const code = codeReaderFor(() => flatMemory, frame);
      // The strategy under test sees only what its model's frame holds.
      const seen: FaultFrame = options.truth !== undefined && options.model === 'm68010-hidden' && options.strategy.name !== 'hardware' ? { ...frame, hidden: null } : frame;
      let verdict = options.strategy.backUp(seen, cpu.state, code);
      if (verdict.kind === 'ambiguous' && options.policy !== undefined) {
        const settled = resolveAmbiguity(verdict, options.policy, seen);
        if (settled.kind === 'restarted') resolvedByPolicy++;
        verdict = settled;
      } else if (verdict.kind === 'restarted') {
        restarted++;
      }
      if (verdict.kind === 'ambiguous') ambiguous++;
      if (verdict.kind === 'unrecoverable') unrecoverable++;
      if (verdict.kind === 'continued' && options.truth === undefined) {
        continued++;
        // The OS hands the long frame's state back as it got it; the CPU checks it.
        if (cpu.resumeContinuation === undefined) return { resume: false, reason: `CPU model ${cpu.model} cannot continue an instruction` };
        cpu.resumeContinuation(verdict.state);
        bus.markInstructionBoundary();
        return { resume: true };
      }
      if (verdict.kind !== 'restarted' && firstFailure === null) {
        firstFailure =
          verdict.kind === 'unrecoverable'
            ? verdict.reason
            : verdict.kind === 'ambiguous'
              ? `ambiguous: ${verdict.candidates.map((c) => `${c.disassembly} at 0x${c.startPc.toString(16)}`).join(' | ')}`
              : 'continued, but a truth strategy was given to follow';
      }
      let follow: RestartVerdict = verdict;
      if (options.truth !== undefined) {
        const truth = options.truth.backUp(frame, cpu.state, code);
        if (truth.kind === 'restarted' && verdict.kind === 'restarted') {
          if (sameRestart(truth, verdict)) agreed++;
          else disagreed++;
        }
        follow = truth;
      }
      if (follow.kind !== 'restarted') {
        return { resume: false, reason: follow.kind === 'unrecoverable' ? follow.reason : `${follow.kind} restart` };
      }
      cpu.resumeAt(applyRestart(cpu.state, follow));
      bus.markInstructionBoundary();
      return { resume: true };
    },
  });
  return {
    result,
    faults: (injector as FaultInjectingBus | null)?.faults ?? 0,
    busCycles: (injector as FaultInjectingBus | null)?.cycles ?? 0,
    continued,
    restarted,
    resolvedByPolicy,
    ambiguous,
    unrecoverable,
    agreed,
    disagreed,
    firstFailure,
  };
}

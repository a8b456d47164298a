/** Runs a static 68000 executable as a Linux user process until it exits or cannot go on. */
import { CpuStopReason, type Bus, type ByteSource, type Cpu, type CpuEngine, type CpuModelName, type FaultFrame } from '@pagelab/contracts';
import type { FlatBus } from '../bus/flat-bus.js';
import type { ElfImage } from '../elf/elf-image.js';
import { createLinuxProcess, stubVector } from './linux-process.js';
import type { ProgramFiles } from './program-files.js';
import { bytesSource, SystemCalls, type ProcessIo } from './syscalls.js';

/**
 * What the host does when a memory reference of the program faults: make the instruction
 * restartable (back it up, bring the page in) and say so, or give the reason it cannot.
 */
export type FaultHandler = (cpu: Cpu, frame: FaultFrame) => { readonly resume: true } | { readonly resume: false; readonly reason: string };

/** Options for {@link runProgram}. */
export interface RunProgramOptions {
  readonly model: CpuModelName;
  /** How the CPU executes instructions (default: the translator). */
  readonly engine?: CpuEngine;
  /** Block entries before the translator compiles a block (default: the CPU's). */
  readonly translateThreshold?: number;
  /** Standard input: its bytes, or a source pulled as the program reads (default empty). */
  readonly stdin?: Uint8Array | ByteSource;
  /** argv[0] (default `a.out`). */
  readonly programName?: string;
  /** Give up after this many instructions (default 2,000,000,000). */
  readonly maxInstructions?: number;
  /** Wraps the flat bus the CPU sees (fault injection). */
  readonly wrapBus?: (flat: FlatBus) => Bus;
  /** Serves bus faults; without one a fault ends the run. */
  readonly onFault?: FaultHandler;
  /** Called once with the CPU before it runs (instrumentation hooks up here). */
  readonly onStart?: (cpu: Cpu) => void;
  /** Called with each chunk the program writes to fd 1 or 2, as it writes it. */
  readonly onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
  /** The files `open` reaches (default: an empty in-memory set, so a run touches nothing outside). */
  readonly files?: ProgramFiles;
  /** Called the first time the program makes each system call the runner does not serve (the call gets -ENOSYS). */
  readonly onUnsupportedSyscall?: (number: number, name: string | null) => void;
}

/** How a run ended. */
export interface RunProgramResult {
  /** The exit status, or null if the program did not exit by itself. */
  readonly status: number | null;
  /** Why the run ended abnormally (a fault, an exception, the instruction limit), or null. */
  readonly error: string | null;
  /** Everything written to fd 1, and to fd 2. */
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  /** Instructions completed and 68000 cycles. */
  readonly instructions: number;
  readonly cycles: number;
  /** The system call numbers the program made that the runner does not serve, in first-call order. */
  readonly unsupportedSyscalls: readonly number[];
}

const VECTOR_NAMES: Record<number, string> = {
  2: 'bus error',
  3: 'address error',
  4: 'illegal instruction',
  5: 'zero divide',
  6: 'CHK',
  7: 'TRAPV',
  8: 'privilege violation',
  9: 'trace',
  10: 'line 1010 emulator',
  11: 'line 1111 emulator',
};

const CHUNK = 1_000_000;
const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Loads `image` and runs it to completion (exit, a fatal fault or exception, or the limit). */
export function runProgram(image: ElfImage, options: RunProgramOptions): RunProgramResult {
  const { cpu, memory, layout } = createLinuxProcess(image, {
    model: options.model,
    ...(options.programName !== undefined ? { programName: options.programName } : {}),
    ...(options.wrapBus !== undefined ? { wrapBus: options.wrapBus } : {}),
    hostFaults: true,
    ...(options.engine !== undefined ? { engine: options.engine } : {}),
    ...(options.translateThreshold !== undefined ? { translateThreshold: options.translateThreshold } : {}),
  });
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const io: ProcessIo = {
    stdin: options.stdin === undefined ? bytesSource(new Uint8Array(0)) : options.stdin instanceof Uint8Array ? bytesSource(options.stdin) : options.stdin,
    write(fd, bytes) {
      (fd === 1 ? out : err).push(bytes);
      options.onOutput?.(fd, bytes);
    },
  };
  const unsupported: number[] = [];
  const syscalls = new SystemCalls(io, layout, {
    ...(options.files !== undefined ? { files: options.files } : {}),
    onUnsupported: (number, name) => {
      if (unsupported.includes(number)) return;
      unsupported.push(number);
      options.onUnsupportedSyscall?.(number, name);
    },
  });
  options.onStart?.(cpu);
  const limit = options.maxInstructions ?? 2_000_000_000;
  const finish = (status: number | null, error: string | null): RunProgramResult => ({
    status,
    error,
    stdout: concat(out),
    stderr: concat(err),
    instructions: cpu.instructions,
    cycles: cpu.cycles,
    unsupportedSyscalls: unsupported,
  });

  for (;;) {
    const remaining = limit - cpu.instructions;
    if (remaining <= 0) return finish(null, `gave up after ${limit} instructions`);
    const reason = cpu.run(Math.min(CHUNK, remaining));
    switch (reason) {
      case CpuStopReason.BudgetExhausted:
        break;
      case CpuStopReason.Trap: {
        if (cpu.lastTrap !== 0) return finish(null, `unexpected trap #${cpu.lastTrap} at ${hex(cpu.state.pc - 2)}`);
        const outcome = syscalls.serve(cpu, memory);
        if (outcome.kind === 'exit') return finish(outcome.status, null);
        break;
      }
      case CpuStopReason.BusFault: {
        const frame = cpu.lastFault as FaultFrame;
        const where = `bus fault at ${hex(frame.address)} (PC ${hex(frame.programCounter)})`;
        if (options.onFault === undefined) return finish(null, where);
        const verdict = options.onFault(cpu, frame);
        if (!verdict.resume) return finish(null, `${where}: ${verdict.reason}`);
        break;
      }
      case CpuStopReason.Stopped: {
        const vector = stubVector(cpu.state.pc);
        if (vector < 0) return finish(null, `STOP at ${hex(cpu.state.pc - 4)}`);
        return finish(null, `${VECTOR_NAMES[vector] ?? `exception vector ${vector}`} exception`);
      }
      case CpuStopReason.Halted:
        return finish(null, 'the CPU halted (double fault)');
    }
  }
}

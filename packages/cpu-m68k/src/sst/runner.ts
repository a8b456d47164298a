/**
 * Runs SingleStepTests/m68000 cases on the interpreter: load the initial state, execute one
 * instruction, compare registers, SR, PC, RAM and the cycle count with the final state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CpuStopReason, type Bus, type CpuEngine, type CpuModelName, type PageWindow } from '@pagelab/contracts';
import { FlatBus } from '../bus/flat-bus.js';
import { M68000 } from '../core/cpu.js';
import { NthReferenceFaultBus } from '../testing/fault-bench.js';
import { parseSstFile, type SstState, type SstTest } from './format.js';

/** Files whose expected results their authors mark as unverified. */
export const UNVERIFIED_FILES: ReadonlySet<string> = new Set(['TAS', 'TRAPV']);

/** The outcome of one test. */
export interface SstOutcome {
  readonly name: string;
  /** Registers, SR, PC and RAM all match. */
  readonly passed: boolean;
  /** The cycle count matches the test's `length`. */
  readonly cyclesMatch: boolean;
  /** Human-readable differences (empty when passed). */
  readonly differences: readonly string[];
}

/** Totals for one file. */
export interface SstFileResult {
  /** File name without `.json.bin` (for example `ADD.l`). */
  readonly name: string;
  readonly verified: boolean;
  readonly total: number;
  readonly passed: number;
  readonly cyclesMatching: number;
  /** The failing outcomes (all of them). */
  readonly failures: readonly SstOutcome[];
  /** The outcomes whose cycle count differs (all of them). */
  readonly cycleMismatches: readonly SstOutcome[];
}

const hex = (v: number): string => (v >>> 0).toString(16);

/** Flat memory offered through a page window of 4 KiB pages, all present. */
class WindowedBus extends FlatBus {
  readonly pages: PageWindow;

  constructor(size: number) {
    super(size);
    const at = (address: number): number => address & (size - 1);
    this.pages = { bytes: this.memory, pageSize: 4096, fetchAt: at, readAt: at, writeAt: at, peekAt: at };
  }
}
const SR_S = 0x2000;

/** How one case went with one of its bus references faulting and the instruction continued. */
export interface SstContinuedOutcome extends SstOutcome {
  /**
   * `continued`: the reference faulted, the instruction was resumed from its saved state and
   * finished; `halted`: the reference belonged to exception processing inside the instruction,
   * where a fault halts the CPU; `none`: the instruction makes fewer references.
   */
  readonly kind: 'continued' | 'halted' | 'none';
  /** Bus references made after the resume (the faulted one included). */
  readonly referencesAfterResume: number;
}

/**
 * Executes single-instruction tests on one reusable CPU and a 16 MiB flat bus, through the
 * translator (each instruction compiled on first sight, as a block of its own) or, with
 * `engine: 'interpret'`, the interpreter; as the `m68000` model unless `model` says otherwise.
 * With `continueFaults` (for `m68010-continuation`), {@link runContinued} faults a chosen
 * reference and continues the instruction from the fault frame's saved state.
 */
export class SstRunner {
  private readonly bus: FlatBus;
  private readonly faulting: NthReferenceFaultBus | null;
  private readonly cpu: M68000;
  private touched: number[] = [];

  /**
   * @param options.paged the memory behind a page window, every page present (as the MMU's
   *   bus offers one), so the CPU takes its paged paths: the 68000's prefetch queue, and
   *   translated code reaching memory through the window
   * @param options.model the CPU model (default `m68000`)
   * @param options.continueFaults for {@link runContinued}: a bus that faults a chosen reference,
   *   and faults stopping `run` for the host
   */
  constructor(options: { readonly engine?: CpuEngine; readonly paged?: boolean; readonly model?: CpuModelName; readonly continueFaults?: boolean } = {}) {
    this.bus = options.paged === true ? new WindowedBus(0x1000000) : new FlatBus(0x1000000);
    this.faulting = options.continueFaults === true ? new NthReferenceFaultBus(this.bus, 0) : null;
    this.cpu = new M68000({
      model: options.model ?? 'm68000',
      bus: this.faulting ?? this.bus,
      engine: options.engine ?? 'translate',
      translateThreshold: 0,
      hostFaults: this.faulting !== null,
    });
  }

  /** The CPU model the tests run on. */
  get model(): CpuModelName {
    return this.cpu.model;
  }

  /** The engine the tests run on. */
  get engine(): CpuEngine {
    return this.cpu.engine;
  }

  /** Blocks the translator compiled (0 when interpreting): proof the tests went through it. */
  get blocksCompiled(): number {
    return this.cpu.blocksCompiled;
  }

  /** Runs one test and compares the result. */
  run(test: SstTest): SstOutcome {
    this.load(test);
    this.cpu.run(1);
    return this.outcome(test);
  }

  /**
   * Runs one test with its `n`-th bus reference (1 = the opcode fetch) faulting: the CPU stops
   * with a long frame, the instruction is continued from the frame's saved state, and the
   * result is compared with the test's final state and cycle count, as if nothing had faulted.
   */
  runContinued(test: SstTest, n: number): SstContinuedOutcome {
    const bus = this.faulting;
    if (bus === null) throw new Error('runContinued needs an SstRunner made with continueFaults');
    const cpu = this.cpu;
    this.load(test);
    bus.rearm(n);
    const stop = cpu.run(1);
    // No more faults, and the count starts again: what the resume makes.
    bus.rearm(0);
    if (stop === CpuStopReason.Halted) {
      cpu.halted = false;
      return { ...this.outcome(test), kind: 'halted', referencesAfterResume: 0 };
    }
    if (stop !== CpuStopReason.BusFault) return { ...this.outcome(test), kind: 'none', referencesAfterResume: 0 };
    const saved = cpu.lastFault?.continuation;
    if (saved === undefined || saved === null) throw new Error(`${test.name}: model ${cpu.model} left no continuation in its fault frame`);
    cpu.resumeContinuation(saved.state);
    cpu.run(1);
    return { ...this.outcome(test), kind: 'continued', referencesAfterResume: bus.count };
  }

  private outcome(test: SstTest): SstOutcome {
    const cpu = this.cpu;
    const differences = sstStateDifferences(cpu, this.bus, test.final);
    const cyclesMatch = cpu.cycles === test.length;
    const cycleNote = `cycles ${cpu.cycles} != ${test.length}`;
    for (const [address] of test.final.ram) this.touched.push(address & 0xffffff);
    return { name: test.name, passed: differences.length === 0, cyclesMatch, differences: cyclesMatch ? differences : [...differences, cycleNote] };
  }

  private load(test: SstTest): void {
    const { cpu, bus } = this;
    for (const a of this.touched) bus.write16(a, 0);
    this.touched = [];
    const start = placeSstMemory(bus, test.initial, this.touched);
    loadSstRegisters(cpu, test.initial, start);
  }
}

/**
 * Writes a test state's RAM words and its two prefetched words into `bus`, appending every
 * address written to `touched` (so a caller can clear them before the next test). Returns the
 * instruction's start (the state's prefetch address minus 4).
 */
export function placeSstMemory(bus: Bus, state: SstState, touched: number[]): number {
  const poke = (address: number, word: number): void => {
    bus.write16(address & 0xffffff, word);
    touched.push(address & 0xffffff);
  };
  for (const [address, word] of state.ram) poke(address, word);
  const start = (state.pc - 4) >>> 0;
  poke(start, state.prefetch[0]);
  poke(start + 2, state.prefetch[1]);
  return start;
}

/** Loads a test state's registers and SR into `cpu`, ready to run the instruction at `pc` (cycles zeroed). */
export function loadSstRegisters(cpu: M68000, state: SstState, pc: number): void {
  for (let i = 0; i < 8; i++) cpu.r[i] = state.d[i]!;
  for (let i = 0; i < 7; i++) cpu.r[8 + i] = state.a[i]!;
  cpu.sr = state.sr;
  cpu.r[15] = (state.sr & SR_S) !== 0 ? state.ssp : state.usp;
  cpu.usp = state.usp;
  cpu.ssp = state.ssp;
  cpu.halted = false;
  cpu.tracePending = false;
  cpu.stopped = false;
  cpu.requestInterrupt(0);
  cpu.resumeAt(pc);
  cpu.cycles = 0;
}

/** How `cpu` and the memory behind `bus` differ from a test's expected state (empty when they match; cycles not compared). */
export function sstStateDifferences(cpu: M68000, bus: Pick<Bus, 'read16'>, expected: SstState): string[] {
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (cpu.registers[i] !== expected.d[i]) out.push(`D${i} ${hex(cpu.registers[i]!)} != ${hex(expected.d[i]!)}`);
  }
  for (let i = 0; i < 7; i++) {
    if (cpu.registers[8 + i] !== expected.a[i]) out.push(`A${i} ${hex(cpu.registers[8 + i]!)} != ${hex(expected.a[i]!)}`);
  }
  const supervisor = (cpu.sr & SR_S) !== 0;
  const usp = supervisor ? cpu.usp >>> 0 : cpu.registers[15]!;
  const ssp = supervisor ? cpu.registers[15]! : cpu.ssp >>> 0;
  if (usp !== expected.usp) out.push(`USP ${hex(usp)} != ${hex(expected.usp)}`);
  if (ssp !== expected.ssp) out.push(`SSP ${hex(ssp)} != ${hex(expected.ssp)}`);
  if (cpu.sr !== expected.sr) out.push(`SR ${hex(cpu.sr)} != ${hex(expected.sr)}`);
  // The tests report the 68000's prefetch address (next instruction + 4); a CPU stopped by
  // STOP has not prefetched, so its prefetch address is the next instruction itself.
  const pc = (cpu.stopped ? cpu.pc : cpu.pc + 4) >>> 0;
  if (pc !== expected.pc) out.push(`PC ${hex(pc)} != ${hex(expected.pc)}`);
  for (const [address, word] of expected.ram) {
    const actual = bus.read16(address & 0xffffff);
    if (actual !== word) out.push(`RAM ${hex(address)} ${hex(actual)} != ${hex(word)}`);
  }
  return out;
}

/** The name of a test file without its `.json.bin` or `.json.bin.gz` ending (for example `ADD.l`). */
export function sstFileName(path: string): string {
  return basename(path).replace(/\.json\.bin(\.gz)?$/, '');
}

/** The tests of one `.json.bin` file, or of a gzipped `.json.bin.gz` one (the committed subset). */
export function readSstFile(path: string): SstTest[] {
  const raw = readFileSync(path);
  return parseSstFile(path.endsWith('.gz') ? gunzipSync(raw) : raw, path);
}

/** Runs every test of one `.json.bin` (or `.json.bin.gz`) file. */
export function runSstFile(path: string, runner = new SstRunner()): SstFileResult {
  const name = sstFileName(path);
  const tests = readSstFile(path);
  let passed = 0;
  let cyclesMatching = 0;
  const failures: SstOutcome[] = [];
  const cycleMismatches: SstOutcome[] = [];
  for (const test of tests) {
    const outcome = runner.run(test);
    if (outcome.passed) passed++;
    else failures.push(outcome);
    if (outcome.cyclesMatch) cyclesMatching++;
    else cycleMismatches.push(outcome);
  }
  return { name, verified: !UNVERIFIED_FILES.has(name), total: tests.length, passed, cyclesMatching, failures, cycleMismatches };
}

/** The `.json.bin` and `.json.bin.gz` files of a test directory, sorted by name. */
export function listSstFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((f) => f.endsWith('.json.bin') || f.endsWith('.json.bin.gz'))
    .sort()
    .map((f) => join(directory, f));
}

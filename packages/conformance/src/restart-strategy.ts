import { expect } from 'vitest';
import { AccessKind, seamSpecificationVersions } from '@pagelab/contracts';
import type { CodeReader, ContinuationState, CpuModelName, CpuRegisters, FaultFrame, RestartStrategy, RestartStrategyFactory, RestartVerdict } from '@pagelab/contracts';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

/**
 * What a strategy promises beyond the rules every strategy keeps (never restart wrongly,
 * well-formed and deterministic verdicts, registers untouched). Built-in: `hardware` has
 * `hiddenRecord`, `software` has `plainFrame`, `continue` has `continuation`, `none` has none.
 */
export interface RestartStrategyCapabilities {
  /** Restarts exactly every fault of a CPU model that saves the hidden record (`m68010-hidden`). */
  readonly hiddenRecord?: boolean;
  /**
   * Restarts exactly every fault of a plain 68000 whose start can be told from the frame and the
   * code, and reports `ambiguous` (with the true start among the candidates) when it cannot.
   */
  readonly plainFrame?: boolean;
  /**
   * Continues exactly every fault of a CPU model that saves the instruction's internal state
   * (`m68010-continuation`): a `continued` verdict whose state, handed back, finishes the
   * instruction as if it had never faulted. Needs a bench that can continue (`continueFrom`).
   */
  readonly continuation?: boolean;
}

/** One instruction for the bench to run, as the fault bench of `@pagelab/cpu-m68k` takes it. */
export interface BenchInstruction {
  readonly model: CpuModelName;
  readonly start: number;
  readonly words: readonly number[];
}

/** The machine state after an instruction ran to completion. */
export interface BenchOutcome {
  readonly registers: Uint32Array;
  readonly pc: number;
  readonly sr: number;
  readonly memory: Uint8Array;
}

/** One reference of one instruction, faulted on a real 68000 core. */
export interface BenchFault {
  /** Which reference faulted (1 = the opcode fetch). */
  readonly reference: number;
  /** The partial state the model left (`cpu.state`). */
  readonly cpu: { readonly state: CpuRegisters };
  readonly frame: FaultFrame;
  readonly code: CodeReader;
  /** D0..D7, A0..A7 before the instruction ran. */
  readonly before: Uint32Array;
  /** The instruction run without a fault. */
  readonly expected: BenchOutcome;
  /**
   * The faulting reference came after the instruction had completed (a plain 68000's final
   * prefetch of the word after the next opcode): the right way on is `expected.pc`, not the
   * instruction's start. Absent means false.
   */
  readonly completed?: boolean;
  /** Runs the instruction again from `pc` with `registers` on the memory the fault left. */
  resume(pc: number, registers: Uint32Array): BenchOutcome;
  /**
   * Goes on with the faulted instruction from a continuation `state`, on the CPU and memory as
   * the fault left them; throws for a state the CPU refuses. Needed for `continuation` only.
   */
  continueFrom?(state: ContinuationState): BenchOutcome;
}

/**
 * Where real fault frames come from: `@pagelab/cpu-m68k` exports `faultEveryReference`, which
 * fits (`{ faultEveryReference }` from that package is a FaultBench).
 */
export interface FaultBench {
  faultEveryReference(instruction: BenchInstruction): readonly BenchFault[];
}

/** What the restart suite needs besides the strategy. */
export interface RestartStrategyConformanceOptions {
  readonly bench: FaultBench;
  readonly capabilities?: RestartStrategyCapabilities;
}

interface Sample {
  /** How the report names it. */
  readonly text: string;
  readonly start: number;
  readonly words: readonly number[];
}

const START = 0x1000;

/** The instructions every strategy is tried on: multi-word, (An)+ and -(An), MOVEM, stack users. */
const SAMPLES: readonly Sample[] = [
  { text: 'MOVE.L 6(A1),2(A0)', start: START, words: [0x2169, 0x0006, 0x0002] },
  { text: 'MOVE.L (A0)+,-(A1)', start: START, words: [0x2318] },
  { text: 'MOVE.W (A3)+,(A4)+', start: START, words: [0x38db] },
  { text: 'ADD.W -(A2),D1', start: START, words: [0xd262] },
  { text: 'ADD.L D1,-(A0)', start: START, words: [0xd3a0] },
  { text: 'ADDQ.L #1,-(A5)', start: START, words: [0x52a5] },
  { text: 'CLR.L -(A6)', start: START, words: [0x42a6] },
  { text: 'MOVEM.L D0-D3,-(SP)', start: START, words: [0x48e7, 0xf000] },
  { text: 'MOVEM.L (A0)+,D0-D3', start: START, words: [0x4cd8, 0x000f] },
  { text: 'MOVEM.L (SP)+,D0-D7', start: START, words: [0x4cdf, 0x00ff] },
  { text: 'MOVE.W $4000.W,$4010.W', start: START, words: [0x31f8, 0x4000, 0x4010] },
  { text: 'PEA 4(A1)', start: START, words: [0x4869, 0x0004] },
  { text: 'JSR (A0)', start: START, words: [0x4e90] },
];

/**
 * `MOVE.B $1168(A0),$1168(A0)` in a run of equal words: when the fetch of the word at 0x1004
 * faults on a plain 68000, the instruction may have begun at 0x1000 or at 0x1002 (its first
 * extension word is the same opcode); nothing in the frame or the code tells which.
 */
const AMBIGUOUS: Sample = { text: 'MOVE.B $1168(A0),$1168(A0) (all words 0x1168)', start: START, words: [0x1168, 0x1168, 0x1168, 0x1168, 0x1168] };
/**
 * The fetches of AMBIGUOUS that a plain 68000 frame cannot place, each with the two readings
 * that fit it (the stacked PC and the IR, 0x1168, are the same under both):
 * - START + 6 is prefetched when the word at START + 4 is consumed: the destination
 *   displacement of an instruction at START, or the source displacement of one at START + 2;
 * - START + 8 is the final prefetch of an instruction at START, which had completed (go on at
 *   START + 6), or the prefetch made when one at START + 2 consumes its destination
 *   displacement (restart at START + 2), or one at START + 4 its source displacement.
 * The instruction at START is the truth in both.
 */
const AMBIGUOUS_FETCHES: readonly { readonly address: number; readonly readings: readonly number[] }[] = [
  { address: START + 6, readings: [START, START + 2] },
  { address: START + 8, readings: [START + 2, START + 4, START + 6] },
];

const MODELS: readonly CpuModelName[] = ['m68000', 'm68010-hidden'];

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const accessName = (a: AccessKind): string => (a === AccessKind.Read ? 'read' : a === AccessKind.Write ? 'write' : 'fetch');
const describeFault = (s: Sample, f: BenchFault): string => `${s.text} faulting on reference ${f.reference} (${accessName(f.frame.access)} of ${hex(f.frame.address)})`;

function copyState(state: CpuRegisters): CpuRegisters {
  return { registers: Uint32Array.from(state.registers), pc: state.pc, sr: state.sr, usp: state.usp, ssp: state.ssp };
}

/** The first index where the two arrays differ, or -1. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Throws unless `verdict` has the shape the contract gives it, for a fault with `frame`. */
function expectWellFormed(verdict: RestartVerdict, frame: FaultFrame, where: string): void {
  expect(verdict, `${where}: backUp returned nothing`).toBeTypeOf('object');
  expect(['restarted', 'ambiguous', 'unrecoverable', 'continued'], `${where}: verdict kind`).toContain(verdict.kind);
  const checkUndo = (undo: unknown, what: string): void => {
    expect(Array.isArray(undo), `${where}: ${what} must be an array`).toBe(true);
    for (const change of undo as { register: unknown; delta: unknown }[]) {
      expect(Number.isInteger(change.register) && (change.register as number) >= 8 && (change.register as number) <= 15, `${where}: ${what} names register ${String(change.register)}; only A0..A7 (8..15) are auto-incremented`).toBe(true);
      expect([-4, -2, -1, 1, 2, 4], `${where}: ${what} delta of register ${String(change.register)}`).toContain(change.delta);
    }
  };
  switch (verdict.kind) {
    case 'restarted':
      expect(Number.isInteger(verdict.startPc) && verdict.startPc >= 0 && verdict.startPc % 2 === 0, `${where}: startPc ${verdict.startPc} must be an even address`).toBe(true);
      checkUndo(verdict.undo, 'undo');
      break;
    case 'ambiguous':
      expect(verdict.candidates.length, `${where}: an ambiguous verdict lists at least two candidates`).toBeGreaterThanOrEqual(2);
      for (const c of verdict.candidates) {
        expect(Number.isInteger(c.startPc) && c.startPc % 2 === 0, `${where}: candidate start ${c.startPc} must be an even address`).toBe(true);
        checkUndo(c.undo, `candidate ${hex(c.startPc)} undo`);
        expect(typeof c.disassembly, `${where}: candidate disassembly`).toBe('string');
      }
      break;
    case 'unrecoverable':
      expect(typeof verdict.reason === 'string' && verdict.reason.length > 0, `${where}: an unrecoverable verdict says why`).toBe(true);
      break;
    case 'continued':
      // Only a frame with a continuation (model m68010-continuation) can be continued.
      if (frame.continuation === undefined || frame.continuation === null) throw new Error(`${where}: a continued verdict for a frame that holds no continuation (only m68010-continuation saves one)`);
      expect(Array.isArray(verdict.state?.words), `${where}: a continued verdict carries the frame's state ({ words })`).toBe(true);
      break;
  }
}

/** The state after a restarted or continued instruction must be an unfaulted run's: registers, PC, SR and memory. */
function expectUnfaulted(outcome: BenchOutcome, f: BenchFault, where: string, how: 'restarted' | 'continued'): void {
  expect([...outcome.registers].map(hex), `${where}: registers after the ${how} instruction`).toEqual([...f.expected.registers].map(hex));
  expect(hex(outcome.pc), `${where}: PC after the ${how} instruction`).toBe(hex(f.expected.pc));
  expect(hex(outcome.sr), `${where}: SR after the ${how} instruction`).toBe(hex(f.expected.sr));
  const differs = firstDifference(outcome.memory, f.expected.memory);
  expect(differs, `${where}: memory after the ${how} instruction differs from an unfaulted run at ${hex(differs)}`).toBe(-1);
}

/** Hands a continued verdict's state back and finishes the instruction: it must end exactly as an unfaulted run does. */
function expectCorrectContinuation(verdict: Extract<RestartVerdict, { kind: 'continued' }>, f: BenchFault, where: string): void {
  if (f.continueFrom === undefined) throw new Error(`${where}: the fault bench cannot continue an instruction (it has no continueFrom); @pagelab/cpu-m68k's faultEveryReference can`);
  let outcome: BenchOutcome;
  try {
    outcome = f.continueFrom(verdict.state);
  } catch (error) {
    throw new Error(`${where}: the CPU refused the state handed back: ${(error as Error).message}`);
  }
  expectUnfaulted(outcome, f, where, 'continued');
}

/**
 * Applies a restart verdict and finishes the instruction: it must end exactly as the
 * instruction does when nothing faults (registers, PC, status register, memory).
 */
function expectCorrectRestart(verdict: Extract<RestartVerdict, { kind: 'restarted' }>, sample: Sample, f: BenchFault, where: string): void {
  const completed = f.completed === true;
  const resumeAt = completed ? f.expected.pc : sample.start;
  expect(
    hex(verdict.startPc),
    completed ? `${where}: the instruction had completed, so the OS goes on at its successor` : `${where}: restart address (the instruction began at ${hex(sample.start)})`,
  ).toBe(hex(resumeAt));
  const registers = Uint32Array.from(f.cpu.state.registers);
  for (const change of verdict.undo) registers[change.register] = (registers[change.register]! - change.delta) >>> 0;
  for (let r = 8; r < 16 && !completed; r++) {
    expect(hex(registers[r]!), `${where}: A${r - 8} after undoing ${JSON.stringify(verdict.undo)} (before the instruction it was ${hex(f.before[r]!)})`).toBe(hex(f.before[r]!));
  }
  const outcome = f.resume(verdict.startPc, registers);
  expectUnfaulted(outcome, f, where, 'restarted');
}

/**
 * The contract every {@link RestartStrategy} must meet, driven by real fault frames from a
 * 68000 core (`bench`), returned as cases for an in-process runner or vitest.
 *
 * Every strategy: a name; well-formed, deterministic verdicts; registers and frame untouched;
 * and never a wrong restart (a `restarted` verdict, applied, must finish the instruction
 * exactly as an unfaulted run does), nor a confident one where the frame is ambiguous.
 * With `hiddenRecord`: every fault of every sample on `m68010-hidden` restarts exactly. With
 * `plainFrame`: the same on a plain `m68000`, and the ambiguous fault is reported `ambiguous`
 * with the true start among the candidates. With `continuation`: every fault of every sample on
 * `m68010-continuation` is continued, and the state handed back finishes the instruction
 * exactly. `MOVE.L 6(A1),2(A0)` gets one case per reference.
 */
export function restartStrategyConformanceSuite(subject: string, factory: RestartStrategyFactory, options: RestartStrategyConformanceOptions): ConformanceSuite {
  const capabilities = options.capabilities ?? {};
  const cache = new Map<string, readonly BenchFault[]>();
  const modelOfFault = new WeakMap<BenchFault, CpuModelName>();
  const faultsOf = (sample: Sample, model: CpuModelName): readonly BenchFault[] => {
    const key = `${model}:${sample.words.join(',')}`;
    let faults = cache.get(key);
    if (faults === undefined) {
      faults = options.bench.faultEveryReference({ model, start: sample.start, words: sample.words });
      if (faults.length === 0) throw new Error(`the fault bench produced no faults for ${sample.text} on ${model}`);
      for (const f of faults) modelOfFault.set(f, model);
      cache.set(key, faults);
    }
    return faults;
  };
  // One strategy per CPU model, as a system builds one for its model; each is built once and reused.
  const built = new Map<CpuModelName, RestartStrategy>();
  const strategy = (model: CpuModelName): RestartStrategy => {
    let s = built.get(model);
    if (s === undefined) {
      s = factory({ cpuModel: model });
      expect(s !== null && typeof s === 'object', 'the factory must return a strategy object').toBe(true);
      expect(typeof s.backUp, 'strategy.backUp must be a function').toBe('function');
      built.set(model, s);
    }
    return s;
  };
  const modelOf = (f: BenchFault): CpuModelName => modelOfFault.get(f) ?? 'm68000';
  const backUp = (f: BenchFault, state: CpuRegisters = f.cpu.state): RestartVerdict => strategy(modelOf(f)).backUp(f.frame, state, f.code);
  const everyFault = (model: CpuModelName, visit: (sample: Sample, f: BenchFault, where: string) => void): void => {
    for (const sample of [...SAMPLES, AMBIGUOUS]) for (const f of faultsOf(sample, model)) visit(sample, f, `${model}: ${describeFault(sample, f)}`);
  };
  const isAmbiguousFault = (model: CpuModelName, sample: Sample, f: BenchFault): boolean =>
    model === 'm68000' && sample === AMBIGUOUS && f.frame.access === AccessKind.Fetch && AMBIGUOUS_FETCHES.some((a) => a.address === f.frame.address);

  const cases: ConformanceCase[] = [
    {
      name: 'has a name and declares the restart-strategy specification version',
      run: () => {
        const name = strategy('m68000').name as unknown;
        expect(typeof name === 'string' && name.length > 0, `strategy.name must be a non-empty string, got ${JSON.stringify(name)}`).toBe(true);
        for (const model of MODELS) expect(strategy(model).specificationVersion, `specificationVersion of the strategy built for ${model}`).toBe(seamSpecificationVersions['restart-strategy']);
      },
    },
    {
      name: 'returns a well-formed verdict for every fault of every sample, on both CPU models',
      run: () => {
        for (const model of MODELS) everyFault(model, (_s, f, where) => expectWellFormed(backUp(f), f.frame, where));
      },
    },
    {
      name: 'leaves the registers and the fault frame it is given unchanged',
      run: () => {
        for (const model of MODELS) {
          everyFault(model, (_s, f, where) => {
            const state = copyState(f.cpu.state);
            const frame = JSON.stringify(f.frame);
            backUp(f, state);
            expect([...state.registers].map(hex), `${where}: registers after backUp`).toEqual([...f.cpu.state.registers].map(hex));
            expect(state.pc, `${where}: PC after backUp`).toBe(f.cpu.state.pc);
            expect(JSON.stringify(f.frame), `${where}: the frame after backUp`).toBe(frame);
          });
        }
      },
    },
    {
      name: 'gives the same verdict when asked twice about the same fault',
      run: () => {
        for (const model of MODELS) everyFault(model, (_s, f, where) => expect(JSON.stringify(backUp(f)), where).toBe(JSON.stringify(backUp(f))));
      },
    },
  ];
  for (const model of MODELS) {
    cases.push({
      name: `never restarts an instruction wrongly (${model} frames): every restart finishes as an unfaulted run`,
      run: () => {
        let restarts = 0;
        everyFault(model, (sample, f, where) => {
          const verdict = backUp(f);
          if (verdict.kind !== 'restarted') return;
          if (isAmbiguousFault(model, sample, f)) {
            throw new Error(`${where}: restarted at ${hex(verdict.startPc)} although the frame fits two readings; the verdict must be ambiguous (or unrecoverable)`);
          }
          expectCorrectRestart(verdict, sample, f, where);
          restarts++;
        });
        return `${restarts} restarts checked`;
      },
    });
  }

  /**
   * The cases of a capability on `model`: one per reference of the seeds' instruction, so a
   * report shows which word a strategy gets wrong, then one per other sample. `exact` checks one
   * fault; `verb` and `atReference` say in the cases' names what the capability does.
   */
  const exactCases = (
    model: CpuModelName,
    capability: string,
    exact: (sample: Sample, f: BenchFault, where: string) => void,
    samples: readonly Sample[],
    verb: string,
    atReference: (f: BenchFault) => string,
  ): void => {
    const multiWord = SAMPLES[0]!;
    for (const f of faultsOf(multiWord, model)) {
      cases.push({
        name: `${capability}: ${describeFault(multiWord, f)} ${atReference(f)} and finishes as if never faulted (${model})`,
        run: () => exact(multiWord, f, `${model}: ${describeFault(multiWord, f)}`),
      });
    }
    for (const sample of samples) {
      cases.push({
        name: `${capability}: ${verb} ${sample.text} exactly after a fault on each of its references (${model})`,
        run: () => {
          for (const f of faultsOf(sample, model)) exact(sample, f, `${model}: ${describeFault(sample, f)}`);
        },
      });
    }
  };
  const restartCases = (model: CpuModelName, capability: string): void => {
    const exact = (sample: Sample, f: BenchFault, where: string): void => {
      const verdict = backUp(f);
      if (verdict.kind !== 'restarted') throw new Error(`${where}: expected a restart (${capability}), got ${verdict.kind}${verdict.kind === 'unrecoverable' ? `: ${verdict.reason}` : ''}`);
      expectCorrectRestart(verdict, sample, f, where);
    };
    const others = SAMPLES.slice(1);
    exactCases(model, capability, exact, model === 'm68010-hidden' ? [...others, AMBIGUOUS] : others, 'restarts', (f) =>
      f.completed === true ? 'came after the instruction completed: goes on at its successor' : `restarts at ${hex(START)}`,
    );
  };
  if (capabilities.hiddenRecord === true) restartCases('m68010-hidden', 'hidden record');
  if (capabilities.plainFrame === true) {
    restartCases('m68000', 'plain frame');
    for (const ambiguous of AMBIGUOUS_FETCHES) {
      cases.push({
        name: `plain frame: reports the fetch fault at ${hex(ambiguous.address)} in ${AMBIGUOUS.text} as ambiguous, with both readings (m68000)`,
        run: () => {
          const f = faultsOf(AMBIGUOUS, 'm68000').find((x) => x.frame.access === AccessKind.Fetch && x.frame.address === ambiguous.address);
          if (f === undefined) throw new Error(`the fault bench produced no fetch fault at ${hex(ambiguous.address)}`);
          const verdict = backUp(f);
          if (verdict.kind !== 'ambiguous') throw new Error(`expected an ambiguous verdict, got ${verdict.kind}`);
          expect(verdict.candidates.map((c) => hex(c.startPc)).sort(), 'candidate restart addresses').toEqual(ambiguous.readings.map(hex));
          const truthPc = f.completed === true ? f.expected.pc : START;
          const truth = verdict.candidates.find((c) => c.startPc === truthPc)!;
          expectCorrectRestart({ kind: 'restarted', startPc: truth.startPc, undo: truth.undo, chosenFrom: null }, AMBIGUOUS, f, `candidate ${hex(truthPc)}`);
        },
      });
    }
    cases.push({
      name: `plain frame: the other faults of ${AMBIGUOUS.text} restart exactly (m68000)`,
      run: () => {
        for (const f of faultsOf(AMBIGUOUS, 'm68000')) {
          if (isAmbiguousFault('m68000', AMBIGUOUS, f)) continue;
          const where = `m68000: ${describeFault(AMBIGUOUS, f)}`;
          const verdict = backUp(f);
          if (verdict.kind !== 'restarted') throw new Error(`${where}: expected a restart, got ${verdict.kind}`);
          expectCorrectRestart(verdict, AMBIGUOUS, f, where);
        }
      },
    });
  }
  if (capabilities.continuation === true) {
    const exact = (_sample: Sample, f: BenchFault, where: string): void => {
      const verdict = backUp(f);
      expectWellFormed(verdict, f.frame, where);
      if (verdict.kind !== 'continued') throw new Error(`${where}: expected a continuation (continuation), got ${verdict.kind}${verdict.kind === 'unrecoverable' ? `: ${verdict.reason}` : ''}`);
      expectCorrectContinuation(verdict, f, where);
    };
    exactCases('m68010-continuation', 'continuation', exact, [...SAMPLES.slice(1), AMBIGUOUS], 'continues', () => "goes on from the frame's state");
  }
  return { seam: 'restart-strategy', subject, cases };
}

/** Registers the restart-strategy suite with vitest (call it from a test file). */
export function describeRestartStrategyConformance(subject: string, factory: RestartStrategyFactory, options: RestartStrategyConformanceOptions): void {
  describeConformanceSuite('RestartStrategy', restartStrategyConformanceSuite(subject, factory, options));
}

/**
 * How often software backup is ambiguous, per CPU model, on whole programs: a program runs
 * with a seeded share of its memory references faulting (operand reads and writes, and every
 * instruction-stream fetch, opcodes included), each fault is backed up by the software
 * strategy built for the model, and its verdict is scored against the truth the core knows
 * (the instruction's start, or, when the instruction had completed, the stacked PC). The run
 * then goes on from the truth (the core's record of the register changes), so each fault is
 * judged on the state a correct OS would see, and the program must still print its output.
 */
import type { CpuModelName, FaultFrame } from '@pagelab/contracts';
import type { M68000 } from '../core/cpu.js';
import { loadElfImage } from '../elf/elf-image.js';
import { FaultInjectingBus } from '../runner/fault-injection.js';
import { runProgram } from '../runner/run-program.js';
import { applyRestart } from './policies.js';
import { createSoftwareStrategy } from './software.js';

/** One program to run: its ELF, standard input, and the output it must print. */
export interface AmbiguityProgram {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly stdin: Uint8Array;
  readonly expected: Uint8Array;
}

/** The verdicts of one model's software backups, scored against the truth. */
export interface AmbiguityCount {
  readonly model: CpuModelName;
  readonly runs: number;
  readonly faults: number;
  /** One candidate, and it was the truth. */
  readonly restarted: number;
  /** Several candidates, the truth among them. */
  readonly ambiguous: number;
  /** Several candidates, the truth not among them (never expected). */
  readonly ambiguousWithoutTruth: number;
  /** No candidate fitted. */
  readonly unrecoverable: number;
  /** One candidate, and it was not the truth (never expected). */
  readonly wrong: number;
  /** Faults whose truth was "go on at the stacked PC": the instruction had completed (final prefetch). */
  readonly completed: number;
  /** Runs that did not print their expected output (never expected). */
  readonly failedRuns: number;
}

/** Options for {@link measureAmbiguity}. */
export interface AmbiguityOptions {
  readonly model: CpuModelName;
  readonly programs: readonly AmbiguityProgram[];
  readonly seeds: readonly number[];
  /** Probability that a reference faults (each address at most once). */
  readonly rate: number;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Runs every program under every seed on `model` and counts the software strategy's verdicts. */
export function measureAmbiguity(options: AmbiguityOptions): AmbiguityCount {
  const strategy = createSoftwareStrategy({ cpuModel: options.model });
  const count = { model: options.model, runs: 0, faults: 0, restarted: 0, ambiguous: 0, ambiguousWithoutTruth: 0, unrecoverable: 0, wrong: 0, completed: 0, failedRuns: 0 };
  for (const program of options.programs) {
    for (const seed of options.seeds) {
      let injector: FaultInjectingBus | null = null;
      let memory: Uint8Array = new Uint8Array(0);
      const result = runProgram(loadElfImage(program.elf, program.name), {
        model: options.model,
        engine: 'interpret',
        stdin: program.stdin,
        wrapBus: (flat) => {
          memory = flat.memory;
          injector = new FaultInjectingBus(flat, seed, options.rate, true);
          return injector;
        },
        onStart: (cpu) => injector?.attach(cpu),
        onFault: (cpu, frame: FaultFrame) => {
          count.faults++;
          const core = cpu as unknown as M68000;
          const truth = core.lastFaultCompleted ? frame.programCounter >>> 0 : core.startPc >>> 0;
          if (core.lastFaultCompleted) count.completed++;
          const lo = frame.address >>> 0;
          const code = { readWord: (a: number): number | null => (a + 2 > lo && a < lo + frame.size ? null : (memory[a]! << 8) | memory[a + 1]!) };
          const verdict = strategy.backUp(frame, cpu.state, code);
          if (verdict.kind === 'restarted') {
            if (verdict.startPc === truth) count.restarted++;
            else count.wrong++;
          } else if (verdict.kind === 'ambiguous') {
            if (verdict.candidates.some((c) => c.startPc === truth)) count.ambiguous++;
            else count.ambiguousWithoutTruth++;
          } else {
            count.unrecoverable++;
          }
          // Go on from the truth (the core's own record of the register changes), whatever the
          // verdict, so every fault of the run is judged.
          const undo = [];
          if (!core.lastFaultCompleted) for (let i = 0; i < core.changeCount; i++) undo.push({ register: core.changeRegister[i]!, delta: core.changeDelta[i]! });
          cpu.resumeAt(applyRestart(cpu.state, { kind: 'restarted', startPc: truth, undo, chosenFrom: null }));
          injector?.markInstructionBoundary();
          return { resume: true };
        },
      });
      count.runs++;
      if (result.error !== null || !same(result.stdout, program.expected)) count.failedRuns++;
    }
  }
  return count;
}

/** The counts as a Markdown table, one row per model. */
export function ambiguityTable(counts: readonly AmbiguityCount[]): string {
  const pct = (n: number, of: number): string => (of === 0 ? '0' : ((100 * n) / of).toFixed(1));
  const lines = [
    '| CPU model | runs | faults | restarted (the truth) | ambiguous (truth among them) | % ambiguous | unrecoverable | wrong | after a completed instruction |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of counts) {
    lines.push(`| \`${c.model}\` | ${c.runs} | ${c.faults} | ${c.restarted} | ${c.ambiguous} | ${pct(c.ambiguous, c.faults)} | ${c.unrecoverable} | ${c.wrong + c.ambiguousWithoutTruth} | ${c.completed} |`);
  }
  return lines.join('\n');
}

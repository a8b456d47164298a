/**
 * How often software backup is ambiguous, per CPU model, on the SingleStepTests cases: each
 * case's instruction runs on the interpreter once per memory reference it makes (opcode and
 * prefetch fetches, extension words, operand reads and writes, each word of a long on its own
 * as on the 68000's 16-bit bus), that reference faulting as a page that is not present. Each
 * fault is backed up by the software strategy built for the model and scored against the
 * truth the core knows (where the instruction began and which registers it had stepped, or,
 * after its final prefetch, "go on at the stacked PC"), in the categories of
 * {@link measureAmbiguity}. The truth itself is then checked against the chip: the instruction
 * is restarted from it on a bus that no longer faults, and the state it ends in is compared
 * with the case's final state.
 */
import { CpuStopReason, FaultCause, type CodeReader, type CpuModelName, type RegisterChange, type RestartVerdict } from '@pagelab/contracts';
import { FlatBus } from '../bus/flat-bus.js';
import { M68000 } from '../core/cpu.js';
import { createHardwareStrategy } from '../restart/simple-strategies.js';
import { createSoftwareStrategy } from '../restart/software.js';
import { NthReferenceFaultBus } from '../testing/fault-bench.js';
import type { SstTest } from './format.js';
import { listSstFiles, loadSstRegisters, placeSstMemory, readSstFile, sstFileName, sstStateDifferences } from './runner.js';

/** The most references one case is faulted on (more than any 68000 instruction makes, its exception included). */
const MAX_REFERENCES = 64;
const MEMORY = 0x1000000;

/** The verdicts on one instruction form's faults. */
export interface SstFamilyCount {
  readonly faults: number;
  readonly ambiguous: number;
  readonly unrecoverable: number;
  /** Wrong restarts and ambiguities without the truth (never expected). */
  readonly wrong: number;
  /** Faults from whose truth a restart did not end in the case's final state. */
  readonly restartMismatches: number;
}

/** One model's software backups over SingleStepTests cases, scored against the truth. */
export interface SstAmbiguityCount {
  readonly model: CpuModelName;
  /** Cases run (each faulted on every reference it makes). */
  readonly cases: number;
  /** Faults taken by the instruction and judged. */
  readonly faults: number;
  /** One candidate, and it was the truth (start and register undo). */
  readonly restarted: number;
  /** Several candidates, the truth among them. */
  readonly ambiguous: number;
  /**
   * Of {@link ambiguous}: every candidate starts at the same address, so where to restart is
   * known and only how far to undo a register is not (a register stepped between two
   * references of the same kind).
   */
  readonly ambiguousUndoOnly: number;
  /** Several candidates, the truth not among them (never expected). */
  readonly ambiguousWithoutTruth: number;
  /** No candidate fitted. */
  readonly unrecoverable: number;
  /** Of {@link unrecoverable}: faults from whose truth a restart did not reach the final state either. */
  readonly unrecoverableUnrestartable: number;
  /** One candidate, and it was not the truth (never expected). */
  readonly wrong: number;
  /** Faults on the final prefetch of a completed instruction: the truth is "go on at the stacked PC". */
  readonly completed: number;
  /**
   * References made while taking an exception the instruction raised (TRAP, CHK, a zero
   * divide, a privilege violation, an address error: the stack frame and the vector). A fault
   * there is a double fault that halts the 68000, not a restart case, so none is judged.
   */
  readonly exceptionReferences: number;
  /** Faults from whose truth a restart ended in exactly the case's final state. */
  readonly restartMatches: number;
  /** Faults from whose truth a restart did not (the first few named in {@link mismatchExamples}). */
  readonly restartMismatches: number;
  /**
   * Why each such restart missed, found by retrying it: `status` when starting from the SR the
   * case began with reaches the final state (the instruction had already set the flags, X
   * among them, that it then reads again), `memory` when starting from the case's initial
   * memory does (it had already written a word it reads again), `status and memory` when both
   * are needed, `registers` when neither suffices (it had overwritten a register it reads).
   */
  readonly mismatchCauses: Readonly<Record<MismatchCause, number>>;
  readonly mismatchExamples: readonly string[];
  /** Verdicts that were not the truth, named (case, reference, verdict), the first few. */
  readonly wrongExamples: readonly string[];
  /** Unrecoverable verdicts with the strategy's reason, the first few. */
  readonly unrecoverableExamples: readonly string[];
  /** Ambiguous verdicts with their candidates, the first few. */
  readonly ambiguousExamples: readonly string[];
  /** Per instruction form (the test file's name, `MOVE.l`, `ADDA.w`...). */
  readonly families: ReadonlyMap<string, SstFamilyCount>;
}

/**
 * The instruction forms whose restarts (from the truth) did not end in the case's final state,
 * most first, as `NAME n` (one model's count).
 */
export function sstMismatchForms(count: SstAmbiguityCount): string[] {
  return [...count.families]
    .filter(([, f]) => f.restartMismatches > 0)
    .sort((a, b) => b[1].restartMismatches - a[1].restartMismatches || (a[0] < b[0] ? -1 : 1))
    .map(([name, f]) => `${name} ${f.restartMismatches}`);
}

/** One file of cases: its instruction form's name and the cases to run. */
export interface SstCaseFile {
  readonly name: string;
  readonly tests: readonly SstTest[];
}

/** Why a restart from the truth missed the final state (see {@link SstAmbiguityCount.mismatchCauses}). */
export type MismatchCause = 'status' | 'memory' | 'status and memory' | 'registers';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Register undo lists as net changes per register, so two lists that do the same compare equal. */
function netChanges(undo: readonly RegisterChange[]): string {
  const net = new Map<number, number>();
  for (const c of undo) net.set(c.register, (net.get(c.register) ?? 0) + c.delta);
  return [...net]
    .filter(([, d]) => d !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([r, d]) => `${r}:${d}`)
    .join(',');
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const EXAMPLES = 8;

/**
 * Faults every reference of every case of `files` on `model` and counts the software
 * strategy's verdicts. Deterministic: a function of the cases alone (memory the cases do not
 * list reads as zero, as in the conformance runner).
 */
export function measureSstAmbiguity(model: CpuModelName, files: readonly SstCaseFile[]): SstAmbiguityCount {
  const software = createSoftwareStrategy({ cpuModel: model });
  const hardware = createHardwareStrategy();
  const flat = new FlatBus(MEMORY);
  const faulting = new NthReferenceFaultBus(flat, 0, true);
  const cpu = new M68000({ model, bus: faulting, engine: 'interpret', hostFaults: true });
  // Restarts run on the plain bus, taking their exceptions through the vectors as the cases do.
  const again = new M68000({ model, bus: flat, engine: 'interpret' });
  const count: Mutable<Omit<SstAmbiguityCount, 'families' | 'mismatchCauses' | 'mismatchExamples' | 'wrongExamples' | 'unrecoverableExamples' | 'ambiguousExamples'>> = {
    model,
    cases: 0,
    faults: 0,
    restarted: 0,
    ambiguous: 0,
    ambiguousUndoOnly: 0,
    ambiguousWithoutTruth: 0,
    unrecoverable: 0,
    unrecoverableUnrestartable: 0,
    wrong: 0,
    completed: 0,
    exceptionReferences: 0,
    restartMatches: 0,
    restartMismatches: 0,
  };
  const families = new Map<string, Mutable<SstFamilyCount>>();
  const mismatchExamples: string[] = [];
  const mismatchCauses: Record<MismatchCause, number> = { status: 0, memory: 0, 'status and memory': 0, registers: 0 };
  const wrongExamples: string[] = [];
  const unrecoverableExamples: string[] = [];
  const ambiguousExamples: string[] = [];
  let touched: number[] = [];

  for (const file of files) {
    let family = families.get(file.name);
    if (family === undefined) {
      family = { faults: 0, ambiguous: 0, unrecoverable: 0, wrong: 0, restartMismatches: 0 };
      families.set(file.name, family);
    }
    for (const test of file.tests) {
      count.cases++;
      /** Runs the case with its n-th reference faulting, from its initial memory (an earlier run may have written). */
      const runFaulted = (n: number): CpuStopReason => {
        for (const a of touched) flat.write16(a, 0);
        touched = [];
        const start = placeSstMemory(flat, test.initial, touched);
        for (const [address] of test.final.ram) touched.push(address & 0xffffff);
        loadSstRegisters(cpu, test.initial, start);
        faulting.rearm(n);
        return cpu.run(1);
      };
      for (let n = 1; n <= MAX_REFERENCES; n++) {
        const stop = runFaulted(n);
        if (faulting.count < n) break; // the instruction (and its exception) made fewer references
        const frame = cpu.lastFault;
        if (stop !== CpuStopReason.BusFault || frame === null || frame.cause !== FaultCause.NotPresent) {
          count.exceptionReferences++;
          continue;
        }
        count.faults++;
        family.faults++;
        const completed = cpu.lastFaultCompleted;
        if (completed) count.completed++;
        const truthPc = completed ? frame.programCounter >>> 0 : cpu.startPc >>> 0;
        const truthUndo: RegisterChange[] = [];
        if (!completed) for (let i = 0; i < cpu.changeCount; i++) truthUndo.push({ register: cpu.changeRegister[i]!, delta: cpu.changeDelta[i]! });
        const truthKey = netChanges(truthUndo);
        const isTruth = (startPc: number, undo: readonly RegisterChange[]): boolean => startPc >>> 0 === truthPc && netChanges(undo) === truthKey;

        const lo = frame.address >>> 0;
        const code: CodeReader = { readWord: (a) => (a + 2 > lo && a < lo + frame.size ? null : flat.read16(a & (MEMORY - 1))) };
        const seen = model === 'm68010-hidden' ? { ...frame, hidden: null } : frame;
        const verdict: RestartVerdict = software.backUp(seen, cpu.state, code);
        const where = (): string => `${file.name} "${test.name}" reference ${n} (${hex(frame.address)}, PC ${hex(frame.programCounter)})`;
        if (verdict.kind === 'restarted') {
          if (isTruth(verdict.startPc, verdict.undo)) count.restarted++;
          else {
            count.wrong++;
            family.wrong++;
            if (wrongExamples.length < EXAMPLES) wrongExamples.push(`${where()}: restart ${hex(verdict.startPc)} undo [${netChanges(verdict.undo)}], truth ${hex(truthPc)} [${truthKey}]`);
          }
        } else if (verdict.kind === 'ambiguous') {
          if (verdict.candidates.some((c) => isTruth(c.startPc, c.undo))) {
            count.ambiguous++;
            family.ambiguous++;
            if (verdict.candidates.every((c) => c.startPc === verdict.candidates[0]!.startPc)) count.ambiguousUndoOnly++;
            if (ambiguousExamples.length < EXAMPLES) ambiguousExamples.push(`${where()}: ${verdict.candidates.map((c) => `${c.disassembly} at ${hex(c.startPc)} undo [${netChanges(c.undo)}]`).join(' | ')}`);
          } else {
            count.ambiguousWithoutTruth++;
            family.wrong++;
            if (wrongExamples.length < EXAMPLES) wrongExamples.push(`${where()}: ambiguous ${verdict.candidates.map((c) => hex(c.startPc)).join('|')} without the truth ${hex(truthPc)} [${truthKey}]`);
          }
        } else {
          count.unrecoverable++;
          family.unrecoverable++;
          // (A software backup never continues: that verdict comes from the continuation model's strategy.)
          if (unrecoverableExamples.length < EXAMPLES) unrecoverableExamples.push(`${where()}: ${verdict.kind === 'unrecoverable' ? verdict.reason : verdict.kind}`);
        }

        // The truth, checked against the chip: the hidden record where the model keeps one
        // (hardware restart), the core's own record otherwise.
        let pc = truthPc;
        let undo: readonly RegisterChange[] = truthUndo;
        if (model === 'm68010-hidden') {
          const record = hardware.backUp(frame, cpu.state, code);
          if (record.kind === 'restarted') ({ startPc: pc, undo } = record);
        }
        const differences = completed ? sstStateDifferences(cpu, flat, test.final) : restartDifferences(again, cpu, cpu.sr, pc, undo, flat, test);
        if (differences.length === 0) count.restartMatches++;
        else {
          count.restartMismatches++;
          family.restartMismatches++;
          if (verdict.kind === 'unrecoverable') count.unrecoverableUnrestartable++;
          // Retry: the same fault with the case's initial SR; then its initial memory, with the SR as the fault left it and as the case began.
          let cause: MismatchCause = 'registers';
          if (!completed) {
            runFaulted(n);
            const initialSr = test.initial.sr;
            if (restartDifferences(again, cpu, initialSr, pc, undo, flat, test).length === 0) cause = 'status';
            else {
              placeSstMemory(flat, test.initial, touched);
              if (restartDifferences(again, cpu, cpu.sr, pc, undo, flat, test).length === 0) cause = 'memory';
              else {
                placeSstMemory(flat, test.initial, touched);
                if (restartDifferences(again, cpu, initialSr, pc, undo, flat, test).length === 0) cause = 'status and memory';
              }
            }
          }
          mismatchCauses[cause]++;
          if (mismatchExamples.length < EXAMPLES) mismatchExamples.push(`${where()}: ${differences.slice(0, 3).join(', ')} (${cause})`);
        }
      }
    }
  }
  return { ...count, families, mismatchCauses, mismatchExamples, wrongExamples, unrecoverableExamples, ambiguousExamples };
}

/** Restarts the instruction at `pc` on `cpu` from `faulted`'s registers with `undo` reversed and status register `sr`, and compares the end with the case's final state. */
function restartDifferences(cpu: M68000, faulted: M68000, sr: number, pc: number, undo: readonly RegisterChange[], bus: FlatBus, test: SstTest): string[] {
  cpu.registers.set(faulted.registers);
  for (const c of undo) cpu.registers[c.register] = (cpu.registers[c.register]! - c.delta) >>> 0;
  cpu.sr = sr;
  cpu.usp = faulted.usp;
  cpu.ssp = faulted.ssp;
  cpu.halted = false;
  cpu.tracePending = false;
  cpu.stopped = false;
  cpu.resumeAt(pc);
  cpu.run(1);
  return sstStateDifferences(cpu, bus, test.final);
}

/** The counts as a Markdown table, one row per model. */
export function sstAmbiguityTable(counts: readonly SstAmbiguityCount[]): string {
  const pct = (n: number, of: number): string => (of === 0 ? '0' : ((100 * n) / of).toFixed(1));
  const lines = [
    '| CPU model | cases | faults | restarted (the truth) | ambiguous (truth among them) | % ambiguous | of them, only the undo in doubt | unrecoverable | wrong | after a completed instruction | restart = final state |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of counts) {
    lines.push(
      `| \`${c.model}\` | ${c.cases} | ${c.faults} | ${c.restarted} | ${c.ambiguous} | ${pct(c.ambiguous, c.faults)} | ${c.ambiguousUndoOnly} | ${c.unrecoverable} | ${c.wrong + c.ambiguousWithoutTruth} | ${c.completed} | ${c.restartMatches} of ${c.faults} |`,
    );
  }
  return lines.join('\n');
}

/**
 * The instruction forms with the most ambiguous (or unrecoverable) faults, across `counts`:
 * one row per form, one ambiguous / unrecoverable column pair per model; `top` rows.
 */
export function sstFamilyTable(counts: readonly SstAmbiguityCount[], top: number): string {
  const names = new Set<string>();
  for (const c of counts) for (const name of c.families.keys()) names.add(name);
  const score = (name: string): number => counts.reduce((s, c) => s + (c.families.get(name)?.ambiguous ?? 0) + (c.families.get(name)?.unrecoverable ?? 0), 0);
  const rows = [...names].filter((n) => score(n) > 0).sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1));
  const header = ['| instruction form', ...counts.map((c) => `\`${c.model}\` faults | ambiguous | unrecoverable`)].join(' | ') + ' |';
  const rule = '|---' + '|---|---|---'.repeat(counts.length) + '|';
  const lines = [header, rule];
  for (const name of rows.slice(0, top)) {
    const cells = counts.map((c) => {
      const f = c.families.get(name) ?? { faults: 0, ambiguous: 0, unrecoverable: 0, wrong: 0, restartMismatches: 0 };
      return `${f.faults} | ${f.ambiguous} | ${f.unrecoverable}`;
    });
    lines.push(`| \`${name}\` | ${cells.join(' | ')} |`);
  }
  if (rows.length > top) lines.push(`| (${rows.length - top} more forms) |${' |'.repeat(3 * counts.length)}`);
  return lines.join('\n');
}

/** The models compared, in the order the tables list them. */
export const SST_AMBIGUITY_MODELS: readonly CpuModelName[] = ['m68000', 'pc-only', 'm68010-hidden'];

/** The cases of a directory of test files, every `every`-th case of each file (from its first). */
export function sstCaseFiles(directory: string, every = 1): SstCaseFile[] {
  return listSstFiles(directory).map((path) => ({ name: sstFileName(path), tests: readSstFile(path).filter((_, i) => i % every === 0) }));
}

/**
 * The whole report: the per-model table, the forms with the most ambiguous or unrecoverable
 * faults, and the forms whose restart from the truth did not reach the final state. `what`
 * names the cases for the first line.
 */
export function sstAmbiguityReport(what: string, files: readonly SstCaseFile[], top = 12): { counts: SstAmbiguityCount[]; text: string } {
  const counts = SST_AMBIGUITY_MODELS.map((model) => measureSstAmbiguity(model, files));
  const lines = [
    `${what}: every memory reference of each case faulted in turn, software restart built for each model:`,
    '',
    sstAmbiguityTable(counts),
    '',
    `Instruction forms with the most ambiguous or unrecoverable faults (top ${top}):`,
    '',
    sstFamilyTable(counts, top),
    '',
    'Restarts from the truth that did not reach the final state, by form:',
    '',
  ];
  const forms = counts.map((c) => sstMismatchForms(c).join(', ') || 'none');
  if (forms.every((f) => f === forms[0])) lines.push(`- every model: ${forms[0]}`);
  else counts.forEach((c, i) => lines.push(`- \`${c.model}\`: ${forms[i]}`));
  lines.push('', 'Why they missed (each retried from the initial SR, the initial memory, or both):', '');
  for (const c of counts) lines.push(`- \`${c.model}\`: ${Object.entries(c.mismatchCauses).map(([cause, n]) => `${cause} ${n}`).join(', ')}`);
  return { counts, text: lines.join('\n') + '\n' };
}

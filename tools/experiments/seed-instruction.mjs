// The seeds' instruction, MOVE.L 6(A1),2(A0) at 0x1000 (2169 0006 0002), faulted on each of its
// references in turn under each CPU model, and how often software backup is ambiguous on whole
// programs.
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/seed-instruction.mjs cases
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/seed-instruction.mjs ambiguity [--seeds N]
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/seed-instruction.mjs sst
//
// `cases` prints one row per model and reference (the fault bench splits each long into its two
// word cycles, as the 68000's bus does): the reference, the stacked PC, the frame's other fields,
// the registers the instruction had changed at the fault, whether it had completed, and the
// verdicts of the hardware, software (built for the model) and none strategies. `ambiguity` prints
// the table of `pnpm ambiguity-table` for N seeds (default 1). `sst` prints the same measure over
// the SingleStepTests cases committed in the repository (packages/cpu-m68k/fixtures/sst-subset),
// always that subset, so the document does not depend on what else is on the machine;
// `pnpm ambiguity-table --sst` prints it for the full set where one is present.
import { pathToFileURL } from 'node:url';
import { AccessKind } from '../../packages/contracts/src/index.ts';
import { faultEveryReference } from '../../packages/cpu-m68k/src/testing/fault-bench.ts';
import { createHardwareStrategy, createNoRestartStrategy } from '../../packages/cpu-m68k/src/restart/simple-strategies.ts';
import { createSoftwareStrategy } from '../../packages/cpu-m68k/src/restart/software.ts';
import { ambiguityTable, measureAmbiguity } from '../../packages/cpu-m68k/src/restart/ambiguity.ts';
import { fixturePrograms } from '../../packages/cpu-m68k/src/runner/__fixtures__/fixture-programs.ts';
import { sstAmbiguityReport, sstCaseFiles } from '../../packages/cpu-m68k/src/sst/ambiguity-sst.ts';
import { SUBSET_DIRECTORY } from '../../packages/cpu-m68k/src/sst/locate.ts';

/** The instruction: opcode, source displacement 6, destination displacement 2. */
export const SEED = { start: 0x1000, words: [0x2169, 0x0006, 0x0002] };
/** The models compared, the real chip first. */
export const MODELS = ['m68000', 'pc-only', 'm68010-hidden'];

const hex = (v) => `0x${(v >>> 0).toString(16)}`;
const ACCESS = { [AccessKind.Read]: 'read', [AccessKind.Write]: 'write', [AccessKind.Fetch]: 'fetch' };
const REGISTER = (r) => (r < 8 ? `D${r}` : `A${r - 8}`);

/** What a verdict says, in a few words. */
export function verdictText(v) {
  if (v.kind === 'restarted') return `restart ${hex(v.startPc)}${v.undo.length > 0 ? ` undo ${v.undo.map((c) => `${REGISTER(c.register)}${c.delta > 0 ? '+' : ''}${c.delta}`).join(',')}` : ''}`;
  if (v.kind === 'ambiguous') return `ambiguous ${v.candidates.map((c) => hex(c.startPc)).join('|')}`;
  return 'unrecoverable';
}

/** Names a reference of the seed instruction by what it fetches, reads or writes. */
function referenceText(f) {
  const { frame } = f;
  const a = frame.address >>> 0;
  if (frame.access === AccessKind.Fetch) {
    const offset = a - SEED.start;
    if (offset === 0) return 'opcode 0x1000';
    if (offset < 2 * SEED.words.length) return `ext word ${hex(a)}`;
    return offset === 2 * SEED.words.length ? `next opcode ${hex(a)}` : `word after it ${hex(a)}`;
  }
  const source = 0x8100 + 6;
  const operand = a === source || a === source + 2 ? 'src' : 'dst';
  const half = a === source || a === 0x8002 ? 'high' : 'low';
  return `${operand} ${ACCESS[frame.access]} ${half} ${hex(a)}`;
}

/** Every fault of the seed instruction under every model, with the three strategies' verdicts. */
export function seedCases() {
  const rows = [];
  for (const model of MODELS) {
    const software = createSoftwareStrategy({ cpuModel: model });
    const strategies = [createHardwareStrategy(), software, createNoRestartStrategy()];
    for (const f of faultEveryReference({ model, ...SEED, splitLongs: true })) {
      const touched = [];
      for (let r = 0; r < 16; r++) if (f.cpu.state.registers[r] !== f.before[r]) touched.push(REGISTER(r));
      const [hardware, soft, none] = strategies.map((s) => s.backUp(f.frame, f.cpu.state, f.code));
      rows.push({ model, fault: f, reference: referenceText(f), touched, hardware, software: soft, none });
    }
  }
  return rows;
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** The `cases` table. */
export function casesText() {
  const rows = seedCases().map((r) => {
    const { frame } = r.fault;
    return [
      r.model,
      String(r.fault.reference),
      r.reference,
      hex(frame.programCounter),
      frame.instructionRegister === null ? '-' : frame.instructionRegister.toString(16).padStart(4, '0'),
      String(frame.functionCode),
      frame.hidden === null ? '-' : hex(frame.hidden.startPc),
      r.touched.length === 0 ? 'none' : r.touched.join(','),
      r.fault.completed ? 'yes' : 'no',
      verdictText(r.hardware),
      verdictText(r.software),
      verdictText(r.none),
    ];
  });
  return table(['model', 'ref', 'faulting reference', 'PC', 'IR', 'FC', 'hidden start', 'touched', 'done', 'hardware', 'software', 'none'], rows);
}

/** The `ambiguity` table over the compiled fixtures. */
export function ambiguityText(seedCount) {
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const programs = fixturePrograms();
  const counts = ['m68010-hidden', 'm68000', 'pc-only'].map((model) => measureAmbiguity({ model, programs, seeds, rate: 0.01 }));
  return `${programs.length} programs x ${seedCount} seed(s), rate 0.01, every reference kind:\n\n${ambiguityTable(counts)}\n`;
}

/** The SingleStepTests measure over the committed subset: its counts per model and its text. */
export function sstAmbiguity() {
  const files = sstCaseFiles(SUBSET_DIRECTORY);
  const cases = files.reduce((n, f) => n + f.tests.length, 0);
  return sstAmbiguityReport(`${cases} SingleStepTests cases (the subset committed in packages/cpu-m68k/fixtures/sst-subset, all of it)`, files);
}

/** The tool as generate.mjs runs it: `cases`, `ambiguity [--seeds N]` or `sst`. */
export async function seedInstruction(args) {
  const [what, ...rest] = args;
  if (what === 'cases' && rest.length === 0) return casesText();
  if (what === 'sst' && rest.length === 0) return sstAmbiguity().text;
  if (what === 'ambiguity') {
    let seeds = 1;
    if (rest.length > 0) {
      if (rest[0] !== '--seeds' || !/^[1-9][0-9]?$/.test(rest[1] ?? '') || rest.length !== 2) throw new Error(`ambiguity: expected --seeds N (1 to 99), got ${rest.join(' ')}`);
      seeds = Number(rest[1]);
    }
    return ambiguityText(seeds);
  }
  throw new Error(`expected 'cases', 'ambiguity [--seeds N]' or 'sst', got ${args.join(' ') || 'nothing'}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(await seedInstruction(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`seed-instruction: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

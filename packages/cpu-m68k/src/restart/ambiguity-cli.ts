/**
 * pnpm ambiguity-table [--seeds N] [--rate R]
 * pnpm ambiguity-table --sst [--every N]
 *
 * Prints how often software backup is ambiguous under each CPU model: on the compiled fixture
 * programs with faults injected on every kind of reference (see ambiguity.ts), or, with
 * `--sst`, on the SingleStepTests cases with every reference of each faulted in turn (see
 * ../sst/ambiguity-sst.ts; the full set when present, else the committed subset, and it says
 * which; `--every N` takes every N-th case of each file).
 */
import { fixturePrograms } from '../runner/__fixtures__/fixture-programs.js';
import { sstAmbiguityReport, sstCaseFiles } from '../sst/ambiguity-sst.js';
import { locateSstSet, SstSetNotFoundError } from '../sst/locate.js';
import { ambiguityTable, measureAmbiguity } from './ambiguity.js';

const NAME = 'ambiguity-table';
const args = process.argv.slice(2);
const sst = args.includes('--sst');
const known = sst ? ['--sst', '--every'] : ['--seeds', '--rate'];

function fail(message: string): never {
  console.error(`${NAME}: error: ${message}`);
  process.exit(2);
}

function option(flag: string, fallback: number, valid: (n: number) => boolean, what: string): number {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!valid(n)) fail(`${flag}: expected ${what}, got ${args[i + 1] ?? 'nothing'}`);
  return n;
}

for (const [i, a] of args.entries()) {
  if (a.startsWith('--') && !known.includes(a)) fail(`unknown option ${a} (--seeds N, --rate R; or --sst, --every N)`);
  if (!a.startsWith('--') && !['--seeds', '--rate', '--every'].includes(args[i - 1] ?? '')) fail(`unexpected argument ${a}`);
}

if (sst) {
  const every = option('--every', 1, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'an integer from 1 to 1000');
  let set;
  try {
    set = locateSstSet();
  } catch (error) {
    if (error instanceof SstSetNotFoundError) fail(error.message);
    throw error;
  }
  const files = sstCaseFiles(set.directory, every);
  const cases = files.reduce((n, f) => n + f.tests.length, 0);
  const what = `${cases} SingleStepTests cases (${every === 1 ? 'all' : `every ${every}th`} of ${set.kind} set ${set.directory}, found as ${set.source})`;
  process.stdout.write(sstAmbiguityReport(what, files).text);
} else {
  const seedCount = option('--seeds', 2, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'an integer from 1 to 100');
  const rate = option('--rate', 0.01, (n) => n > 0 && n <= 0.5, 'a probability above 0 and at most 0.5');
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const programs = fixturePrograms();
  console.log(`${programs.length} compiled fixtures x ${seedCount} seeds, each reference faulting with probability ${rate} (opcode fetches too), software restart built for each model:\n`);
  console.log(ambiguityTable((['m68010-hidden', 'm68000', 'pc-only'] as const).map((model) => measureAmbiguity({ model, programs, seeds, rate }))));
}

/**
 * pnpm ambiguity-table [--seeds N] [--rate R]
 *
 * Prints how often software backup is ambiguous under each CPU model, on the compiled fixture
 * programs with faults injected on every kind of reference (see ambiguity.ts).
 */
import { fixturePrograms } from '../runner/__fixtures__/fixture-programs.js';
import { ambiguityTable, measureAmbiguity } from './ambiguity.js';

const NAME = 'ambiguity-table';
const args = process.argv.slice(2);

function option(flag: string, fallback: number, valid: (n: number) => boolean, what: string): number {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!valid(n)) {
    console.error(`${NAME}: error: ${flag}: expected ${what}, got ${args[i + 1] ?? 'nothing'}`);
    process.exit(2);
  }
  return n;
}

for (const a of args) {
  if (a.startsWith('--') && a !== '--seeds' && a !== '--rate') {
    console.error(`${NAME}: error: unknown option ${a} (--seeds N, --rate R)`);
    process.exit(2);
  }
}
const seedCount = option('--seeds', 2, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'an integer from 1 to 100');
const rate = option('--rate', 0.01, (n) => n > 0 && n <= 0.5, 'a probability above 0 and at most 0.5');
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const programs = fixturePrograms();
console.log(`${programs.length} compiled fixtures x ${seedCount} seeds, each reference faulting with probability ${rate} (opcode fetches too), software restart built for each model:\n`);
console.log(ambiguityTable((['m68010-hidden', 'm68000', 'pc-only'] as const).map((model) => measureAmbiguity({ model, programs, seeds, rate }))));

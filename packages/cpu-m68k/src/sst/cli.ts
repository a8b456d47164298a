#!/usr/bin/env node
/**
 * SST conformance runner:
 *   node --conditions=pagelab-source --import tsx packages/cpu-m68k/src/sst/cli.ts [dir|''] [filter] [--show N]
 * Without a directory it picks the set as the tests do (`locateSstSet`: $PAGELAB_SST_DIR, the
 * shared full set, the committed subset) and says which one it ran. Prints
 * `NAME  passed/total  cycles-matching` per file and `N passed, M failed` as the last line;
 * TAS and TRAPV failures are listed separately as unverified. Exits 1 if a verified test
 * fails, 2 with one line `sst: error: ...` when no set can be found or the usage is wrong.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { locateSstSet, SstSetNotFoundError } from './locate.js';
import { listSstFiles, runSstFile, sstFileName, SstRunner } from './runner.js';

const USAGE = `usage: sst [directory] [name-filter] [options]
  runs the SingleStepTests/m68000 cases (.json.bin or .json.bin.gz files) through the translator
  (each instruction compiled on first sight) or the interpreter, and compares every final state and
  cycle count; name-filter keeps the files whose name starts with it
  directory: the set to run; left out (or '') picks it as the tests do: $PAGELAB_SST_DIR, else
  the full set at ../shared/sst-m68000/v1, else the subset committed in packages/cpu-m68k
options:
  --interpret      run the cases on the interpreter instead of the translator
  --show N         list the first N failures of each file (default 0)
  --show-cycles N  list the first N cycle-count mismatches of each file (default 0)
  -h, --help       print this help and exit
exit status: 0 when every verified case passes, 1 when one fails,
2 with one line \`sst: error: ...\` for a usage error or a set that cannot be found
`;

class UsageError extends Error {}

function count(option: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--${option}: expected a non-negative integer, got "${text}"`);
  return Number(text);
}

interface SstOptions {
  readonly directory: string | undefined;
  readonly filter: string | undefined;
  readonly show: number;
  readonly showCycles: number;
  readonly interpret: boolean;
}

function parse(argv: string[]): SstOptions | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { show: { type: 'string' }, 'show-cycles': { type: 'string' }, interpret: { type: 'boolean' } } });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1] ?? 'arguments';
    throw new UsageError(/Unknown option/.test(message) ? `unknown option ${option} (sst --help lists them)` : /argument missing/.test(message) ? `${option} needs a value` : message);
  }
  const { values, positionals } = parsed;
  const [directory, filter, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  // An empty directory argument ('') also means "pick the set", so a filter can follow it.
  return { directory: directory === '' ? undefined : directory, filter, show: count('show', values.show), showCycles: count('show-cycles', values['show-cycles']), interpret: values.interpret === true };
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sst: error: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { filter, show, showCycles } = options;
  let directory = options.directory;
  if (directory === undefined) {
    try {
      const set = locateSstSet();
      directory = set.directory;
      process.stdout.write(`SingleStepTests: the ${set.kind} set, ${set.directory} (${set.source})\n`);
    } catch (e) {
      if (!(e instanceof SstSetNotFoundError)) throw e;
      process.stderr.write(`sst: error: ${e.message}\n`);
      return 2;
    }
  } else if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    process.stderr.write(`sst: error: directory ${directory}: no such directory (sst --help)\n`);
    return 2;
  } else {
    process.stdout.write(`SingleStepTests: ${directory}\n`);
  }
  const files = listSstFiles(directory).filter((f) => filter === undefined || sstFileName(f).startsWith(filter));
  if (files.length === 0) {
    process.stderr.write(`sst: error: ${directory}: no test files${filter === undefined ? '' : ` whose name starts with ${filter}`}\n`);
    return 2;
  }
  const runner = new SstRunner({ engine: options.interpret ? 'interpret' : 'translate' });
  process.stdout.write(`engine: ${runner.engine}\n`);
  let passed = 0;
  let failed = 0;
  let cycles = 0;
  let total = 0;
  let verifiedFailures = 0;
  const unverified: string[] = [];
  for (const file of files) {
    // Between files, let a closed pipe's error be seen (see below) instead of running the rest.
    await new Promise((resolve) => setImmediate(resolve));
    const result = runSstFile(file, runner);
    const pct = ((100 * result.cyclesMatching) / Math.max(1, result.total)).toFixed(1);
    process.stdout.write(`${result.name.padEnd(14)}  ${result.passed}/${result.total}  ${result.cyclesMatching} (${pct}%)\n`);
    for (const failure of result.failures.slice(0, show)) {
      process.stdout.write(`    ${failure.name}: ${failure.differences.join('; ')}\n`);
    }
    for (const mismatch of result.cycleMismatches.slice(0, showCycles)) {
      process.stdout.write(`    ${mismatch.name}: ${mismatch.differences.join('; ')}\n`);
    }
    passed += result.passed;
    failed += result.total - result.passed;
    cycles += result.cyclesMatching;
    total += result.total;
    if (result.verified) verifiedFailures += result.total - result.passed;
    else if (result.passed < result.total) unverified.push(`${result.name}: ${result.total - result.passed} failed`);
  }
  if (unverified.length > 0) process.stdout.write(`unverified (not counted for the exit status): ${unverified.join(', ')}\n`);
  if (runner.engine === 'translate') process.stdout.write(`blocks compiled: ${runner.blocksCompiled}\n`);
  process.stdout.write(`cycles matching: ${cycles}/${total} (${((100 * cycles) / Math.max(1, total)).toFixed(2)}%)\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return verifiedFailures > 0 ? 1 : 0;
}

// A reader that stops early (`sst | head`) closes the pipe: stop quietly, as the other bins do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(141);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));

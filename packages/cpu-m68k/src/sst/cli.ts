#!/usr/bin/env node
/**
 * SST conformance runner (the `m68k-sst` bin; `pnpm sst` in the repository):
 *   m68k-sst <dir> [filter] [--show N] [--show-cycles N]
 * Prints `NAME  passed/total  cycles-matching` per file and `N passed, M failed` at the end;
 * TAS and TRAPV failures are listed separately as unverified. Exits 1 if a verified test
 * fails, 2 with one line `m68k-sst: error: ...` for a usage error.
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { listSstFiles, runSstFile, SstRunner } from './runner.js';

const USAGE = `usage: m68k-sst <directory> [name-filter] [options]
  runs the SingleStepTests/m68000 cases (the .json.bin files in <directory>) on the interpreter
  and compares every final state and cycle count; name-filter keeps the files whose name starts with it
options:
  --show N         list the first N failures of each file (default 0)
  --show-cycles N  list the first N cycle-count mismatches of each file (default 0)
  -h, --help       print this help and exit
exit status: 0 when every verified case passes, 1 when one fails,
2 with one line \`m68k-sst: error: ...\` for a usage error
`;

class UsageError extends Error {}

function count(option: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`--${option}: expected a non-negative integer, got "${text}"`);
  return Number(text);
}

function parse(argv: string[]): { directory: string; filter: string | undefined; show: number; showCycles: number } | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { show: { type: 'string' }, 'show-cycles': { type: 'string' } } });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1] ?? 'arguments';
    throw new UsageError(/Unknown option/.test(message) ? `unknown option ${option} (m68k-sst --help lists them)` : /argument missing/.test(message) ? `${option} needs a value` : message);
  }
  const { values, positionals } = parsed;
  const [directory, filter, extra] = positionals;
  if (directory === undefined) throw new UsageError('no directory given (usage: m68k-sst <directory> [name-filter] [options])');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  if (!existsSync(directory)) throw new UsageError(`directory ${directory}: no such directory`);
  if (!statSync(directory).isDirectory()) throw new UsageError(`directory ${directory}: not a directory`);
  return { directory, filter, show: count('show', values.show), showCycles: count('show-cycles', values['show-cycles']) };
}

function main(argv: string[]): number {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`m68k-sst: error: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { directory, filter, show, showCycles } = options;
  const files = listSstFiles(directory).filter((f) => filter === undefined || basename(f).startsWith(filter));
  const runner = new SstRunner();
  let passed = 0;
  let failed = 0;
  let cycles = 0;
  let total = 0;
  let verifiedFailures = 0;
  const unverified: string[] = [];
  for (const file of files) {
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
  process.stdout.write(`cycles matching: ${cycles}/${total} (${((100 * cycles) / Math.max(1, total)).toFixed(2)}%)\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return verifiedFailures > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));

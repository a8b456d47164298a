#!/usr/bin/env node
/**
 * SST conformance runner:
 *   node --conditions=pagelab-source --import tsx packages/cpu-m68k/src/sst/cli.ts [dir|''] [filter] [--show N]
 * Without a directory it picks the set as the tests do (`locateSstSet`: $PAGELAB_SST_DIR, the
 * shared full set, the committed subset) and says which one it ran. Prints
 * `NAME  passed/total  cycles-matching` per file and `N passed, M failed` as the last line;
 * TAS and TRAPV failures are listed separately as unverified. Exits 1 if a verified test
 * fails, 2 when no set can be found.
 */
import { existsSync, statSync } from 'node:fs';
import { locateSstSet, SstSetNotFoundError } from './locate.js';
import { listSstFiles, runSstFile, sstFileName, SstRunner } from './runner.js';

const USAGE = "usage: sst [directory of .json.bin or .json.bin.gz files, or '' to pick the set] [name filter] [--show N] [--show-cycles N]";

function main(argv: string[]): number {
  const args = argv.filter((a) => !a.startsWith('--'));
  const showIndex = argv.indexOf('--show');
  const show = showIndex >= 0 ? Number(argv[showIndex + 1] ?? 3) : 0;
  if (showIndex >= 0) args.splice(args.indexOf(argv[showIndex + 1] ?? ''), 1);
  const cyclesIndex = argv.indexOf('--show-cycles');
  const showCycles = cyclesIndex >= 0 ? Number(argv[cyclesIndex + 1] ?? 3) : 0;
  if (cyclesIndex >= 0) args.splice(args.indexOf(argv[cyclesIndex + 1] ?? ''), 1);
  // An empty directory argument ('') also means "pick the set", so a filter can follow it.
  let directory = args[0] === '' ? undefined : args[0];
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
    process.stderr.write(`sst: error: ${directory}: no such directory (${USAGE})\n`);
    return 2;
  } else {
    process.stdout.write(`SingleStepTests: ${directory}\n`);
  }
  const filter = args[1];
  const files = listSstFiles(directory).filter((f) => filter === undefined || sstFileName(f).startsWith(filter));
  if (files.length === 0) {
    process.stderr.write(`sst: error: ${directory}: no test files${filter === undefined ? '' : ` whose name starts with ${filter}`}\n`);
    return 2;
  }
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

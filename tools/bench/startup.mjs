#!/usr/bin/env node
// Start-up time of the commands, `--help` being the cheapest thing each can do: the bins as
// installed (the committed launcher run directly, as npm's .bin link does) and the root scripts
// (`pnpm <script>`, through tools/launch/run-built.mjs). Targets: 0.3 s and 0.6 s. Then what
// loading the simulator costs: a run of a small program (10,355 instructions) through the
// installed `pagelab`, and a bare import of the kernel from a package that depends on it.
//   node tools/bench/startup.mjs [runs]        (or `pnpm --filter @pagelab/tools bench`)
// Prints wall time (min, median) and CPU time (median) per command over `runs` runs (default
// 10) after a warm-up, with the load average: on a shared machine, wall time follows the load.
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../launch/build-if-stale.mjs';
import { timeCommand } from './gnu-time.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 10);
buildIfStale(root, ['cli', 'pager', 'cpu-m68k'], 'startup bench');

const commands = [
  ['installed bin', 'packages/cli/bin/pagelab.js', ['--help']],
  ['installed bin', 'packages/pager/bin/pager-sim.js', ['--help']],
  ['installed bin', 'packages/cpu-m68k/bin/m68k-run.js', ['--help']],
  ['installed bin', 'packages/cpu-m68k/bin/m68k-sst.js', ['--help']],
  ['root script', 'pnpm', ['-s', 'pagelab', '--help']],
  ['root script', 'pnpm', ['-s', 'pager-sim', '--help']],
  ['root script', 'pnpm', ['-s', 'm68k-run', '--help']],
  ['root script', 'pnpm', ['-s', 'sst', '--help']],
  // What a root script costs before and after pnpm: the launcher alone, and pnpm doing nothing.
  ['launcher', 'node', ['tools/launch/run-built.mjs', 'pagelab', '--help']],
  ['pnpm alone', 'pnpm', ['--version']],
  // The program exits 3 (fixtures/bin/syscalls.exit), and pagelab with it.
  ['a small run', 'packages/cli/bin/pagelab.js', ['run', 'packages/kernel/fixtures/bin/syscalls.elf'], undefined, 3],
  ['kernel import', 'node', ['--input-type=module', '-e', "await import('@pagelab/kernel')"], 'packages/cli'],
];

/** Wall and CPU (user + sys) seconds of one run, measured by GNU time: CPU time hardly moves when the machine is shared. */
function measure(file, args, cwd = root, exitCode = 0) {
  const { wall, cpu, status, stderr } = timeCommand(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  // A command that failed would time its error path: stop rather than print that.
  if (status !== exitCode) throw new Error(`${file} ${args.join(' ')} exited ${status}, expected ${exitCode}: ${stderr}`);
  return { wall, cpu };
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${runs} runs each after one warm-up; seconds`);
for (const [kind, file, args, from, exitCode] of commands) {
  const path = file.includes('/') ? join(root, file) : file; // a bare name is looked up on PATH
  const cwd = from === undefined ? root : join(root, from);
  measure(path, args, cwd, exitCode);
  const samples = Array.from({ length: runs }, () => measure(path, args, cwd, exitCode));
  const walls = samples.map((s) => s.wall);
  const label = `${kind.padEnd(14)} ${[file, ...args].join(' ').padEnd(44)}`;
  console.log(`${label} wall min ${Math.min(...walls).toFixed(2)} median ${median(walls).toFixed(2)}  cpu median ${median(samples.map((s) => s.cpu)).toFixed(2)}`);
}

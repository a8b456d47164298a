// The pager's speed on a real trace, in references per second:
//   1. parsing alone (lackey text to dense page ids, in this process),
//   2. the replacement loop alone, per policy, on the preloaded page array,
//   3. the whole pager-sim process (node start-up, streamed read, parse, simulation, report),
//      per policy, timed from outside: what a user waits for.
// Each policy's loop runs in a child process of its own, so one policy's call-site feedback
// never slows another's (a bench in one process would measure a megamorphic hit path).
// Times are the best of --repeat runs; the machine is shared, so the best is the least noisy.
//
// usage: tsx --conditions=pagelab-source packages/pager/bench/replacement-bench.ts [trace]
//          [--frames 1024,64] [--repeat 3] [--policies fifo,clock,lru,opt|all] [--bin dist|source|FILE.js]
// The trace defaults to traces/gzip.lackey (make it with tools/traces/make-lackey-trace.sh).
// --bin dist (the default) runs the built command, packages/pager/dist/bin/pager-sim.js (run
// `pnpm --filter @pagelab/pager build` first); --bin source runs src/bin/pager-sim.ts through tsx,
// which adds tsx's start-up and compile time to every run; --bin FILE.js runs another build of
// pager-sim (an older one, to compare).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  LackeyParser,
  PageIdTable,
  ReferenceBuffer,
  TraceSimulator,
  computeNextUse,
  replacementPolicyNames,
  streamTraceFile,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
const repositoryRoot = resolve(packageRoot, '../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    frames: { type: 'string', default: '1024,64' },
    repeat: { type: 'string', default: '3' },
    child: { type: 'string' },
    policies: { type: 'string', default: 'fifo,clock,lru,opt' },
    bin: { type: 'string', default: 'dist' },
  },
});
const trace = resolve(positionals[0] ?? resolve(repositoryRoot, 'traces/gzip.lackey'));
const frameCounts = values.frames.split(',').map(Number);
const repeat = Number(values.repeat);
const policies = values.policies === 'all' ? [...replacementPolicyNames] : values.policies.split(',');

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function load(): { buffer: ReferenceBuffer; ids: PageIdTable; parseSeconds: number } {
  const ids = new PageIdTable();
  const buffer = new ReferenceBuffer(1 << 24);
  const parser = new LackeyParser(ids, buffer, { skipBadLines: false, source: trace }, 4096);
  const start = process.hrtime.bigint();
  streamTraceFile(trace, parser, () => {});
  return { buffer, ids, parseSeconds: seconds(start) };
}

interface LoopRow {
  policy: string;
  frames: number;
  references: number;
  misses: number;
  seconds: number;
  nextUseSeconds: number;
}

/** Child: time one policy's replacement loop on the preloaded array; print one JSON line. */
function child(policy: string): void {
  const { buffer, ids } = load();
  const rows: LoopRow[] = [];
  for (const frames of frameCounts) {
    let nextUseSeconds = 0;
    let nextUse: Int32Array | undefined;
    if (policy === 'opt') {
      const start = process.hrtime.bigint();
      nextUse = computeNextUse(buffer.pages, buffer.length, ids.size);
      nextUseSeconds = seconds(start);
    }
    let best = Infinity;
    let misses = 0;
    for (let i = 0; i < repeat; i++) {
      const simulator = new TraceSimulator({ frames, policy, ...(nextUse ? { nextUse } : {}) });
      const start = process.hrtime.bigint();
      simulator.run(buffer.pages, buffer.flags, 0, buffer.length, ids.size);
      best = Math.min(best, seconds(start));
      misses = simulator.statistics.misses;
    }
    rows.push({ policy, frames, references: buffer.length, misses, seconds: best, nextUseSeconds });
  }
  process.stdout.write(JSON.stringify(rows) + '\n');
}

function rate(references: number, s: number): string {
  return `${(references / s / 1e6).toFixed(1).padStart(6)} M/s`;
}

/** Quotes a word for the shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/** The newest modification time of the files under `directory` that a build compiles. */
function newest(directory: string): number {
  let time = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') time = Math.max(time, newest(path));
    } else if (!entry.name.endsWith('.test.ts')) {
      time = Math.max(time, statSync(path).mtimeMs);
    }
  }
  return time;
}

/** The command that runs pager-sim as a user would (argv words, node first). */
function pagerSimCommand(): string[] {
  if (values.bin === 'source') {
    return [process.execPath, '--conditions=pagelab-source', '--import', 'tsx', join(packageRoot, 'src/bin/pager-sim.ts')];
  }
  if (values.bin !== 'dist') return [process.execPath, resolve(values.bin)];
  const bin = join(packageRoot, 'dist/bin/pager-sim.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm --filter @pagelab/pager build\` or pass --bin source`);
  if (newest(join(packageRoot, 'src')) > newest(join(packageRoot, 'dist'))) {
    console.log(`warning: ${relative(repositoryRoot, bin)} is older than src/: rebuild it, or these numbers are of old code`);
  }
  return [process.execPath, bin];
}

interface WholeRun {
  seconds: number;
  references: number;
  misses: number;
  command: string;
}

/** Runs pager-sim `repeat` times as a child process; the best wall time, with its counts. */
function wholeRun(command: readonly string[], policy: string, frames: number): WholeRun {
  const args = [...command.slice(1), trace, '--format', 'lackey', '--policy', policy, '--frames', String(frames), '--json'];
  let best = Infinity;
  let last: { references: number; misses: number } = { references: 0, misses: 0 };
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(command[0] as string, args, { encoding: 'utf8', maxBuffer: 1 << 20, cwd: repositoryRoot });
    const s = seconds(start);
    if (run.status !== 0) throw new Error(`pager-sim failed: ${run.stderr.trim().split('\n')[0]}`);
    best = Math.min(best, s);
    last = JSON.parse(run.stdout) as { references: number; misses: number };
  }
  return { seconds: best, references: last.references, misses: last.misses, command: shellCommand([command[0] as string, ...args]) };
}

function main(): void {
  console.log(`command (in ${process.cwd()}): ${shellCommand([process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)])}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  if (!existsSync(trace)) {
    console.error(`error: ${trace}: no such file (run tools/traces/make-lackey-trace.sh first)`);
    process.exitCode = 1;
    return;
  }
  const { buffer, ids, parseSeconds } = load();
  console.log(`trace ${trace}: ${buffer.length} references, ${ids.size} distinct 4 KiB pages`);
  console.log(`parse only (stream + lackey parse + page ids, in this process): ${rate(buffer.length, parseSeconds)}  (${parseSeconds.toFixed(2)} s)`);
  const command = pagerSimCommand();
  console.log('');
  console.log(`best of ${repeat}. loop: the replacement loop on the preloaded page array, in a child process per policy`);
  console.log(`(OPT's next-use pass shown apart). whole: the pager-sim process, timed from outside, start-up included.`);
  console.log('policy         frames     misses        loop      whole  whole s   next-use pass');
  const commands: string[] = [];
  for (const policy of policies) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), trace, '--child', policy, '--frames', values.frames, '--repeat', values.repeat], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) {
      console.log(`${policy}: failed: ${run.stderr.trim().split('\n')[0]}`);
      continue;
    }
    for (const row of JSON.parse(run.stdout) as LoopRow[]) {
      const whole = wholeRun(command, row.policy, row.frames);
      commands.push(whole.command);
      const nextUse = row.nextUseSeconds > 0 ? rate(row.references, row.nextUseSeconds) : '';
      const agree = whole.misses === row.misses && whole.references === row.references ? '' : `  (pager-sim: ${whole.misses} misses of ${whole.references}: MISMATCH)`;
      console.log(
        `${row.policy.padEnd(14)} ${String(row.frames).padStart(6)} ${String(row.misses).padStart(10)}  ${rate(row.references, row.seconds)} ${rate(whole.references, whole.seconds)}  ${whole.seconds.toFixed(2).padStart(6)}   ${nextUse}${agree}`,
      );
    }
  }
  console.log('');
  console.log(`whole-process commands (each run ${repeat} times, from ${repositoryRoot}):`);
  for (const line of commands) console.log(`  ${line}`);
}

if (values.child !== undefined) child(values.child);
else main();

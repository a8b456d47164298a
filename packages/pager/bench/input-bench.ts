// pager-sim's speed by input format, in references per second, at one frame count:
//   in-process: simulateTraceFile (read + parse + simulate + report object) of the built
//     package, timed inside one node process (start-up and module loading removed), a child
//     process per format and policy so call-site feedback never mixes; the first run (JIT
//     warm-up included) and the best of --repeat runs;
//   whole: the built command, node packages/pager/bin/pager-sim.js, timed from outside
//     (node start-up included), best of --repeat.
// Formats: lackey text (the trace given), page-number text and the binary format, both derived
// from it next to it (TRACE.pages, TRACE.bin; made once, and the binary conversion is timed).
// The load average is printed before and after: the machine is shared, so wall times follow it.
//
// usage: tsx --conditions=pagelab-source packages/pager/bench/input-bench.ts [trace.lackey]
//          [--frames 1024] [--repeat 3] [--policies fifo,clock,lru,opt] [--formats lackey,pages,binary]
//          [--package DIR]
// --package DIR measures another build of the package (DIR/dist, DIR/bin/pager-sim.js: an older
// one, for a before/after; one without the binary format needs --formats lackey,pages).
// The trace defaults to traces/gzip.lackey (tools/traces/make-lackey-trace.sh); build the
// package first (`pnpm --filter @pagelab/pager build`).
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { staleBuildWarning } from './built.js';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, '../../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    frames: { type: 'string', default: '1024' },
    repeat: { type: 'string', default: '3' },
    policies: { type: 'string', default: 'fifo,clock,lru,opt' },
    formats: { type: 'string', default: 'lackey,pages,binary' },
    child: { type: 'string' },
    package: { type: 'string' },
  },
});
const packageRoot = values.package !== undefined ? resolve(values.package) : resolve(here, '..');
const repeat = Number(values.repeat);
const frames = Number(values.frames);
const bin = join(packageRoot, 'bin/pager-sim.js');
const dist = join(packageRoot, 'dist/index.js');

type Pager = typeof import('../src/index.js');

async function builtPager(): Promise<Pager> {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`pnpm --filter @pagelab/pager build\``);
  return (await import(pathToFileURL(dist).href)) as Pager;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface ChildRow {
  references: number;
  misses: number;
  /** Wall seconds of the first run. */
  first: number;
  /** Least wall seconds of any run. */
  best: number;
  /** Least CPU seconds (user + system, all of the process's threads) of any run. */
  bestCpu: number;
}

/** Child: simulateTraceFile `repeat` times on one file; prints one JSON line. */
async function child(spec: string): Promise<void> {
  const [file, format, policy] = JSON.parse(spec) as [string, 'pages' | 'lackey', string];
  const { simulateTraceFile } = await builtPager();
  let first = 0;
  let best = Infinity;
  let bestCpu = Infinity;
  let references = 0;
  let misses = 0;
  for (let i = 0; i < repeat; i++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = simulateTraceFile(file, { policy, frames, format });
    const s = seconds(start);
    const used = process.cpuUsage(cpu);
    if (i === 0) first = s;
    best = Math.min(best, s);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    references = result.references;
    misses = result.misses;
  }
  process.stdout.write(JSON.stringify({ references, misses, first, best, bestCpu } satisfies ChildRow) + '\n');
}

/** Writes the page-number text of a lackey trace (one decimal page per line). */
async function writePageNumbers(lackey: string, output: string): Promise<void> {
  const { LackeyParser, PageIdTable, ReferenceBuffer, streamTraceFile } = await builtPager();
  const ids = new PageIdTable();
  const buffer = new ReferenceBuffer(1 << 18);
  const parser = new LackeyParser(ids, buffer, { skipBadLines: false, source: lackey }, 4096);
  const fd = openSync(output, 'w');
  try {
    streamTraceFile(lackey, parser, () => {
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push(String(ids.pageOf(buffer.pages[i] as number)));
      writeSync(fd, lines.join('\n') + '\n');
      buffer.clear();
    });
  } finally {
    closeSync(fd);
  }
}

/** A path argument relative to the repository root when it lies inside it; other arguments as they are. */
function shown(argument: string): string {
  if (!isAbsolute(argument)) return argument;
  const inside = relative(repositoryRoot, argument);
  return inside.startsWith('..') ? argument : inside;
}

function rate(references: number, s: number): string {
  return `${(references / s / 1e6).toFixed(1).padStart(6)} M/s`;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const lackey = resolve(positionals[0] ?? resolve(repositoryRoot, 'traces/gzip.lackey'));
  console.log(`command (in ${process.cwd()}): ${[process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)].join(' ')}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}, load average ${load()} (1, 5, 15 min)`);
  if (!existsSync(lackey)) {
    console.error(`error: ${lackey}: no such file (run tools/traces/make-lackey-trace.sh first)`);
    process.exitCode = 1;
    return;
  }
  const warning = staleBuildWarning(packageRoot);
  if (warning !== undefined) console.log(`warning: ${warning}`);
  const pages = lackey.replace(/\.lackey$/, '') + '.pages';
  const binary = lackey.replace(/\.lackey$/, '') + '.bin';
  if (!existsSync(pages)) await writePageNumbers(lackey, pages);
  const conversion = ['--write-binary', binary, '--format', 'lackey'];
  if (values.formats.split(',').includes('binary')) {
    const start = process.hrtime.bigint();
    const converted = spawnSync(process.execPath, [bin, lackey, ...conversion, '--json'], { encoding: 'utf8' });
    const convertSeconds = seconds(start);
    if (converted.status !== 0) throw new Error(`pager-sim --write-binary failed: ${converted.stderr.trim()}`);
    const { references, bytes } = JSON.parse(converted.stdout) as { references: number; bytes: number };
    console.log(`lackey trace ${shown(lackey)}: ${references} references; page numbers in ${shown(pages)}, binary in ${shown(binary)} (${bytes} bytes)`);
    console.log(`conversion lackey -> binary, whole process: ${convertSeconds.toFixed(2)} s = ${rate(references, convertSeconds)}`);
  }
  console.log(`package measured: ${shown(packageRoot)}`);
  console.log('');
  console.log(`${frames} frames. in-process: simulateTraceFile of the built package in a child process, start-up removed;`);
  console.log(`wall time of the first run (JIT warm-up included) and the best of ${repeat}; cpu: references per CPU second`);
  console.log(`(user + system, every thread), best of ${repeat}: on a loaded machine, what a free core would give.`);
  console.log(`whole: node ${relative(repositoryRoot, bin)}, start-up included, under GNU time: wall and cpu, best of ${repeat}.`);
  console.log('format  policy     misses   in-process: first        best         cpu   whole: wall (s)      cpu (s)');
  const inputs: Record<string, { file: string; format: 'pages' | 'lackey' }> = {
    lackey: { file: lackey, format: 'lackey' },
    pages: { file: pages, format: 'pages' },
    binary: { file: binary, format: 'pages' },
  };
  const commands: string[] = [];
  for (const name of values.formats.split(',')) {
    const input = inputs[name];
    if (input === undefined) throw new Error(`unknown format ${name} (known: ${Object.keys(inputs).join(', ')})`);
    for (const policy of values.policies.split(',')) {
      const spec = JSON.stringify([input.file, input.format, policy]);
      const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', spec, '--frames', String(frames), '--repeat', String(repeat), '--package', packageRoot], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${name} ${policy}: ${run.stderr.trim().split('\n')[0]}`);
      const row = JSON.parse(run.stdout) as ChildRow;
      const args = [bin, input.file, ...(name === 'lackey' ? ['--format', 'lackey'] : []), '--policy', policy, '--frames', String(frames), '--json'];
      commands.push(['node', ...args.map(shown)].join(' '));
      let whole = Infinity;
      let wholeCpu = Infinity;
      for (let i = 0; i < repeat; i++) {
        // GNU time gives the CPU time too (wall time from it and from here agree to 10 ms).
        const result = spawnSync('/usr/bin/time', ['-f', '@@ %e %U %S', process.execPath, ...args], { encoding: 'utf8', cwd: repositoryRoot });
        if (result.error) throw new Error(`/usr/bin/time (GNU time) is needed: ${result.error.message}`);
        if (result.status !== 0) throw new Error(`pager-sim failed: ${result.stderr.trim().split('\n')[0]}`);
        const timing = result.stderr.split('\n').find((l) => l.startsWith('@@ '));
        if (timing === undefined) throw new Error(`no timing from GNU time: ${result.stderr}`);
        const [wall, user, system] = timing.slice(3).split(' ').map(Number) as [number, number, number];
        const counts = JSON.parse(result.stdout) as { misses: number; references: number };
        if (counts.misses !== row.misses || counts.references !== row.references) throw new Error(`${name} ${policy}: pager-sim and the in-process run disagree`);
        whole = Math.min(whole, wall);
        wholeCpu = Math.min(wholeCpu, user + system);
      }
      console.log(
        `${name.padEnd(7)} ${policy.padEnd(6)} ${String(row.misses).padStart(10)}   ${rate(row.references, row.first)}  ${rate(row.references, row.best)}  ${rate(row.references, row.bestCpu)}   ${rate(row.references, whole)} (${whole.toFixed(2)})  ${rate(row.references, wholeCpu)} (${wholeCpu.toFixed(2)})`,
      );
    }
  }
  console.log(`load average after: ${load()}`);
  console.log('');
  console.log(`whole-process commands (from ${repositoryRoot}), each run ${repeat} times:`);
  if (values.formats.split(',').includes('binary')) console.log(`  node ${[bin, lackey, ...conversion].map(shown).join(' ')}`);
  for (const line of commands) console.log(`  ${line}`);
}

if (values.child !== undefined) await child(values.child);
else await main();

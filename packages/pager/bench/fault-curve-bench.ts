// A stack policy's misses at many frame counts: a simulation per frame count against one pass
// over the trace (the fault curve from stack distances), at two levels:
//   loop: on the trace's page array already in memory (OPT's next-use pass included in both);
//   file: from the trace file, as `pagelab trace --frames LIST` runs it (parsing included:
//         the per-count way parses the file once per count, the one pass once).
// Each policy and way runs in a child process of its own, so call-site feedback from one never
// slows another. Times are the best of --repeat runs (the machine is shared). The counts of the
// two ways are compared, misses and write-backs, at every frame count: a mismatch is reported.
//
// usage: tsx --conditions=pagelab-source packages/pager/bench/fault-curve-bench.ts [trace]
//          [--page-size 4096] [--frames LIST] [--repeat 3] [--file-repeat 1] [--policies lru,opt]
// The trace (lackey format) defaults to traces/gzip.lackey (tools/traces/make-lackey-trace.sh).
// --frames defaults to 16 counts spread evenly from a sixteenth of the trace's pages to all of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  LackeyParser,
  PageIdTable,
  ReferenceBuffer,
  TraceSimulator,
  computeNextUse,
  faultCurveOfReferences,
  isStackPolicyName,
  simulateTraceFile,
  simulateTraceFileAtFrames,
  streamTraceFile,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, '../../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'page-size': { type: 'string', default: '4096' },
    frames: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    'file-repeat': { type: 'string', default: '1' },
    policies: { type: 'string', default: 'lru,opt' },
    child: { type: 'string' },
  },
});
const trace = resolve(positionals[0] ?? resolve(repositoryRoot, 'traces/gzip.lackey'));
const pageSize = Number(values['page-size']);

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function load(): { buffer: ReferenceBuffer; ids: PageIdTable } {
  const ids = new PageIdTable();
  const buffer = new ReferenceBuffer(1 << 24);
  streamTraceFile(trace, new LackeyParser(ids, buffer, { skipBadLines: false, source: trace }, pageSize), () => {});
  return { buffer, ids };
}

/** What a child reports: the best time of one way, with its counts at each frame count. */
interface WayResult {
  seconds: number;
  misses: number[];
  writebacks: number[];
}

/** Best of `repeat` runs of `measure`, which returns its counts. */
function best(repeat: number, measure: () => { misses: number[]; writebacks: number[] }): WayResult {
  let fastest = Infinity;
  let counts = { misses: [] as number[], writebacks: [] as number[] };
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    counts = measure();
    fastest = Math.min(fastest, seconds(start));
  }
  return { seconds: fastest, ...counts };
}

/** Child: one level, policy and way (`loop:lru:per-count`, `file:opt:one-pass`, ...), timed; one JSON line. */
function child(spec: string, frameCounts: readonly number[]): void {
  const [level, policy, way] = spec.split(':') as [string, string, string];
  if (!isStackPolicyName(policy)) throw new Error(`not a stack policy: ${policy}`);
  let result: WayResult;
  if (level === 'loop') {
    const { buffer, ids } = load();
    const repeat = Number(values.repeat);
    result =
      way === 'per-count'
        ? best(repeat, () => {
            const nextUse = policy === 'opt' ? computeNextUse(buffer.pages, buffer.length, ids.size) : undefined;
            const runs = frameCounts.map((frames) => {
              const simulator = new TraceSimulator({ frames, policy, ...(nextUse ? { nextUse } : {}) });
              simulator.run(buffer.pages, buffer.flags, 0, buffer.length, ids.size);
              return simulator.statistics;
            });
            return { misses: runs.map((r) => r.misses), writebacks: runs.map((r) => r.writebacks) };
          })
        : best(repeat, () => {
            const curve = faultCurveOfReferences(policy, buffer.pages, buffer.flags, buffer.length, ids.size, Math.max(...frameCounts));
            return { misses: frameCounts.map((f) => curve.misses[f] as number), writebacks: frameCounts.map((f) => curve.writebacks[f] as number) };
          });
  } else {
    const options = { policy, format: 'lackey' as const, pageSize };
    result = best(Number(values['file-repeat']), () => {
      const runs = way === 'per-count' ? frameCounts.map((frames) => simulateTraceFile(trace, { ...options, frames })) : simulateTraceFileAtFrames(trace, options, frameCounts);
      return { misses: runs.map((r) => r.misses), writebacks: runs.map((r) => r.writebacks) };
    });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(spec: string, frameCounts: readonly number[]): WayResult {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), trace, '--child', spec, '--frames', frameCounts.join(','), '--page-size', String(pageSize), '--repeat', values.repeat, '--file-repeat', values['file-repeat']];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${spec} failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(run.stdout) as WayResult;
}

function main(): void {
  console.log(`command (in ${process.cwd()}): ${[process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)].join(' ')}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  if (!existsSync(trace)) {
    console.error(`error: ${trace}: no such file (run tools/traces/make-lackey-trace.sh first)`);
    process.exitCode = 1;
    return;
  }
  const { buffer, ids } = load();
  const frameCounts = values.frames !== undefined ? values.frames.split(',').map(Number) : Array.from({ length: 16 }, (_, k) => Math.max(1, Math.round((ids.size * (k + 1)) / 16)));
  console.log(`trace ${trace}: ${buffer.length} references, ${ids.size} distinct ${pageSize}-byte pages`);
  console.log(`${frameCounts.length} frame counts: ${frameCounts.join(',')}`);
  console.log(`best of ${values.repeat} (loop) and ${values['file-repeat']} (file); each way in a child process of its own`);
  console.log('');
  console.log('policy  level  per count (s)  one pass (s)  speed-up  counts');
  let mismatches = 0;
  for (const policy of values.policies.split(',')) {
    for (const level of ['loop', 'file']) {
      const perCount = runChild(`${level}:${policy}:per-count`, frameCounts);
      const onePass = runChild(`${level}:${policy}:one-pass`, frameCounts);
      const same = JSON.stringify([perCount.misses, perCount.writebacks]) === JSON.stringify([onePass.misses, onePass.writebacks]);
      if (!same) mismatches++;
      console.log(
        `${policy.padEnd(6)}  ${level.padEnd(5)}  ${perCount.seconds.toFixed(2).padStart(13)}  ${onePass.seconds.toFixed(2).padStart(12)}  ${(perCount.seconds / onePass.seconds).toFixed(1).padStart(7)}x  ${same ? 'equal' : 'MISMATCH'}`,
      );
      if (level === 'loop') console.log(`        misses by frame count: ${onePass.misses.join(',')}; write-backs: ${onePass.writebacks.join(',')}`);
    }
  }
  if (mismatches > 0) process.exitCode = 1;
}

if (values.child !== undefined) child(values.child, (values.frames ?? '').split(',').map(Number));
else main();

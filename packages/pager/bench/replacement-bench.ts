// The pager's speed on a real trace, in references per second:
//   1. parsing alone (lackey text to dense page ids),
//   2. the replacement loop alone, per policy, on the preloaded page array,
//   3. the whole of pager-sim (streamed read + parse + simulation), per policy.
// Each policy's loop runs in a child process of its own, so one policy's call-site feedback
// never slows another's (a bench in one process would measure a megamorphic hit path).
//
// usage: tsx --conditions=pagelab-source packages/pager/bench/replacement-bench.ts [trace] [--frames 1024,64] [--repeat 3]
// The trace defaults to traces/gzip.lackey (make it with tools/traces/make-lackey-trace.sh).
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
  replacementPolicyNames,
  simulateTraceFile,
  streamTraceFile,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    frames: { type: 'string', default: '1024,64' },
    repeat: { type: 'string', default: '3' },
    child: { type: 'string' },
    policies: { type: 'string', default: replacementPolicyNames.join(',') },
    whole: { type: 'string', default: 'fifo,clock,lru,opt' },
  },
});
const trace = resolve(positionals[0] ?? resolve(here, '../../../traces/gzip.lackey'));
const frameCounts = values.frames.split(',').map(Number);
const repeat = Number(values.repeat);

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

/** Child: time one policy's replacement loop on the preloaded array; print one JSON line. */
function child(policy: string): void {
  const { buffer, ids } = load();
  const rows = [];
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
  return `${(references / s / 1e6).toFixed(1).padStart(7)} M/s`;
}

function main(): void {
  if (!existsSync(trace)) {
    console.error(`error: ${trace}: no such file (run tools/traces/make-lackey-trace.sh first)`);
    process.exitCode = 1;
    return;
  }
  const { buffer, ids, parseSeconds } = load();
  console.log(`trace ${trace}: ${buffer.length} references, ${ids.size} distinct 4 KiB pages`);
  console.log(`parse only (stream + lackey parse + page ids): ${rate(buffer.length, parseSeconds)}  (${parseSeconds.toFixed(2)} s)`);
  console.log('');
  console.log(`replacement loop on the preloaded page array (best of ${repeat}; OPT's next-use pass shown apart):`);
  console.log('policy           frames     misses      loop rate   next-use pass');
  for (const policy of values.policies.split(',')) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), trace, '--child', policy, '--frames', values.frames, '--repeat', values.repeat], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) {
      console.log(`${policy}: failed: ${run.stderr.trim().split('\n')[0]}`);
      continue;
    }
    for (const row of JSON.parse(run.stdout) as { policy: string; frames: number; references: number; misses: number; seconds: number; nextUseSeconds: number }[]) {
      const nextUse = row.nextUseSeconds > 0 ? rate(row.references, row.nextUseSeconds) : '';
      console.log(`${row.policy.padEnd(15)} ${String(row.frames).padStart(7)} ${String(row.misses).padStart(10)}  ${rate(row.references, row.seconds)}  ${nextUse}`);
    }
  }
  console.log('');
  console.log('whole pager-sim (simulateTraceFile: read, parse, simulate), one run each:');
  for (const policy of values.whole.split(',')) {
    for (const frames of frameCounts) {
      const start = process.hrtime.bigint();
      const result = simulateTraceFile(trace, { policy, frames, format: 'lackey' });
      const s = seconds(start);
      console.log(`${policy.padEnd(15)} ${String(frames).padStart(7)} ${String(result.misses).padStart(10)}  ${rate(result.references, s)}  (${s.toFixed(2)} s)`);
    }
  }
}

if (values.child !== undefined) child(values.child);
else main();

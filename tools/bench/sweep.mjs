#!/usr/bin/env node
// The sweep's speed-up from one worker thread to every core: the shipped DMA sweep (4 I/O
// strategies × 5 frame counts × 5 seeds, 100 whole-system runs) through the built bin, the whole
// process timed, first with --workers 1, then with --workers <every core>, alternating.
//   node tools/bench/sweep.mjs [rounds] [spec]      (default: 2 rounds of dma-vs-replacement)
// Prints wall and CPU seconds per run, points per second, the speed-up of the best runs, and the
// load average before and after: on a shared machine the speed-up follows the other work. The
// two result files must be the same byte for byte, or the bench fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../launch/build-if-stale.mjs';
import { timeCommand } from './gnu-time.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rounds = Number(process.argv[2] ?? 2);
const spec = process.argv[3] ?? 'dma-vs-replacement';
const cores = availableParallelism();
buildIfStale(root, ['cli'], 'sweep bench');

const scratch = mkdtempSync(join(tmpdir(), 'pagelab-sweep-bench-'));
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** One whole sweep through the installed bin under GNU time: wall and CPU (user + sys) seconds, and the file it wrote. */
function sweep(workers) {
  const out = join(scratch, `w${workers}.jsonl`);
  const { wall, cpu, status, stderr } = timeCommand(process.execPath, [join(root, 'packages/cli/bin/pagelab.js'), 'sweep', spec, '--workers', String(workers), '--out', out], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (status !== 0) throw new Error(`pagelab sweep ${spec} --workers ${workers} failed: ${stderr}`);
  const text = readFileSync(out, 'utf8');
  return { wall, cpu, text, points: text.split('\n').length - 1 };
}

console.log(`node ${process.version}, ${cores} cores (os.availableParallelism()), load average ${load()}; pagelab sweep ${spec}, ${rounds} rounds`);
const best = { 1: Infinity, [cores]: Infinity };
let reference;
for (let round = 1; round <= rounds; round++) {
  for (const workers of [1, cores]) {
    const run = sweep(workers);
    reference ??= run.text;
    if (run.text !== reference) throw new Error(`--workers ${workers} wrote a different file from --workers 1`);
    best[workers] = Math.min(best[workers], run.wall);
    console.log(`round ${round}  --workers ${String(workers).padEnd(3)} ${run.points} points  wall ${run.wall.toFixed(2)} s  cpu ${run.cpu.toFixed(2)} s  ${(run.points / run.wall).toFixed(1)} points/s`);
  }
}
console.log(`best wall: 1 worker ${best[1].toFixed(2)} s, ${cores} workers ${best[cores].toFixed(2)} s: speed-up ${(best[1] / best[cores]).toFixed(2)}x; load average now ${load()}`);
rmSync(scratch, { recursive: true, force: true });

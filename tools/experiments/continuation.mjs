// Restart against continuation on the same runs: every compiled fixture under injected page
// faults (the same seeds, the same rate, opcode fetches faulting too), backed up by the hardware
// strategy (m68010-hidden), backed up by the software strategy (m68000, the lowest start when a
// fault reads two ways) and continued from the long frame (m68010-continuation).
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/continuation.mjs injected [--seeds N]
//
// Bus cycles are counted in words at the bus (a long is two, as the 68000 family's 16-bit bus
// makes it); "made again" is a run's count minus the same program's count on the same model with
// no faults: the work restarts throw away and redo. A fault's stack bytes are what the model's
// frame takes from the supervisor stack: 14 for the 68000's 7-word group-0 frame (which
// m68010-hidden keeps: its hidden record is the textbooks' register, not a frame), and what the
// long frame itself reports (`continuation.frameBytes`).
import { Buffer } from 'node:buffer';
import { pathToFileURL } from 'node:url';
import { loadElfImage } from '../../packages/cpu-m68k/src/elf/elf-image.ts';
import { createContinueStrategy, createHardwareStrategy } from '../../packages/cpu-m68k/src/restart/simple-strategies.ts';
import { createSoftwareStrategy } from '../../packages/cpu-m68k/src/restart/software.ts';
import { lowestStartPolicy } from '../../packages/cpu-m68k/src/restart/policies.ts';
import { runWithFaultInjection } from '../../packages/cpu-m68k/src/runner/fault-injection.ts';
import { fixturePrograms } from '../../packages/cpu-m68k/src/runner/__fixtures__/fixture-programs.ts';

/** The 68000's group-0 (bus and address error) frame: 7 words. */
export const GROUP0_FRAME_BYTES = 14;
/** The probability that a reference faults (before each address's once-only rule). */
export const RATE = 0.01;

/** The rows compared: a strategy, the model it needs, and how to build it. */
export const ROWS = [
  { restart: 'hardware', model: 'm68010-hidden', strategy: () => createHardwareStrategy() },
  { restart: 'software', model: 'm68000', strategy: () => createSoftwareStrategy({ cpuModel: 'm68000' }) },
  { restart: 'continue', model: 'm68010-continuation', strategy: () => createContinueStrategy() },
];

const text = (bytes) => Buffer.from(bytes).toString('latin1');

/** Every row over every fixture and seed 1..`seeds`: the sums the table prints. */
export function measureContinuation({ seeds = 3, programs = fixturePrograms() } = {}) {
  const results = [];
  for (const row of ROWS) {
    const sum = { restart: row.restart, model: row.model, runs: 0, correct: 0, faults: 0, resumed: 0, byPolicy: 0, failed: 0, busCycles: 0, cleanBusCycles: 0, madeAgain: 0, stackBytes: 0, worstMadeAgain: 0 };
    for (const p of programs) {
      const image = () => loadElfImage(p.elf, p.name);
      const clean = runWithFaultInjection(image(), { model: row.model, strategy: row.strategy(), seed: 1, rate: 0, stdin: p.stdin });
      if (clean.faults !== 0 || text(clean.result.stdout) !== text(p.expected)) throw new Error(`${p.name} on ${row.model}: the fault-free run went wrong`);
      for (let seed = 1; seed <= seeds; seed++) {
        // The strategy under test, watched for the frame sizes its faults pushed.
        const inner = row.strategy();
        let frameBytes = 0;
        const strategy = {
          name: inner.name,
          specificationVersion: inner.specificationVersion,
          backUp(frame, registers, code) {
            frameBytes += frame.continuation?.frameBytes ?? GROUP0_FRAME_BYTES;
            return inner.backUp(frame, registers, code);
          },
        };
        const r = runWithFaultInjection(image(), { model: row.model, strategy, policy: lowestStartPolicy, seed, rate: RATE, stdin: p.stdin, opcodeFetches: true });
        sum.runs++;
        if (r.result.error === null && r.result.status === p.status && text(r.result.stdout) === text(p.expected)) sum.correct++;
        sum.faults += r.faults;
        sum.resumed += r.restarted + r.continued;
        sum.byPolicy += r.resolvedByPolicy;
        sum.failed += r.unrecoverable + r.ambiguous;
        sum.busCycles += r.busCycles;
        sum.cleanBusCycles += clean.busCycles;
        const again = r.busCycles - clean.busCycles;
        sum.madeAgain += again;
        sum.worstMadeAgain = Math.max(sum.worstMadeAgain, r.faults === 0 ? 0 : again / r.faults);
        sum.stackBytes += frameBytes;
      }
    }
    results.push(sum);
  }
  return results;
}

const n = (v) => v.toLocaleString('en-US');
const per = (a, b) => (b === 0 ? '-' : (a / b).toFixed(2));

/** The table of {@link measureContinuation}. */
export function continuationTable(results, seeds, programs) {
  const header = ['restart', 'cpu model', 'runs', 'outputs', 'faults', 'resumed', 'by policy', 'not resumed', 'bus cycles', 'made again', 'per fault', 'stack bytes', 'per fault'];
  const rows = results.map((r) => [
    r.restart,
    r.model,
    n(r.runs),
    `${r.correct}/${r.runs}`,
    n(r.faults),
    n(r.resumed),
    n(r.byPolicy),
    n(r.failed),
    n(r.busCycles),
    n(r.madeAgain),
    per(r.madeAgain, r.faults),
    n(r.stackBytes),
    per(r.stackBytes, r.faults),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [
    `${programs} compiled programs x ${seeds} seeds, ${RATE * 100}% of references faulting (opcode fetches too), each address once`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

/** What the tool prints for `args` (the experiment generator calls this). */
export async function continuation(args) {
  const [what, ...rest] = args;
  if (what !== 'injected') throw new Error(`unknown table '${what}' (expected injected)`);
  const at = rest.indexOf('--seeds');
  const seeds = at >= 0 ? Number(rest[at + 1]) : 3;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20) throw new Error(`--seeds: expected an integer from 1 to 20, got ${rest[at + 1]}`);
  const programs = fixturePrograms();
  return continuationTable(measureContinuation({ seeds, programs }), seeds, programs.length);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(await continuation(process.argv.slice(2)));
}

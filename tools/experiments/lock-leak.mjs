// Leaked locks over time: what a lock that is never released does to a running system.
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/lock-leak.mjs SCENARIO.json \
//     --kind io-pin|fresh-page --rates 0,0.05,1 [--window CYCLES] [--timeline RATE] [--audit RATE]
//
// Runs the scenario once per rate with `system.leakLocks` set to { kind, rate } (the system's
// seed draws the leaks), through `pagelab compare`'s own code, and prints one row per run: the
// releases the injection saw and skipped, the frames held by leaked locks at the end (those
// quarantined when their process ended among them), page faults (and per 1,000 references:
// instructions and synthetic references), simulated cycles, processes that completed, programs
// whose output is the expected one, processes killed, and when the first was killed. `--timeline RATE` prints instead
// the run at that rate window by window (`--window` cycles each, default 2,000,000): at each
// window's end the frames held by leaked locks, the evictable and free frames, and the page
// faults served in the window, per 1,000 references (instructions and synthetic references) and
// per million cycles; the last row is the end of the run. `--audit RATE` prints how each process
// of the run at that rate ended, the run's diagnosis, and the oldest leaked locks its audit names.
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../../packages/cli/src/scenario.ts';
import { compareScenario } from '../../packages/cli/src/commands/compare.ts';
import { count, formatTable } from '../../packages/cli/src/output.ts';
import { leaksByFrame } from '../../packages/kernel/src/lock-audit.ts';

const usage = 'usage: lock-leak.mjs SCENARIO.json --kind io-pin|fresh-page --rates LIST [--window CYCLES] [--timeline RATE] [--audit RATE]';

/** A rate as `--rates` takes it: a number from 0 to 1. */
function parseRate(text) {
  const rate = /^(?:\d+(?:\.\d+)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`--rates: expected numbers from 0 to 1, got "${text}"`);
  return rate;
}

/**
 * The scenario at `path` run with `kind` leaked at each of `rates`: one entry per rate with the
 * kernel's run report and the output checks of `pagelab compare`.
 */
export async function leakRuns(path, kind, rates) {
  const scenario = loadScenario(path);
  const quiet = { stdout() {}, stderr() {}, interactive: false };
  const runs = [];
  for (const rate of rates) {
    const system = { ...scenario.system, leakLocks: { kind, rate } };
    const [row] = await compareScenario({ ...scenario, system }, path, [scenario.config.io], [scenario.config.restart], quiet);
    runs.push({ rate, report: row.report, correctOutputs: row.correctOutputs, checkedOutputs: row.checkedOutputs });
  }
  return { scenario, runs };
}

/** The first cycle at which a process was killed, or null. */
const firstKill = (report) => {
  const ends = report.processes.filter((p) => p.killed !== null).map((p) => p.endedAtCycle);
  return ends.length === 0 ? null : Math.min(...ends);
};

/**
 * Windows of `window` cycles over a run's per-tick samples: at each window's end (the last
 * sample in it), frames held by leaks, evictable and free frames, and the faults served in the
 * window; the last row is the end of the run, from the report.
 */
export function leakWindows(report, window) {
  const rows = [];
  let faultsBefore = 0;
  let workBefore = 0;
  let end = window;
  let last = null;
  const close = (at, sample) => {
    rows.push({ at, leakedFrames: sample.leakedFrames, evictableFrames: sample.evictableFrames, freeFrames: sample.freeFrames, faults: sample.faults - faultsBefore, work: sample.work - workBefore, cycles: at - (rows.length === 0 ? 0 : rows[rows.length - 1].at) });
    faultsBefore = sample.faults;
    workBefore = sample.work;
  };
  for (const sample of report.lockLeaks.samples) {
    while (sample.at > end) {
      if (last !== null) close(end, last);
      end += window;
    }
    last = sample;
  }
  const leaks = report.lockLeaks;
  close(report.statistics.simulatedCycles, { leakedFrames: leaks.leakedFrames, evictableFrames: last?.evictableFrames ?? 0, freeFrames: last?.freeFrames ?? 0, faults: report.statistics.pageFaults, work: report.statistics.instructions });
  return rows;
}

/** Leaked locks the audit listing shows; it counts the rest. */
const auditListed = 12;

/** How each process ended, the diagnosis, and the frames the audit names, held longest first (leaked locks on it, the oldest's reason, holder, age and why). */
function auditText(report, rate) {
  const l = report.lockLeaks;
  const lines = [`rate ${rate}: ${count(l.injected)} of ${count(l.releases)} releases skipped`, ''];
  for (const p of report.processes) lines.push(`${p.name}: ${p.killed ?? (p.exitCode === null ? 'still running' : `exit ${p.exitCode}`)}`);
  lines.push('', `diagnosis: ${l.diagnosis ?? 'no leaked lock'}`, '');
  const frames = leaksByFrame(l.leaks);
  const rows = frames.slice(0, auditListed).map(({ frame, locks, oldest }) => [String(frame), count(locks), oldest.reason, oldest.pid === null ? `space ${oldest.addressSpace}` : `${oldest.pid} ${oldest.process}`, count(oldest.pinnedAt), count(oldest.age), oldest.why]);
  if (rows.length > 0) lines.push(formatTable([['frame', 'locks', 'reason', 'holder', 'taken at', 'age', 'why'], ...rows]).trimEnd());
  if (frames.length > auditListed) lines.push(`... and ${count(frames.length - auditListed)} more frames`);
  return lines.join('\n') + '\n';
}

/** The table for `args` (the command line after the script's name), as text. */
export async function lockLeak(args) {
  const path = args[0];
  if (path === undefined || path.startsWith('--')) throw new Error(usage);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at < 0 ? fallback : args[at + 1];
  };
  const kind = option('kind', undefined);
  if (kind !== 'io-pin' && kind !== 'fresh-page') throw new Error(`--kind: expected io-pin or fresh-page; ${usage}`);
  const timeline = option('timeline', undefined);
  const auditRate = option('audit', undefined);
  const single = timeline ?? auditRate;
  const rates = single === undefined ? (option('rates', '') ?? '').split(',').filter(Boolean).map(parseRate) : [parseRate(single)];
  if (rates.length === 0) throw new Error(`--rates: expected a list of rates; ${usage}`);
  const windowText = option('window', '2000000');
  if (!/^\d+$/.test(windowText) || Number(windowText) < 1) throw new Error(`--window: expected a positive number of cycles, got "${windowText}"`);
  const { scenario, runs } = await leakRuns(path, kind, rates);
  const userFrames = scenario.config.frames - scenario.config.kernelFrames - scenario.config.bounceFrames;
  const head = `scenario: ${scenario.name} (${userFrames} frames for processes), leaking ${kind}\n\n`;
  if (auditRate !== undefined) return head + auditText(runs[0].report, rates[0]);
  if (timeline !== undefined) {
    const rows = leakWindows(runs[0].report, Number(windowText)).map((w) => [
      count(w.at),
      count(w.leakedFrames),
      count(w.evictableFrames),
      count(w.freeFrames),
      count(w.faults),
      w.work === 0 ? '-' : ((w.faults * 1000) / w.work).toFixed(2),
      count(Math.round((w.faults * 1e6) / Math.max(1, w.cycles))),
    ]);
    return head + `rate ${rates[0]}, windows of ${count(Number(windowText))} cycles\n\n` + formatTable([['cycle', 'leaked frames', 'evictable', 'free', 'faults', 'per 1k refs', 'per Mcycle'], ...rows]);
  }
  const rows = runs.map(({ rate, report, correctOutputs, checkedOutputs }) => {
    const l = report.lockLeaks;
    const kill = firstKill(report);
    return [
      String(rate),
      count(l.releases),
      count(l.injected),
      count(l.leakedFrames),
      count(l.quarantinedFrames),
      count(report.statistics.pageFaults),
      ((report.statistics.pageFaults * 1000) / Math.max(1, report.statistics.instructions)).toFixed(2),
      count(report.statistics.simulatedCycles),
      `${report.processes.filter((p) => p.exitCode !== null).length}/${report.processes.length}`,
      `${correctOutputs}/${checkedOutputs}`,
      String(report.processes.filter((p) => p.killed !== null).length),
      kill === null ? '-' : count(kill),
    ];
  });
  return head + formatTable([['rate', 'releases', 'leaked', 'frames lost', 'quarantined', 'faults', 'per 1k refs', 'sim cycles', 'completed', 'output ok', 'killed', 'first kill at'], ...rows]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(await lockLeak(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`lock-leak: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

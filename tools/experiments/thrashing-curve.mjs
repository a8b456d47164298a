// The thrashing curve: throughput and CPU utilisation against the degree of multiprogramming.
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/thrashing-curve.mjs SCENARIO.json \
//     [--processes 1..9] [--load-control off,working-set,pff]
//   ... SCENARIO.json --alone
//
// Runs the scenario's first k processes, for each k listed, on the scenario's system, once per
// load-control setting, and prints one row per run. A setting is `off`, a rule with its
// defaults (`working-set`, `pff`), `pff:N` (the pff rule with upper = N) or `working-set:W`
// (the working-set rule with a window of W cycles). `--alone` runs each process by itself
// instead (load control off), one row each and their sum: the multiprogramming level 1 baseline. The runs
// go through `pagelab compare`'s own code (`compareScenario`), so a row is the same run as
// `pagelab compare` of a scenario holding those k processes.
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../../packages/cli/src/scenario.ts';
import { compareScenario } from '../../packages/cli/src/commands/compare.ts';
import { count, formatTable } from '../../packages/cli/src/output.ts';

const defaultSettings = ['off', 'working-set', 'pff'];

/** The scenario's `system.loadControl` for a setting of `--load-control`. */
function loadControlFor(setting) {
  const [rule, value, ...rest] = setting.split(':');
  const number = Number(value);
  const parameter = value === undefined ? {} : rule === 'pff' ? { upper: number } : { window: number };
  if (setting === 'off') return 'off';
  if ((rule !== 'working-set' && rule !== 'pff') || rest.length > 0 || (value !== undefined && !/^\d+$/.test(value))) {
    throw new Error(`--load-control: expected a list of off, working-set[:WINDOW], pff[:UPPER], got "${setting}"`);
  }
  return { rule, ...parameter };
}

/** `a..b` or a comma-separated list of process counts. */
function processCounts(text, most) {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  const counts = range === null ? text.split(',').map(Number) : Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  for (const k of counts) if (!Number.isInteger(k) || k < 1 || k > most) throw new Error(`--processes: expected counts from 1 to ${most} (the scenario's processes), got "${text}"`);
  return counts;
}

const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;

/**
 * The runs of the curve: for each k of `ks` and each setting of `controls` (as `--load-control`
 * takes them), the first k processes of the scenario at `path` on its system. Each row has `k`,
 * `control`, `report` (the kernel's run report) and the output checks of `pagelab compare`.
 */
export async function curveRuns(path, ks, controls) {
  const scenario = loadScenario(path);
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > scenario.processes.length) throw new Error(`--processes: expected counts from 1 to ${scenario.processes.length} (the scenario's processes), got ${k}`);
  const loadControls = controls.map(loadControlFor);
  const quiet = { stdout() {}, stderr() {}, interactive: false };
  const rows = [];
  for (const k of ks) {
    for (const [i, control] of controls.entries()) {
      const system = { ...scenario.system, loadControl: loadControls[i] };
      const [row] = await compareScenario({ ...scenario, system, processes: scenario.processes.slice(0, k) }, path, [scenario.config.io], [scenario.config.restart], quiet);
      rows.push({ k, control, report: row.report, correctOutputs: row.correctOutputs, checkedOutputs: row.checkedOutputs });
    }
  }
  return { scenario, rows };
}

/**
 * The table for `args` (the command line after the script's name), as text. Columns: the
 * processes started (k) and the load-control setting; programs completed; programs whose output
 * is qemu's; simulated cycles; throughput as instructions per 1,000 cycles and as programs
 * completed per 10^9 cycles; the CPU's utilisation (cycles neither idle nor stalled in swap
 * transfers, over all cycles); page faults; suspensions; and processes killed.
 */
export async function thrashingCurve(args) {
  const path = args[0];
  if (path === undefined || path.startsWith('--')) throw new Error('usage: thrashing-curve.mjs SCENARIO.json [--processes 1..9] [--load-control off,working-set,pff]');
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at < 0 ? fallback : args[at + 1];
  };
  if (args.includes('--alone')) return alone(path);
  const most = loadScenario(path).processes.length;
  const ks = processCounts(option('processes', `1..${most}`), most);
  const controls = option('load-control', defaultSettings.join(',')).split(',');
  const { scenario, rows } = await curveRuns(path, ks, controls);
  const table = [['processes', 'load control', 'completed', 'output ok', 'sim cycles', 'instr/kcycle', 'programs/Gcycle', 'cpu util', 'idle', 'swap stall', 'faults', 'suspended', 'killed']];
  for (const { k, control, report, correctOutputs, checkedOutputs } of rows) {
    const cycles = report.statistics.simulatedCycles;
    const completed = report.processes.filter((p) => p.status === 'exited').length;
    table.push([
      String(k),
      control,
      `${completed}/${k}`,
      `${correctOutputs}/${checkedOutputs}`,
      count(cycles),
      ((1000 * report.statistics.instructions) / cycles).toFixed(1),
      ((1e9 * completed) / cycles).toFixed(1),
      percent(cycles - report.idleCycles - report.swapCycles, cycles),
      percent(report.idleCycles, cycles),
      percent(report.swapCycles, cycles),
      count(report.statistics.pageFaults),
      count(report.loadControl.suspensions),
      String(report.processes.filter((p) => p.killed !== null).length),
    ]);
  }
  return `scenario: ${scenario.name}\n\n${formatTable(table)}`;
}

/** Each process of the scenario at `path` run by itself (load control off): `{ scenario, rows }`, a row per process with its report and output check. */
export async function aloneRuns(path) {
  const scenario = loadScenario(path);
  const quiet = { stdout() {}, stderr() {}, interactive: false };
  const rows = [];
  for (const process of scenario.processes) {
    const system = { ...scenario.system, loadControl: 'off' };
    const [row] = await compareScenario({ ...scenario, system, processes: [process] }, path, [scenario.config.io], [scenario.config.restart], quiet);
    rows.push({ name: process.name, report: row.report, correctOutputs: row.correctOutputs, checkedOutputs: row.checkedOutputs });
  }
  return { scenario, rows };
}

/** The `--alone` table: each process by itself, and the sum, what the processes cost one after another. */
async function alone(path) {
  const { scenario, rows } = await aloneRuns(path);
  const table = [['process', 'ended', 'output ok', 'sim cycles', 'instructions', 'faults', 'swap cyc']];
  const sum = { cycles: 0, instructions: 0, faults: 0, swap: 0 };
  for (const { name, report, correctOutputs, checkedOutputs } of rows) {
    const p = report.processes[0];
    const s = report.statistics;
    sum.cycles += s.simulatedCycles;
    sum.instructions += s.instructions;
    sum.faults += s.pageFaults;
    sum.swap += report.swapCycles;
    const ended = p.status === 'exited' ? `exit ${p.exitCode}` : p.status === 'killed' ? (p.signal ?? 'killed') : 'running';
    table.push([name, ended, `${correctOutputs}/${checkedOutputs}`, count(s.simulatedCycles), count(s.instructions), count(s.pageFaults), count(report.swapCycles)]);
  }
  table.push(['all, one after another', '', '', count(sum.cycles), count(sum.instructions), count(sum.faults), count(sum.swap)]);
  return `scenario: ${scenario.name}, each process alone\n\n${formatTable(table)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(await thrashingCurve(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`thrashing-curve: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

// The thrashing curve: throughput and CPU utilisation against the degree of multiprogramming.
//
//   pnpm exec tsx --conditions=pagelab-source tools/experiments/thrashing-curve.mjs SCENARIO.json \
//     [--processes 1..9] [--load-control off,working-set,pff]
//
// Runs the scenario's first k processes, for each k listed, on the scenario's system, once per
// load-control setting (off, or a rule with its defaults), and prints one row per run. The runs
// go through `pagelab compare`'s own code (`compareScenario`), so a row is the same run as
// `pagelab compare` of a scenario holding those k processes.
import { pathToFileURL } from 'node:url';
import { loadScenario } from '../../packages/cli/src/scenario.ts';
import { compareScenario } from '../../packages/cli/src/commands/compare.ts';
import { count, formatTable } from '../../packages/cli/src/output.ts';

const settings = ['off', 'working-set', 'pff'];

/** `a..b` or a comma-separated list of process counts. */
function processCounts(text, most) {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  const counts = range === null ? text.split(',').map(Number) : Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  for (const k of counts) if (!Number.isInteger(k) || k < 1 || k > most) throw new Error(`--processes: expected counts from 1 to ${most} (the scenario's processes), got "${text}"`);
  return counts;
}

const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;

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
  const scenario = loadScenario(path);
  const ks = processCounts(option('processes', `1..${scenario.processes.length}`), scenario.processes.length);
  const controls = option('load-control', settings.join(',')).split(',');
  for (const c of controls) if (!settings.includes(c)) throw new Error(`--load-control: expected a list of ${settings.join(', ')}, got "${c}"`);
  const quiet = { stdout() {}, stderr() {}, interactive: false };
  const table = [['processes', 'load control', 'completed', 'output ok', 'sim cycles', 'instr/kcycle', 'programs/Gcycle', 'cpu util', 'idle', 'swap stall', 'faults', 'suspended', 'killed']];
  for (const k of ks) {
    for (const control of controls) {
      const system = { ...scenario.system, loadControl: control === 'off' ? 'off' : { rule: control } };
      const [row] = await compareScenario({ ...scenario, system, processes: scenario.processes.slice(0, k) }, path, [scenario.config.io], [scenario.config.restart], quiet);
      const { report } = row;
      const cycles = report.statistics.simulatedCycles;
      const completed = report.processes.filter((p) => p.status === 'exited').length;
      table.push([
        String(k),
        control,
        `${completed}/${k}`,
        `${row.correctOutputs}/${row.checkedOutputs}`,
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
  }
  return `scenario: ${scenario.name}\n\n${formatTable(table)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(await thrashingCurve(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`thrashing-curve: error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

import { ConfigurationError, createSystem, type IoStrategyName, type RestartStrategyName, type RunReport } from '@pagelab/kernel';
import { parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { checkSystem, loadScenario, type Scenario } from '../scenario.js';
import { count, formatTable, type CommandOutput } from '../output.js';
import { progressReporter } from '../progress.js';
import { runJson } from '../summary.js';

const ioNames: readonly IoStrategyName[] = ['pin', 'bounce', 'unprotected', 'hybrid'];
const restartNames: readonly RestartStrategyName[] = ['hardware', 'software', 'none'];
const defaultIos: readonly IoStrategyName[] = ['unprotected', 'pin', 'bounce', 'hybrid'];

export const compareSpec: CommandSpec = {
  command: 'pagelab compare',
  operands: '<scenario.json>',
  summary: 'runs one scenario under several I/O and restart strategies and prints them side by side',
  options: [
    { name: 'io', value: 'LIST', help: `I/O buffer strategies, comma-separated, of ${ioNames.join(', ')}\n(default ${defaultIos.join(',')})` },
    { name: 'restart', value: 'LIST', help: `restart strategies, comma-separated, of ${restartNames.join(', ')}\n(default: the scenario's system.restart)` },
    { name: 'json', help: 'print one JSON object with a run per strategy pair instead of the table' },
  ],
  notes: ['the scenario format: packages/cli/schema/scenario.schema.json'],
};

function list<T extends string>(text: string | undefined, field: string, known: readonly T[], fallback: readonly T[]): readonly T[] {
  if (text === undefined) return fallback;
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) throw new ConfigurationError(field, `unknown "${item}"; expected a comma-separated list of ${known.join(', ')}`);
  }
  if (items.length === 0) throw new ConfigurationError(field, 'expected at least one name');
  return items as T[];
}

/** One row of the comparison: a strategy pair and what the scenario did under it. */
export interface ComparisonRow {
  readonly io: IoStrategyName;
  readonly restart: RestartStrategyName;
  readonly report: RunReport;
  /** Programs whose output matched their expected output, of those that have one. */
  readonly correctOutputs: number;
  readonly checkedOutputs: number;
}

/** Runs the scenario once under each (io, restart) pair. */
export function compareScenario(scenario: Scenario, source: string, ios: readonly IoStrategyName[], restarts: readonly RestartStrategyName[], out: CommandOutput): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const restart of restarts) {
    for (const io of ios) {
      const system = { ...scenario.system, io, restart } as Record<string, unknown>;
      if (restart === 'hardware') system.cpuModel = 'm68010-hidden';
      else if (scenario.system.cpuModel === undefined) system.cpuModel = 'm68000';
      const machine = createSystem(checkSystem(system, source));
      for (const [path, bytes] of scenario.files) machine.addFile(path, bytes.slice());
      for (const p of scenario.processes) {
        if (p.kind === 'program') machine.spawnProgram({ name: p.name, executable: p.executable, priority: p.priority, stdin: p.stdin });
        else machine.spawnSynthetic({ name: p.name, spec: p.spec, priority: p.priority });
      }
      const progress = progressReporter(out, `${io}/${restart}`);
      const report = machine.run({ onProgress: progress.onProgress });
      progress.finish();
      let checked = 0;
      let correct = 0;
      scenario.processes.forEach((p, i) => {
        if (p.kind !== 'program' || p.expectedOutput === null) return;
        checked++;
        if (report.processes[i]!.stdout === p.expectedOutput && report.processes[i]!.killed === null) correct++;
      });
      rows.push({ io, restart, report, correctOutputs: correct, checkedOutputs: checked });
    }
  }
  return rows;
}

/** `pagelab compare`: the same scenario under several strategies, side by side. */
export function compareCommand(argv: readonly string[], out: CommandOutput): number {
  const parsed = parseCommandLine(compareSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(compareSpec));
    return 0;
  }
  const { values, positionals } = parsed;
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name]) : undefined);
  if (positionals.length !== 1) throw new ConfigurationError('scenario', `expected one scenario file, got ${positionals.length}`);
  const source = positionals[0]!;
  const scenario = loadScenario(source);
  const ios = list(text('io'), 'io', ioNames, defaultIos);
  const restarts = list(text('restart'), 'restart', restartNames, [scenario.config.restart]);
  const rows = compareScenario(scenario, source, ios, restarts, out);
  if (values.json === true) {
    const expected = scenario.processes.map((p) => (p.kind === 'program' ? p.expectedOutput : null));
    out.stdout(JSON.stringify({ scenario: scenario.name, runs: rows.map((r) => ({ io: r.io, restart: r.restart, correctOutputs: r.correctOutputs, checkedOutputs: r.checkedOutputs, ...runJson(r.report, expected) })) }) + '\n');
    return 0;
  }
  out.stdout(`scenario: ${scenario.name}\n\n`);
  const table: string[][] = [
    ['io / restart', 'faults', 'restarts', 'ambiguous', 'corruptions', 'bad bytes', 'copied B', 'copy cyc', 'pinned frame-cyc', 'pool waits', 'quota refused', 'sim cycles', 'output ok', 'killed'],
  ];
  for (const r of rows) {
    const s = r.report.statistics;
    table.push([
      `${r.io} / ${r.restart}`,
      count(s.pageFaults),
      count(s.restarts),
      count(s.ambiguousRestarts),
      count(s.corruptionEvents),
      count(r.report.corruptedBytes),
      count(s.bytesCopied),
      count(r.report.io.copyCycles),
      count(s.pinnedFrameCycles),
      count(r.report.io.poolWaits),
      count(r.report.io.quotaRefusals),
      count(s.simulatedCycles),
      r.checkedOutputs === 0 ? '-' : `${r.correctOutputs}/${r.checkedOutputs}`,
      String(r.report.processes.filter((p) => p.killed !== null).length),
    ]);
  }
  out.stdout(formatTable(table));
  return 0;
}

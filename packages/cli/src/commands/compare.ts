import { parseArgs } from 'node:util';
import { ConfigurationError, createSystem, type IoStrategyName, type ReplacementParts, type RestartStrategyName, type RunReport } from '@pagelab/kernel';
import { loadPartModules, parsePartFlags } from '../part-modules.js';
import { checkSystem, loadScenario, type Scenario } from '../scenario.js';
import { count, formatTable, interruptedStatus, maxCyclesFlag, runResponsively, type CommandOutput } from '../output.js';
import { progressReporter } from '../progress.js';
import { runJson } from '../summary.js';

export const compareUsage = `usage: pagelab compare <scenario.json> [--io LIST] [--restart LIST] [--part SEAM=MODULE]... [--max-cycles N] [--json]
  LIST is comma-separated, e.g. --io unprotected,pin,bounce,hybrid --restart hardware,software
  --part replaces a seam with a module's default export (overrides the scenario's "parts");
  a replaced io-strategy or restart-strategy is one row under its own name instead of a LIST
  --max-cycles N bounds every run (overriding the scenario's system.maxCycles); Ctrl-C stops
  and prints the rows so far (exit status 130)
`;

const ioNames: readonly IoStrategyName[] = ['pin', 'bounce', 'unprotected', 'hybrid'];
const restartNames: readonly RestartStrategyName[] = ['hardware', 'software', 'none'];

function list<T extends string>(text: string | undefined, field: string, known: readonly T[], fallback: readonly T[]): readonly T[] {
  if (text === undefined) return fallback;
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) throw new ConfigurationError(field, `unknown "${item}"; expected a comma-separated list of ${known.join(', ')}`);
  }
  if (items.length === 0) throw new ConfigurationError(field, 'expected at least one name');
  return items as T[];
}

/** One row of the comparison: a strategy pair, by the names the parts report, and what the scenario did under it. */
export interface ComparisonRow {
  readonly io: string;
  readonly restart: string;
  readonly report: RunReport;
  /** Programs whose output matched their expected output, of those that have one. */
  readonly correctOutputs: number;
  readonly checkedOutputs: number;
}

/**
 * Runs the scenario once under each (io, restart) pair, with `parts` (loaded by
 * `loadPartModules`) in place of pagelab's own. A replaced I/O or restart strategy is a single
 * entry of its dimension: give a one-name list for it. `maxCycles` bounds each run; when
 * `out.interrupted` says stop, the rows so far are returned.
 */
export async function compareScenario(
  scenario: Scenario,
  source: string,
  ios: readonly IoStrategyName[],
  restarts: readonly RestartStrategyName[],
  out: CommandOutput,
  parts: ReplacementParts = {},
  maxCycles?: number | 'unlimited',
): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  const labRestart = parts.parts?.['restart-strategy'] !== undefined;
  for (const restart of restarts) {
    for (const io of ios) {
      if (out.interrupted?.() === true) return rows;
      const system = { ...scenario.system, io, restart } as Record<string, unknown>;
      if (maxCycles !== undefined) system.maxCycles = maxCycles;
      if (restart === 'hardware' && !labRestart) system.cpuModel = 'm68010-hidden';
      else if (scenario.system.cpuModel === undefined) system.cpuModel = 'm68000';
      const machine = createSystem(checkSystem(system, source), parts);
      for (const [path, bytes] of scenario.files) machine.addFile(path, bytes.slice());
      for (const p of scenario.processes) {
        if (p.kind === 'program') machine.spawnProgram({ name: p.name, executable: p.executable, priority: p.priority, stdin: p.stdin });
        else machine.spawnSynthetic({ name: p.name, spec: p.spec, priority: p.priority });
      }
      const progress = progressReporter(out, `${io}/${restart}`);
      const report = await runResponsively(machine, { onProgress: progress.onProgress, interrupted: out.interrupted });
      progress.finish();
      let checked = 0;
      let correct = 0;
      scenario.processes.forEach((p, i) => {
        if (p.kind !== 'program' || p.expectedOutput === null) return;
        checked++;
        if (report.processes[i]!.stdout === p.expectedOutput && report.processes[i]!.killed === null) correct++;
      });
      rows.push({ io: report.partNames.io, restart: report.partNames.restart, report, correctOutputs: correct, checkedOutputs: checked });
    }
  }
  return rows;
}

/** `pagelab compare`: the same scenario under several strategies, side by side. */
export async function compareCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { io: { type: 'string' }, restart: { type: 'string' }, part: { type: 'string', multiple: true }, json: { type: 'boolean' }, 'max-cycles': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new ConfigurationError('scenario', `expected one scenario file, got ${positionals.length}`);
  const source = positionals[0]!;
  const scenario = loadScenario(source);
  const fromScenario = await loadPartModules(scenario.parts, scenario.base);
  const fromFlags = await loadPartModules(parsePartFlags(values.part), process.cwd());
  const parts: ReplacementParts = {
    parts: { ...fromScenario.parts, ...fromFlags.parts },
    origins: { ...fromScenario.origins, ...fromFlags.origins },
  };
  const single = <T extends string>(seam: 'io-strategy' | 'restart-strategy', flag: string | undefined, configured: T): T[] | null => {
    if (parts.parts?.[seam] === undefined) return null;
    if (flag !== undefined) throw new ConfigurationError(seam === 'io-strategy' ? 'io' : 'restart', `cannot be combined with a replaced ${seam} part`);
    return [configured];
  };
  const ios = single('io-strategy', values.io, scenario.config.io) ?? list(values.io, 'io', ioNames, ['unprotected', 'pin', 'bounce', 'hybrid']);
  const restarts = single('restart-strategy', values.restart, scenario.config.restart) ?? list(values.restart, 'restart', restartNames, [scenario.config.restart]);
  const rows = await compareScenario(scenario, source, ios, restarts, out, parts, maxCyclesFlag(values['max-cycles']));
  const interrupted = rows.length < ios.length * restarts.length || rows.some((r) => r.report.ended === 'interrupted');
  const status = interrupted ? interruptedStatus : 0;
  if (values.json === true) {
    const expected = scenario.processes.map((p) => (p.kind === 'program' ? p.expectedOutput : null));
    out.stdout(JSON.stringify({ scenario: scenario.name, runs: rows.map((r) => ({ io: r.io, restart: r.restart, correctOutputs: r.correctOutputs, checkedOutputs: r.checkedOutputs, ...runJson(r.report, expected) })) }) + '\n');
    return status;
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
  for (const r of rows) {
    const running = r.report.processes.filter((p) => p.status === 'running');
    if (running.length > 0) {
      const why = r.report.ended === 'interrupted' ? 'interrupted' : 'stopped at max-cycles';
      out.stdout(`${r.io} / ${r.restart}: ${why} after ${count(r.report.statistics.simulatedCycles)} cycles; still running: ${running.map((p) => p.name).join(', ')}\n`);
    }
  }
  if (interrupted) out.stdout(`interrupted: ${rows.length} of ${ios.length * restarts.length} runs shown\n`);
  return status;
}

import { ConfigurationError, createSystem, parseSystemConfig, systemConfigChoices, type SystemEvent, type IoStrategyName, type ReplacementParts, type RestartStrategyName, type RunReport, type ComparisonRunResult } from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { loadPartModules, parsePartFlags } from '../part-modules.js';
import { interpretOption, maxCyclesOption, partOptions } from './run.js';
import { checkSystem, loadScenario, type Scenario } from '../scenario.js';
import { resolveScenarioOperand, scenarioListing } from '../shipped.js';
import { count, formatTable, interruptedStatus, maxCyclesFlag, runResponsively, type CommandOutput } from '../output.js';
import { progressReporter } from '../progress.js';
import { hostTime, runJson } from '../summary.js';
import { effectiveCpuModel } from '../sweep/plan.js';
import { writeOutputFile } from '../output-file.js';

const ioNames: readonly IoStrategyName[] = ['pin', 'bounce', 'unprotected', 'hybrid'];
const restartNames: readonly RestartStrategyName[] = ['hardware', 'software', 'none', 'continue'];
const defaultIos: readonly IoStrategyName[] = ['unprotected', 'pin', 'bounce', 'hybrid'];

/** The entry of a strategy list that stands for the lab's part of that seam (loaded into `parts`). */
export const LAB_PART = 'part';
/** An I/O row: a built-in strategy, or the lab's `io-strategy` part. */
export type IoChoice = IoStrategyName | typeof LAB_PART;
/** A restart row: a built-in strategy, or the lab's `restart-strategy` part. */
export type RestartChoice = RestartStrategyName | typeof LAB_PART;

export const compareSpec: CommandSpec = {
  command: 'pagelab compare',
  operands: '<scenario.json|NAME>',
  summary: 'runs one scenario under several I/O and restart strategies and prints them side by side',
  options: [
    { name: 'io', value: 'LIST', help: `I/O buffer strategies, comma-separated, of ${ioNames.join(', ')}\n(default ${defaultIos.join(',')}; with an io-strategy part: none)` },
    { name: 'restart', value: 'LIST', help: `restart strategies, comma-separated, of ${restartNames.join(', ')}\n(default: the scenario's system.restart; with a restart-strategy part: none)` },
    { name: 'frames', value: 'LIST', help: "frame counts, comma-separated: the runs are repeated for each, a column names it\n(default: the scenario's system.frames)" },
    { name: 'lock-fresh-pages', value: 'LIST', help: "off, on or off,on: fresh-page locks (system.lockFreshPages), repeated for each,\na column names it (default: the scenario's)" },
    { name: 'load-control', value: 'LIST', help: "off, on or off,on: load control (system.loadControl; on is the scenario's rule if it\nnames one, else the default), repeated for each, a column names it (default: the scenario's)" },
    { name: 'cpu-model', value: 'M', help: "CPU fault model of every row but built-in hardware and continue restarts', which need\nm68010-hidden and m68010-continuation: m68000, m68010-hidden or pc-only\n(default: the scenario's, else m68000)" },
    { ...maxCyclesOption, help: "bound every run (overrides the scenario's system.maxCycles); Ctrl-C stops and\nprints the rows so far, exit status 130 (default: the scenario's, else unlimited)" },
    ...partOptions,
    interpretOption,
    { name: 'processes', help: 'also print a table with a row per process of each run: its priority, how it\nended, its page faults and the cycle it ended at' },
    { name: 'json', help: 'print one JSON object with a run per strategy pair instead of the table' },
    { name: 'report', value: 'FILE', help: 'also write the comparison as one HTML page of charts and tables, with a timeline\nof DMA bursts, evictions and corruptions for each run (as `pagelab report` draws)' },
    { name: 'list', help: 'print the shipped experiments, by NAME, and exit' },
  ],
  notes: [
    'NAME is a shipped experiment (`pagelab compare --list`), e.g. dma-vs-replacement; a file of that name wins',
    'a --part overrides the scenario\'s "parts"; a replaced io-strategy or restart-strategy runs as its own',
    'row, under the name it reports, first, and then the built-ins that --io or --restart list beside it',
    '(pagelab compare dma-vs-replacement --part io-strategy=./my-io.mjs --io hybrid);',
    'the scenario format: packages/cli/schema/scenario.schema.json',
  ],
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

/** The system settings a comparison repeats its runs over (each left out keeps the scenario's). */
export interface ComparisonSweep {
  readonly frames?: readonly number[];
  readonly lockFreshPages?: readonly boolean[];
  readonly loadControl?: readonly boolean[];
}

/** One row of the comparison: a strategy pair, by the names the parts report, and what the scenario did under it. */
export interface ComparisonRow {
  readonly io: string;
  readonly restart: string;
  /** The frame count of the run, when the comparison swept frame counts. */
  readonly frames?: number;
  /** Whether fresh pages were locked, when the comparison swept that setting. */
  readonly lockFreshPages?: boolean;
  /** Whether load control was on, when the comparison swept that setting. */
  readonly loadControl?: boolean;
  readonly report: RunReport;
  /** Programs whose output matched their expected output, of those that have one. */
  readonly correctOutputs: number;
  readonly checkedOutputs: number;
  /** The CPU fault model the run used. */
  readonly cpuModel: string;
  /** Every event of the run, when the comparison was asked to keep them (for a report's timelines). */
  readonly events?: readonly SystemEvent[];
}

/**
 * Runs the scenario once under each (io, restart) pair, with `parts` (loaded by
 * `loadPartModules`) in place of pagelab's own. An I/O or restart entry {@link LAB_PART} is the
 * lab's part of that seam (it must be in `parts`); the built-in names beside it run pagelab's
 * strategies, so a lab's row and the built-ins share one table. `maxCycles` bounds each run; when
 * `out.interrupted` says stop, the rows so far are returned. `sweep` repeats every pair for each
 * frame count, fresh-page-lock setting and load-control setting it lists (frames outermost),
 * naming them in the row.
 */
export async function compareScenario(
  scenario: Scenario,
  source: string,
  ios: readonly IoChoice[],
  restarts: readonly RestartChoice[],
  out: CommandOutput,
  parts: ReplacementParts = {},
  maxCycles?: number | 'unlimited',
  sweep: ComparisonSweep = {},
  keepEvents = false,
): Promise<ComparisonRow[]> {
  const seamRows = [
    ['io-strategy', 'io', ios],
    ['restart-strategy', 'restart', restarts],
  ] as const;
  for (const [seam, field, entries] of seamRows) {
    const loaded = parts.parts?.[seam] !== undefined;
    const listed = (entries as readonly string[]).includes(LAB_PART);
    if (listed && !loaded) throw new ConfigurationError(field, `"${LAB_PART}" is listed, but no ${seam} part is loaded`);
    if (loaded && !listed) throw new ConfigurationError(field, `an ${seam} part is loaded, but "${LAB_PART}" is not listed, so it would never run`);
  }
  const rows: ComparisonRow[] = [];
  const settings = (sweep.frames ?? [undefined]).flatMap((frames) =>
    (sweep.lockFreshPages ?? [undefined]).flatMap((lockFreshPages) => (sweep.loadControl ?? [undefined]).map((loadControl) => sweptSettings({ frames, lockFreshPages, loadControl }))),
  );
  for (const setting of settings) {
    for (const restart of restarts) {
      for (const io of ios) {
        if (out.interrupted?.() === true) return rows;
        rows.push(await runComparisonPoint(scenario, source, io, restart, setting, out, parts, maxCycles, keepEvents));
      }
    }
  }
  return rows;
}

/** The settings of one comparison run that a sweep varies; each left out keeps the scenario's. */
export interface PointSettings {
  readonly frames?: number;
  readonly lockFreshPages?: boolean;
  readonly loadControl?: boolean;
}

/**
 * One row of {@link compareScenario}: the scenario run once under `io` and `restart` with the
 * swept `setting`. The caller has checked that a {@link LAB_PART} entry has its part in `parts`.
 * `pagelab sweep` runs its points through this too, so a point's numbers are the comparison's.
 */
export async function runComparisonPoint(
  scenario: Scenario,
  source: string,
  io: IoChoice,
  restart: RestartChoice,
  setting: PointSettings,
  out: CommandOutput,
  parts: ReplacementParts = {},
  maxCycles?: number | 'unlimited',
  keepEvents = false,
): Promise<ComparisonRow> {
  const system = { ...scenario.system, io: io === LAB_PART ? scenario.config.io : io, restart } as Record<string, unknown>;
  if (setting.frames !== undefined) system.frames = setting.frames;
  if (setting.lockFreshPages !== undefined) system.lockFreshPages = setting.lockFreshPages;
  if (setting.loadControl !== undefined) system.loadControl = setting.loadControl ? loadControlOn(scenario.system.loadControl) : 'off';
  if (maxCycles !== undefined) system.maxCycles = maxCycles;
  // A built-in restart gets the model it needs; a lab's part keeps the scenario's.
  if (restart !== LAB_PART) system.cpuModel = effectiveCpuModel(restart, scenario.system.cpuModel as string | undefined);
  else if (scenario.system.cpuModel === undefined) system.cpuModel = 'm68000';
  // The part replaces the built-in restart, whose name the configuration still needs: one
  // that fits the CPU model (only the built-in hardware restart insists on the hidden record).
  if (restart === LAB_PART) system.restart = system.cpuModel === 'm68010-hidden' ? 'hardware' : system.cpuModel === 'm68010-continuation' ? 'continue' : 'software';
  // A built-in row runs without the lab's part of its seam; every other part stays in.
  const dropped = new Set<string>([...(io === LAB_PART ? [] : ['io-strategy']), ...(restart === LAB_PART ? [] : ['restart-strategy'])]);
  const keep = <V>(record: Readonly<Record<string, V>> | undefined) => Object.fromEntries(Object.entries(record ?? {}).filter(([seam]) => !dropped.has(seam)));
  const machine = createSystem(checkSystem(system, source), { ...parts, parts: keep(parts.parts), origins: keep(parts.origins) });
  for (const [path, bytes] of scenario.files) machine.addFile(path, bytes.slice());
  for (const p of scenario.processes) {
    if (p.kind === 'program') machine.spawnProgram({ name: p.name, executable: p.executable, priority: p.priority, stdin: p.stdin });
    else machine.spawnSynthetic({ name: p.name, spec: p.spec, priority: p.priority });
  }
  const events: SystemEvent[] = [];
  if (keepEvents) machine.log.listen((event) => events.push(event));
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
  return { io: report.partNames.io, restart: report.partNames.restart, ...setting, report, correctOutputs: correct, checkedOutputs: checked, cpuModel: system.cpuModel as string, ...(keepEvents ? { events } : {}) };
}

/** `pagelab compare`: the same scenario under several strategies, side by side. */
export async function compareCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommandLine(compareSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(compareSpec));
    return 0;
  }
  const { positionals } = parsed;
  const text = (name: string) => optionText(parsed.values, name);
  const values = { io: text('io'), restart: text('restart'), 'max-cycles': text('max-cycles'), part: parsed.values.part as string[] | undefined, json: parsed.values.json, processes: parsed.values.processes };
  if (parsed.values.list === true) {
    if (positionals.length > 0) throw new ConfigurationError('list', 'takes no scenario');
    out.stdout(scenarioListing());
    return 0;
  }
  if (positionals.length !== 1) throw new ConfigurationError('scenario', `expected one scenario file or shipped experiment NAME, got ${positionals.length}`);
  const source = resolveScenarioOperand(positionals[0]!);
  const loaded = loadScenario(source);
  const cpuModel = text('cpu-model');
  if (cpuModel !== undefined && !(systemConfigChoices.cpuModel as readonly string[]).includes(cpuModel)) {
    throw new ConfigurationError('cpu-model', `unknown "${cpuModel}"; expected one of ${systemConfigChoices.cpuModel.join(', ')}`);
  }
  const engine = parsed.values.interpret === true ? { cpuEngine: 'interpret' } : {};
  const scenario = { ...loaded, system: { ...loaded.system, ...(cpuModel === undefined ? {} : { cpuModel }), ...engine } };
  const fromScenario = await loadPartModules(scenario.parts, scenario.base);
  const fromFlags = await loadPartModules(parsePartFlags(values.part), process.cwd());
  const parts: ReplacementParts = {
    parts: { ...fromScenario.parts, ...fromFlags.parts },
    origins: { ...fromScenario.origins, ...fromFlags.origins },
  };
  // With a part of a seam, its row comes first and the listed built-ins run beside it.
  const withPart = <T extends string>(seam: 'io-strategy' | 'restart-strategy', flag: string | undefined, field: string, known: readonly T[], fallback: readonly T[]): (T | typeof LAB_PART)[] =>
    parts.parts?.[seam] === undefined ? [...list(flag, field, known, fallback)] : [LAB_PART, ...(flag === undefined ? [] : list(flag, field, known, []))];
  const ios = withPart('io-strategy', values.io, 'io', ioNames, defaultIos);
  const restarts = withPart('restart-strategy', values.restart, 'restart', restartNames, [scenario.config.restart]);
  const sweep = sweepFlags(scenario, text('frames'), text('lock-fresh-pages'), text('load-control'));
  const runs = ios.length * restarts.length * (sweep.frames?.length ?? 1) * (sweep.lockFreshPages?.length ?? 1) * (sweep.loadControl?.length ?? 1);
  const reportFile = text('report');
  const rows = await compareScenario(scenario, source, ios, restarts, out, parts, maxCyclesFlag(values['max-cycles']), sweep, reportFile !== undefined);
  const interrupted = rows.length < runs || rows.some((r) => r.report.ended === 'interrupted');
  const status = interrupted ? interruptedStatus : 0;
  const runResults = rows.map((r) => ({ io: r.io, restart: r.restart, ...sweptSettings(r), ...outcomeJson(scenario, r) }));
  if (reportFile !== undefined) await writeComparisonReport(reportFile, scenario, source, rows, runResults, out);
  if (values.json === true) {
    out.stdout(JSON.stringify({ scenario: scenario.name, runs: runResults }) + '\n');
    for (const r of rows) out.stderr(`${rowName(r)}: ${hostTime(r.report)} of host time\n`);
    return status;
  }
  out.stdout(`scenario: ${scenario.name}\n\n`);
  // Load control's own counters and the CPU's idle and swap-stall time, when the comparison swept it.
  const loadControlColumns = (r: ComparisonRow | null): string[] => {
    if (sweep.loadControl === undefined) return [];
    if (r === null) return ['idle cyc', 'swap cyc', 'suspended', 'resumed', 'swapped out', 'suspended cyc'];
    const lc = r.report.loadControl;
    return [count(r.report.idleCycles), count(r.report.swapCycles), count(lc.suspensions), count(lc.resumes), count(lc.pagesSwappedOut), count(lc.suspendedCycles)];
  };
  const sweptColumns = (r: ComparisonRow | null): string[] => [
    ...(sweep.frames === undefined ? [] : [r === null ? 'frames' : String(r.frames)]),
    ...(sweep.lockFreshPages === undefined ? [] : [r === null ? 'fresh locks' : r.lockFreshPages === true ? 'on' : 'off']),
    ...(sweep.loadControl === undefined ? [] : [r === null ? 'load control' : r.loadControl === true ? 'on' : 'off']),
  ];
  const table: string[][] = [
    ['io / restart', ...sweptColumns(null), 'faults', 'wasted', 'wasted own', 'restarts', 'ambiguous', 'corruptions', 'bad bytes', 'copied B', 'copy cyc', 'pins held', 'pinned frame-cyc', 'pool waits', 'quota refused', 'pieces', 'ticks', 'sim cycles', ...loadControlColumns(null), 'output ok', 'killed'],
  ];
  for (const r of rows) {
    const s = r.report.statistics;
    table.push([
      `${r.io} / ${r.restart}`,
      ...sweptColumns(r),
      count(s.pageFaults),
      s.wastedPageIns === null ? '-' : count(s.wastedPageIns),
      s.wastedPageInsSelf === null ? '-' : count(s.wastedPageInsSelf),
      count(s.restarts),
      count(s.ambiguousRestarts),
      count(s.corruptionEvents),
      count(r.report.corruptedBytes),
      count(s.bytesCopied),
      count(r.report.io.copyCycles),
      count(r.report.io.dmaPins - r.report.io.dmaPinsIgnored),
      count(s.pinnedFrameCycles),
      count(r.report.io.poolWaits),
      count(r.report.io.quotaRefusals),
      count(r.report.io.pieces),
      count(r.report.clockTicks),
      count(s.simulatedCycles),
      ...loadControlColumns(r),
      r.checkedOutputs === 0 ? '-' : `${r.correctOutputs}/${r.checkedOutputs}`,
      String(r.report.processes.filter((p) => p.killed !== null).length),
    ]);
  }
  out.stdout(formatTable(table));
  if (values.processes === true) {
    const perProcess: string[][] = [['io / restart', ...sweptColumns(null), 'process', 'priority', 'ended', 'faults', 'ended at cycle']];
    for (const r of rows) {
      for (const p of r.report.processes) {
        const ended = p.status === 'exited' ? `exit ${p.exitCode}` : p.status === 'killed' ? (p.signal ?? 'killed') : 'running';
        perProcess.push([`${r.io} / ${r.restart}`, ...sweptColumns(r), p.name, String(p.priority), ended, count(p.pageFaults), p.endedAtCycle === null ? '-' : count(p.endedAtCycle)]);
      }
    }
    out.stdout('\n' + formatTable(perProcess));
  }
  for (const r of rows) {
    const running = r.report.processes.filter((p) => p.status === 'running');
    if (running.length > 0) {
      const why = r.report.ended === 'interrupted' ? 'interrupted' : r.report.ended === 'kernel-panic' ? `kernel panic (${r.report.kernelMemory?.panic?.message ?? 'no report'})` : 'stopped at max-cycles';
      out.stdout(`${rowName(r)}: ${why} after ${count(r.report.statistics.simulatedCycles)} cycles; still running: ${running.map((p) => p.name).join(', ')}\n`);
    }
  }
  if (interrupted) out.stdout(`interrupted: ${rows.length} of ${runs} runs shown\n`);
  return status;
}

/**
 * What a row's run did, as `--json` gives it after the strategy pair and the swept settings:
 * the output checks, then the run's figures. `pagelab sweep` writes the same object per point.
 */
export function outcomeJson(scenario: Scenario, row: ComparisonRow) {
  const expected = scenario.processes.map((p) => (p.kind === 'program' ? p.expectedOutput : null));
  return { correctOutputs: row.correctOutputs, checkedOutputs: row.checkedOutputs, ...runJson(row.report, expected) };
}

/** The row's strategy pair and the swept settings it ran under, as one line names it. */
function rowName(r: ComparisonRow): string {
  const settings = [
    ...(r.frames === undefined ? [] : [`${r.frames} frames`]),
    ...(r.lockFreshPages === undefined ? [] : [`fresh locks ${r.lockFreshPages ? 'on' : 'off'}`]),
    ...(r.loadControl === undefined ? [] : [`load control ${r.loadControl ? 'on' : 'off'}`]),
  ];
  return [`${r.io} / ${r.restart}`, ...settings].join(', ');
}

/** The settings a run was swept over, without the ones not swept (for the row and `--json`). */
function sweptSettings(r: { readonly frames?: number | undefined; readonly lockFreshPages?: boolean | undefined; readonly loadControl?: boolean | undefined }): {
  frames?: number;
  lockFreshPages?: boolean;
  loadControl?: boolean;
} {
  return {
    ...(r.frames === undefined ? {} : { frames: r.frames }),
    ...(r.lockFreshPages === undefined ? {} : { lockFreshPages: r.lockFreshPages }),
    ...(r.loadControl === undefined ? {} : { loadControl: r.loadControl }),
  };
}

/** What `--load-control on` sets: the scenario's own rule and parameters when it names them, else the defaults. */
function loadControlOn(written: unknown): unknown {
  return typeof written === 'object' && written !== null ? written : 'on';
}

/**
 * `--frames`, `--lock-fresh-pages` and `--load-control` as a sweep. Each frame count is checked with the
 * scenario's other settings here, so a bad one is an error naming the flag, not the file.
 */
function sweepFlags(scenario: Scenario, frames: string | undefined, locks: string | undefined, loadControl: string | undefined): ComparisonSweep {
  const sweep: { frames?: number[]; lockFreshPages?: boolean[]; loadControl?: boolean[] } = {};
  if (frames !== undefined) {
    const items = frames.split(',').map((f) => f.trim()).filter((f) => f.length > 0);
    if (items.length === 0) throw new ConfigurationError('frames', 'expected at least one frame count');
    sweep.frames = items.map((item) => {
      if (!/^\d{1,9}$/.test(item)) throw new ConfigurationError('frames', `expected a comma-separated list of frame counts, got "${item}"`);
      const n = Number(item);
      try {
        parseSystemConfig({ ...scenario.system, frames: n });
      } catch (error) {
        if (error instanceof ConfigurationError && error.field === 'frames') throw new ConfigurationError('frames', error.message.slice('frames: '.length));
        // Any other field is the scenario's own mistake: its run reports it, naming the file.
      }
      return n;
    });
  }
  if (locks !== undefined) sweep.lockFreshPages = list(locks, 'lock-fresh-pages', ['off', 'on'] as const, []).map((v) => v === 'on');
  if (loadControl !== undefined) sweep.loadControl = list(loadControl, 'load-control', ['off', 'on'] as const, []).map((v) => v === 'on');
  return sweep;
}

/** `--report`: the comparison's page, its runs drawn as a sweep's points, with a timeline per run. */
async function writeComparisonReport(path: string, scenario: Scenario, source: string, rows: readonly ComparisonRow[], runs: readonly ComparisonRunResult[], out: CommandOutput): Promise<void> {
  const { comparisonLines, renderReport } = await import('@pagelab/report');
  const settings = { scenario: scenario.name, frames: scenario.config.frames, policy: scenario.config.policy, cpuModel: scenario.config.cpuModel, lockFreshPages: scenario.config.lockFreshPages, seed: scenario.config.seed };
  const systemLines = comparisonLines(`compare ${scenario.name}`, runs.map((run, i) => ({ ...run, cpuModel: rows[i]!.cpuModel })), settings);
  const timelines = rows.map((r) => ({ run: rowName(r), events: r.events ?? [] }));
  const html = renderReport({ title: `pagelab compare: ${scenario.name}`, sources: [source], traceLines: [], systemLines, timelines });
  writeOutputFile(path, html, 'report');
  out.stderr(`wrote ${path} (${Math.round(html.length / 1024)} KiB)\n`);
}

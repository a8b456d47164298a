import { InputFormatError, type ComparisonRunResult, type SystemEvent, type SystemSweepLine, type TraceSweepLine } from '@pagelab/contracts';

/** A results file that is not sweep JSONL or an event log. */
export class ResultsFormatError extends InputFormatError {
  /** The 1-based line of the bad input, or 0 for the file as a whole. */
  readonly line: number;

  constructor(source: string, line: number, message: string) {
    super('RESULTS_FORMAT', line > 0 ? `${source}:${line}` : source, message);
    this.line = line;
  }
}

/** The first line of an event log file: what run the events that follow belong to. */
export interface EventLogHeader {
  /** Always `pagelab-events`: tells an event log from sweep results. */
  readonly format: 'pagelab-events';
  /** The run's name, shown above its timeline. */
  readonly run: string;
}

/** One run's events, for a timeline. */
export interface RunEvents {
  readonly run: string;
  readonly events: readonly SystemEvent[];
}

/** Everything a report shows, gathered from any number of result files. */
export interface ReportInput {
  /** The page's title. */
  readonly title: string;
  /** Where the data came from (file names), listed on the page. */
  readonly sources: readonly string[];
  readonly traceLines: readonly TraceSweepLine[];
  readonly systemLines: readonly SystemSweepLine[];
  readonly timelines: readonly RunEvents[];
}

const eventKinds = new Set<SystemEvent['kind']>(['corruption', 'page-fault', 'dma-burst', 'restart', 'exit']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireFields(value: Record<string, unknown>, fields: Readonly<Record<string, 'string' | 'number' | 'boolean'>>, where: string, source: string, line: number): void {
  for (const [field, type] of Object.entries(fields)) {
    if (typeof value[field] !== type) throw new ResultsFormatError(source, line, `${where}.${field}: expected a ${type}, found ${JSON.stringify(value[field]) ?? 'nothing'}`);
  }
}

const traceKeyFields = { trace: 'string', policy: 'string', frames: 'number' } as const;
const traceRunFields = { references: 'number', misses: 'number', compulsoryMisses: 'number', evictions: 'number', hitRatio: 'number' } as const;
const systemKeyFields = { scenario: 'string', frames: 'number', policy: 'string', io: 'string', restart: 'string', cpuModel: 'string', lockFreshPages: 'boolean', seed: 'number' } as const;
const systemRunFields = {
  io: 'string', restart: 'string', pageFaults: 'number', restarts: 'number', ambiguousRestarts: 'number', unrecoverableRestarts: 'number',
  corruptionEvents: 'number', corruptedBytes: 'number', bytesCopied: 'number', copyCycles: 'number', pinnedFrameCycles: 'number',
  correctOutputs: 'number', checkedOutputs: 'number', simulatedCycles: 'number', instructions: 'number',
} as const;

/** A parsed results file: sweep lines, or one run's events. */
export type ResultsFile =
  | { readonly kind: 'sweep'; readonly traceLines: TraceSweepLine[]; readonly systemLines: SystemSweepLine[] }
  | { readonly kind: 'events'; readonly events: RunEvents };

/**
 * Reads one results file: the JSONL a sweep writes (a line per point), or an event log (a
 * `pagelab-events` header line, then one event per line). Blank lines are allowed; anything
 * else that is not one of those throws a {@link ResultsFormatError} naming the line and field.
 */
export function parseResultsFile(text: string, source: string): ResultsFile {
  const lines = text.split('\n');
  const parsed: { value: Record<string, unknown>; line: number }[] = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ResultsFormatError(source, index + 1, `not a JSON line: ${JSON.stringify(raw.length > 60 ? raw.slice(0, 60) + '...' : raw)}`);
    }
    if (!isRecord(value)) throw new ResultsFormatError(source, index + 1, 'expected a JSON object on each line');
    parsed.push({ value, line: index + 1 });
  });
  if (parsed.length === 0) throw new ResultsFormatError(source, 0, 'no results in the file (expected sweep JSONL or a pagelab-events log)');
  const first = parsed[0]!;
  if (first.value.format === 'pagelab-events') return { kind: 'events', events: eventLog(parsed, source) };

  const traceLines: TraceSweepLine[] = [];
  const systemLines: SystemSweepLine[] = [];
  for (const { value, line } of parsed) {
    if (typeof value.sweep !== 'string') throw new ResultsFormatError(source, line, 'sweep: expected the sweep\'s name (a string); is this a sweep\'s JSONL output?');
    if (!isRecord(value.key)) throw new ResultsFormatError(source, line, 'key: expected an object');
    if (!isRecord(value.run)) throw new ResultsFormatError(source, line, 'run: expected an object');
    if (typeof value.key.trace === 'string') {
      requireFields(value.key, traceKeyFields, 'key', source, line);
      requireFields(value.run, traceRunFields, 'run', source, line);
      traceLines.push(value as unknown as TraceSweepLine);
    } else {
      requireFields(value.key, systemKeyFields, 'key', source, line);
      requireFields(value.run, systemRunFields, 'run', source, line);
      systemLines.push(value as unknown as SystemSweepLine);
    }
  }
  return { kind: 'sweep', traceLines, systemLines };
}

function eventLog(parsed: readonly { value: Record<string, unknown>; line: number }[], source: string): RunEvents {
  const header = parsed[0]!;
  if (typeof header.value.run !== 'string') throw new ResultsFormatError(source, header.line, 'run: expected the run\'s name (a string) in the pagelab-events header');
  const events: SystemEvent[] = [];
  for (const { value, line } of parsed.slice(1)) {
    if (!eventKinds.has(value.kind as SystemEvent['kind'])) throw new ResultsFormatError(source, line, `kind: expected one of ${[...eventKinds].join(', ')}, found ${JSON.stringify(value.kind) ?? 'nothing'}`);
    requireFields(value, { at: 'number' }, 'event', source, line);
    if (value.kind === 'corruption' || value.kind === 'dma-burst') requireFields(value, { bytes: 'number' }, 'event', source, line);
    events.push(value as unknown as SystemEvent);
  }
  return { run: header.value.run, events };
}

/** The first line of an event log file for `run` (then one `JSON.stringify(event)` per line). */
export function eventLogHeader(run: string): EventLogHeader {
  return { format: 'pagelab-events', run };
}

/** Gathers parsed files into one report's input. */
export function reportInput(title: string, files: readonly { readonly source: string; readonly file: ResultsFile }[]): ReportInput {
  const traceLines: TraceSweepLine[] = [];
  const systemLines: SystemSweepLine[] = [];
  const timelines: RunEvents[] = [];
  for (const { file } of files) {
    if (file.kind === 'events') timelines.push(file.events);
    else {
      traceLines.push(...file.traceLines);
      systemLines.push(...file.systemLines);
    }
  }
  return { title, sources: files.map((f) => f.source), traceLines, systemLines, timelines };
}

/** The key a comparison's run has as a sweep point: the scenario's settings where the run did not vary them. */
export interface ComparisonSettings {
  readonly scenario: string;
  readonly frames: number;
  readonly policy: string;
  readonly cpuModel: string;
  readonly lockFreshPages: boolean;
  readonly seed: number;
}

/** A comparison's runs as sweep lines, so one comparison's page is drawn like a sweep's. */
export function comparisonLines(sweep: string, runs: readonly (ComparisonRunResult & { frames?: number; lockFreshPages?: boolean; cpuModel?: string })[], settings: ComparisonSettings): SystemSweepLine[] {
  return runs.map((run) => ({
    sweep,
    key: {
      scenario: settings.scenario,
      frames: run.frames ?? settings.frames,
      policy: settings.policy,
      io: run.io,
      restart: run.restart,
      cpuModel: run.cpuModel ?? settings.cpuModel,
      lockFreshPages: run.lockFreshPages ?? settings.lockFreshPages,
      seed: settings.seed,
    },
    run,
  }));
}

import {
  checkSeamPart,
  ConfigurationError,
  DEFAULT_PAGE_SIZE,
  DEFAULT_TICK_INTERVAL,
  formatTraceReport,
  isPagelabError,
  MAX_TRACE_FRAMES,
  PagelabError,
  replacementPolicyNames,
  runTraceCommand,
  simulateTraceFile,
  simulateTraceFileAtFrames,
  traceFormats,
  type SeamFactories,
  type TraceFormat,
  type TraceRunOptions,
  type TraceRunResult,
  type TraceSweepOptions,
} from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { count, formatTable, type CommandOutput } from '../output.js';
import { loadPartModules, parsePartFlags } from '../part-modules.js';
import { resolveTraceOperand, traceListing } from '../shipped.js';

export const traceSpec: CommandSpec = {
  command: 'pagelab trace',
  operands: '<trace|NAME> --policy LIST --frames LIST',
  summary: 'runs replacement policies over a page-reference trace and reports misses, evictions and write-backs',
  options: [
    { name: 'policy', value: 'LIST', help: `replacement policies, comma-separated (required unless a part is given):\n${replacementPolicyNames.join(', ')}` },
    { name: 'frames', value: 'LIST', help: `frames of memory, comma-separated (required): 1 to ${MAX_TRACE_FRAMES}` },
    { name: 'part', value: 'replacement-policy=MODULE', multiple: true, help: "a lab's policy (the module's default export, (context) => ReplacementPolicy),\nrun beside the listed ones under the name it gives itself" },
    { name: 'format', value: 'F', help: `${traceFormats.join(' or ')} (default pages): pages is one decimal page number per line,\nlackey is valgrind --tool=lackey --trace-mem=yes output` },
    { name: 'page-size', value: 'B', help: `bytes per page for lackey addresses: a power of two up to 2^30 (default ${DEFAULT_PAGE_SIZE})` },
    { name: 'skip-bad-lines', help: 'count malformed lines and go on instead of stopping at the first' },
    { name: 'seed', value: 'S', help: 'seed of the random policy: 0 to 4294967295 (default 1)' },
    { name: 'tick', value: 'R', help: `references per clock tick for nfu, aging, working-set, wsclock (default ${DEFAULT_TICK_INTERVAL})` },
    { name: 'window', value: 'T', help: 'working-set window tau in references (default 10000)' },
    { name: 'json', help: 'print one JSON object instead of the report' },
    { name: 'list', help: 'print the shipped traces, by NAME, and exit' },
  ],
  notes: [
    'NAME is a shipped trace (`pagelab trace --list`), e.g. belady or sort; a file of that name wins.',
    'A binary trace (`pager-sim TRACE --write-binary OUT`) is recognised by its first bytes, whatever --format says.',
    'One policy and one frame count print the full report; lists (or a part) print one row per policy',
    'and one column of misses per frame count, the part first.',
    'errors are one line `pagelab: error: ...` with exit status 2',
  ],
};

/** A comma-separated option value as its items; an empty list is a mistake. */
function items(text: string, field: string): string[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) throw new ConfigurationError(field, 'expected at least one value');
  return list;
}

function integer(text: string | undefined, field: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ConfigurationError(field, `must be a non-negative integer, got "${text}"`);
  const value = Number(text);
  if (value > max) throw new ConfigurationError(field, `must be at most ${max}, got ${text}`);
  return value;
}

/** `run()`, with one line for a trace file the host cannot read, as the single-run report gives it. */
function readable<T>(label: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (isPagelabError(error) || typeof code !== 'string') throw error;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code})`;
    throw new PagelabError('TRACE', `${label}: ${why}`);
  }
}

function simulate(path: string, label: string, options: TraceRunOptions): TraceRunResult {
  return readable(label, () => simulateTraceFile(path, options));
}

/** A built-in policy at every frame count: LRU and OPT in one pass over the trace, the others one run each. */
function simulateAtFrames(path: string, label: string, options: TraceSweepOptions, frames: readonly number[]): TraceRunResult[] {
  return readable(label, () => simulateTraceFileAtFrames(path, options, frames));
}

/** One policy's row: its name as reported and a result per frame count. */
export interface PolicyRow {
  readonly policy: string;
  readonly part: boolean;
  readonly runs: readonly TraceRunResult[];
}

/**
 * `pagelab trace`: the pager alone on a trace. One policy and one frame count on a trace file is
 * the trace simulator's own report, byte for byte; a shipped trace's NAME, lists of policies and
 * frame counts, or a lab's replacement policy give the same counts for every pair.
 */
export async function traceCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommandLine(traceSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(traceSpec));
    return 0;
  }
  const { values, positionals } = parsed;
  const text = (name: string) => optionText(values, name);
  if (values.list === true) {
    if (positionals.length > 0) throw new ConfigurationError('list', 'takes no trace');
    out.stdout(traceListing());
    return 0;
  }
  const modules = parsePartFlags(values.part as string[] | undefined);
  const policyText = text('policy');
  const framesText = text('frames');
  const operand = positionals.length === 1 ? positionals[0]! : undefined;
  const trace = operand === undefined ? undefined : resolveTraceOperand(operand);
  const plain = Object.keys(modules).length === 0 && trace === operand && !(policyText ?? '').includes(',') && !(framesText ?? '').includes(',');
  // Today's command, unchanged: the simulator's own parsing, report and messages.
  if (plain) return runTraceCommand(argv, out, 'pagelab trace');

  for (const seam of Object.keys(modules)) {
    if (seam !== 'replacement-policy') throw new ConfigurationError('part', `pagelab trace replaces only the replacement-policy seam, not ${seam}`);
  }
  const loaded = await loadPartModules(modules, process.cwd());
  const factory = loaded.parts?.['replacement-policy'];
  if (trace === undefined || operand === undefined) throw new ConfigurationError('trace', `expected exactly one trace file or shipped trace NAME, got ${positionals.length}`);
  if (policyText === undefined && factory === undefined) throw new ConfigurationError('policy', 'missing (--policy LIST, or --part replacement-policy=MODULE)');
  if (framesText === undefined) throw new ConfigurationError('frames', 'missing (--frames LIST)');
  const policies = policyText === undefined ? [] : items(policyText, 'policy');
  const frames = items(framesText, 'frames').map((f) => integer(f, 'frames', MAX_TRACE_FRAMES)!);
  const format = text('format') ?? 'pages';
  if (!(traceFormats as readonly string[]).includes(format)) throw new ConfigurationError('format', `unknown format "${format}" (known: ${traceFormats.join(', ')})`);
  const pageSize = integer(text('page-size'), 'page-size', 2 ** 30);
  const seed = integer(text('seed'), 'seed', 2 ** 32 - 1);
  const tick = integer(text('tick'), 'tick', Number.MAX_SAFE_INTEGER);
  const window = integer(text('window'), 'window', Number.MAX_SAFE_INTEGER);
  const shared = {
    format: format as TraceFormat,
    skipBadLines: values['skip-bad-lines'] === true,
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(tick !== undefined ? { tickInterval: tick } : {}),
    ...(window !== undefined ? { workingSetWindow: window } : {}),
  };
  const label = operand;

  const rows: PolicyRow[] = [];
  if (factory !== undefined) {
    const origin = loaded.origins?.['replacement-policy'] ?? 'part';
    // The kernel's own check on what the factory builds: its specification version and members.
    const checked: SeamFactories['replacement-policy'] = (context) => checkSeamPart('replacement-policy', factory(context), origin);
    const runs = frames.map((n) => simulate(trace, label, { ...shared, policy: 'part', frames: n, factory: checked }));
    rows.push({ policy: runs[0]!.policy, part: true, runs });
  }
  for (const policy of policies) rows.push({ policy, part: false, runs: simulateAtFrames(trace, label, { ...shared, policy }, frames) });

  const first = rows[0]!.runs[0]!;
  if (rows.length === 1 && frames.length === 1 && policyText !== undefined && factory === undefined) {
    out.stdout(values.json === true ? JSON.stringify({ trace: label, ...first }) + '\n' : formatTraceReport(label, first));
    return 0;
  }
  out.stdout(formatPolicyRows(label, frames, rows, values.json === true));
  return 0;
}

/** The table (or JSON object) of misses by policy and frame count that lists of either print. */
export function formatPolicyRows(label: string, frames: readonly number[], rows: readonly PolicyRow[], json: boolean): string {
  const first = rows[0]!.runs[0]!;
  if (json) {
    return (
      JSON.stringify({
        trace: label,
        format: first.format,
        ...(first.format === 'lackey' ? { pageSize: first.pageSize } : {}),
        references: first.references,
        distinctPages: first.distinctPages,
        frames,
        policies: rows.map((r) => ({
          policy: r.policy,
          part: r.part,
          runs: r.runs.map((x) => ({ frames: x.frames, misses: x.misses, compulsoryMisses: x.compulsoryMisses, evictions: x.evictions, writebacks: x.writebacks, hitRatio: x.hitRatio })),
        })),
      }) + '\n'
    );
  }
  return (
    `trace: ${label} (${first.format}${first.format === 'lackey' ? `, ${first.pageSize}-byte pages` : ''}), ${count(first.references)} references, ${count(first.distinctPages)} distinct pages\n` +
    `misses (${count(first.compulsoryMisses)} compulsory) by frames:\n\n` +
    formatTable([['policy', ...frames.map(String)], ...rows.map((r) => [r.policy, ...r.runs.map((x) => count(x.misses))])])
  );
}

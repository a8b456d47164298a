import { parseArgs } from 'node:util';
import { ConfigurationError, isPagelabError } from '@pagelab/contracts';
import { replacementPolicyNames } from '../policies/registry.js';
import { traceFormats, type TraceFormat } from '../trace/formats.js';
import { DEFAULT_PAGE_SIZE, simulateTraceFile, type TraceRunOptions, type TraceRunResult } from '../trace/simulate.js';
import { DEFAULT_TICK_INTERVAL } from '../trace/simulator.js';

/** Where `pager-sim` writes; tests capture it. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const PAGER_SIM_USAGE = `usage: pager-sim <trace> --policy P --frames N [--format pages|lackey] [--page-size B]
                 [--json] [--skip-bad-lines] [--seed S] [--tick R] [--window T]
  policies: ${replacementPolicyNames.join(', ')}
  --format       pages: one decimal page number per line (default); lackey: valgrind lackey output
  --page-size    bytes per page for lackey addresses, a power of two (default ${DEFAULT_PAGE_SIZE})
  --skip-bad-lines  count malformed lines and go on instead of stopping at the first
  --seed         seed of the random policy (default 1)
  --tick         references per clock tick for nfu, aging, working-set, wsclock (default ${DEFAULT_TICK_INTERVAL})
  --window       working-set window tau in references (default 10000)
`;

function integerOption(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ConfigurationError(field, `must be a non-negative integer, got "${text}"`);
  return Number(text);
}

/** Parses `pager-sim` arguments into run options; throws `ConfigurationError` on anything wrong. */
export function parsePagerSimArguments(argv: readonly string[]): { trace: string; json: boolean; options: TraceRunOptions } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        policy: { type: 'string' },
        frames: { type: 'string' },
        format: { type: 'string' },
        'page-size': { type: 'string' },
        json: { type: 'boolean' },
        'skip-bad-lines': { type: 'boolean' },
        seed: { type: 'string' },
        tick: { type: 'string' },
        window: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ConfigurationError('arguments', error instanceof Error ? error.message.split('\n')[0] ?? 'bad arguments' : 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  if (positionals.length !== 1) throw new ConfigurationError('trace', `expected exactly one trace file, got ${positionals.length}`);
  if (values.policy === undefined) throw new ConfigurationError('policy', 'missing (--policy P)');
  if (values.frames === undefined) throw new ConfigurationError('frames', 'missing (--frames N)');
  const format = values.format ?? 'pages';
  if (!(traceFormats as readonly string[]).includes(format)) {
    throw new ConfigurationError('format', `unknown format "${format}" (known: ${traceFormats.join(', ')})`);
  }
  const frames = integerOption('frames', values.frames) as number;
  const pageSize = integerOption('page-size', values['page-size']);
  const seed = integerOption('seed', values.seed);
  const tick = integerOption('tick', values.tick);
  const window = integerOption('window', values.window);
  return {
    trace: positionals[0] as string,
    json: values.json === true,
    options: {
      policy: values.policy,
      frames,
      format: format as TraceFormat,
      skipBadLines: values['skip-bad-lines'] === true,
      ...(pageSize !== undefined ? { pageSize } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(tick !== undefined ? { tickInterval: tick } : {}),
      ...(window !== undefined ? { workingSetWindow: window } : {}),
    },
  };
}

/** The human-readable report. */
export function formatTraceReport(trace: string, r: TraceRunResult): string {
  const rows: [string, string][] = [
    ['trace', `${trace} (${r.format}${r.format === 'lackey' ? `, ${r.pageSize}-byte pages` : ''})`],
    ['policy', r.policy],
    ['frames', String(r.frames)],
    ['references', String(r.references)],
    ['distinct pages', String(r.distinctPages)],
    ['misses', `${r.misses} (${r.compulsoryMisses} compulsory)`],
    ['hit ratio', r.hitRatio.toFixed(6)],
    ['evictions', String(r.evictions)],
    ['write-backs', String(r.writebacks)],
  ];
  if (r.badLines > 0) rows.push(['bad lines skipped', String(r.badLines)]);
  return rows.map(([k, v]) => `${(k + ':').padEnd(19)}${v}`).join('\n') + '\n';
}

/** Describes a failure in one line, for errors that are the user's input rather than a bug. */
function describeFailure(error: unknown, trace: string | undefined): string | null {
  if (isPagelabError(error)) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    const where = trace ?? 'trace';
    if (code === 'ENOENT') return `${where}: no such file`;
    if (code === 'EISDIR') return `${where}: is a directory`;
    if (code === 'EACCES') return `${where}: permission denied`;
    return `${where}: ${error.message}`;
  }
  return null;
}

/**
 * `pager-sim` as a function: runs the trace and writes the report; returns the exit status.
 * User mistakes (bad arguments, a missing file, a malformed line) print one `error:` line and
 * return 1 (2 for bad usage); anything else is a bug and is rethrown.
 */
export function runPagerSim(argv: readonly string[], output: CommandOutput): number {
  let trace: string | undefined;
  try {
    const parsed = parsePagerSimArguments(argv);
    if (parsed === 'help') {
      output.stdout(PAGER_SIM_USAGE);
      return 0;
    }
    trace = parsed.trace;
    const result = simulateTraceFile(parsed.trace, parsed.options);
    output.stdout(parsed.json ? JSON.stringify({ trace: parsed.trace, ...result }) + '\n' : formatTraceReport(parsed.trace, result));
    return 0;
  } catch (error) {
    const message = describeFailure(error, trace);
    if (message === null) throw error;
    output.stderr(`error: ${message}\n`);
    return isPagelabError(error, 'CONFIGURATION') ? 2 : 1;
  }
}

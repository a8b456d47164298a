import { parseArgs } from 'node:util';
import { ConfigurationError, isPagelabError } from '@pagelab/contracts';
import { traceFormats, type TraceFormat } from '../trace/formats.js';
import { convertTraceToBinary, type BinaryConversion } from '../trace/convert.js';
import { MAX_TRACE_FRAMES, simulateTraceFile, type TraceRunOptions, type TraceRunResult } from '../trace/simulate.js';
import type { TraceReadOptions } from '../trace/source.js';
import { isHelpRequest, pagerSimUsage } from './usage.js';

/** Where `pager-sim` writes; tests capture it. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export { isHelpRequest, PAGER_SIM_USAGE, pagerSimUsage } from './usage.js';

function integerOption(field: string, text: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ConfigurationError(field, `must be a non-negative integer, got "${text}"`);
  const value = Number(text);
  if (value > max) throw new ConfigurationError(field, `must be at most ${max}, got ${text}`);
  return value;
}

/** Parses `pager-sim` arguments into run options; throws `ConfigurationError` on anything wrong. */
export function parsePagerSimArguments(
  argv: readonly string[],
): { trace: string; json: boolean; options: TraceRunOptions } | { trace: string; json: boolean; writeBinary: string; read: TraceReadOptions } | 'help' {
  // Help wins over every other mistake on the line.
  if (isHelpRequest(argv)) return 'help';
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
        'write-binary': { type: 'string' },
        seed: { type: 'string' },
        tick: { type: 'string' },
        window: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1];
    if (option === undefined) throw new ConfigurationError('arguments', message || 'bad arguments');
    const field = option.replace(/^-+/, '');
    if (/Unknown option/.test(message)) throw new ConfigurationError(field, `unknown option ${option}`);
    if (/argument missing/.test(message)) throw new ConfigurationError(field, 'needs a value');
    throw new ConfigurationError(field, message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new ConfigurationError('trace', `expected exactly one trace file, got ${positionals.length}`);
  const format = values.format ?? 'pages';
  if (!(traceFormats as readonly string[]).includes(format)) {
    throw new ConfigurationError('format', `unknown format "${format}" (known: ${traceFormats.join(', ')})`);
  }
  const pageSize = integerOption('page-size', values['page-size'], 2 ** 30);
  if (values['write-binary'] !== undefined) {
    const output = values['write-binary'];
    if (output === '') throw new ConfigurationError('write-binary', 'needs a file name');
    for (const option of ['policy', 'frames', 'seed', 'tick', 'window'] as const) {
      if (values[option] !== undefined) {
        throw new ConfigurationError(option, `--write-binary only converts the trace; run pager-sim on ${output} with --${option} to simulate`);
      }
    }
    if (pageSize !== undefined && (pageSize < 1 || (pageSize & (pageSize - 1)) !== 0)) {
      throw new ConfigurationError('page-size', `must be a power of two up to 2^30, got ${pageSize}`);
    }
    return {
      trace: positionals[0] as string,
      json: values.json === true,
      writeBinary: output,
      read: { format: format as TraceFormat, skipBadLines: values['skip-bad-lines'] === true, ...(pageSize !== undefined ? { pageSize } : {}) },
    };
  }
  if (values.policy === undefined) throw new ConfigurationError('policy', 'missing (--policy P)');
  if (values.frames === undefined) throw new ConfigurationError('frames', 'missing (--frames N)');
  const frames = integerOption('frames', values.frames, MAX_TRACE_FRAMES) as number;
  const seed = integerOption('seed', values.seed, 2 ** 32 - 1);
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

/** The report of a conversion to the binary format. */
export function formatConversionReport(trace: string, c: BinaryConversion): string {
  const from = `${c.format}${c.format === 'lackey' ? `, ${c.pageSize}-byte pages` : ''}`;
  const skipped = c.badLines > 0 ? `, ${c.badLines} bad lines skipped` : '';
  return `wrote ${c.output}: ${c.references} references over ${c.distinctPages} distinct pages, ${c.bytes} bytes (from ${trace}, ${from}${skipped})\n`;
}

/** Describes a failure in one line, for errors that are the user's input rather than a bug. */
function describeFailure(error: unknown, trace: string | undefined): string | null {
  if (isPagelabError(error)) return error.message.replace(/\s*\n\s*/g, '; ');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    const where = trace ?? 'trace';
    if (code === 'ENOENT') return `${where}: no such file`;
    if (code === 'EISDIR') return `${where}: is a directory`;
    if (code === 'EACCES') return `${where}: permission denied`;
    return `${where}: cannot be read (${code})`;
  }
  return null;
}

/**
 * `pager-sim` as a function: runs the trace and writes the report; returns the exit status.
 * `command` is the name it was run as (`pager-sim`, or `pagelab trace`): the usage shows it,
 * and its first word starts every error line. User mistakes (bad arguments, a missing file, a
 * malformed line) print one `NAME: error: ...` line and return 2; anything else is a bug and
 * is rethrown.
 */
export function runPagerSim(argv: readonly string[], output: CommandOutput, command = 'pager-sim'): number {
  let trace: string | undefined;
  try {
    const parsed = parsePagerSimArguments(argv);
    if (parsed === 'help') {
      output.stdout(pagerSimUsage(command));
      return 0;
    }
    trace = parsed.trace;
    if ('writeBinary' in parsed) {
      const conversion = convertTraceToBinary(parsed.trace, parsed.writeBinary, parsed.read);
      output.stdout(parsed.json ? JSON.stringify({ trace: parsed.trace, ...conversion }) + '\n' : formatConversionReport(parsed.trace, conversion));
      return 0;
    }
    const result = simulateTraceFile(parsed.trace, parsed.options);
    output.stdout(parsed.json ? JSON.stringify({ trace: parsed.trace, ...result }) + '\n' : formatTraceReport(parsed.trace, result));
    return 0;
  } catch (error) {
    const message = describeFailure(error, trace);
    if (message === null) throw error;
    output.stderr(`${command.split(' ')[0]!}: error: ${message}\n`);
    return 2;
  }
}

import { ConfigurationError, formatCount, type RunOptions, type RunReport, type System } from '@pagelab/kernel';

/** Where a command writes; tests capture it. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly interactive: boolean;
  /** True once the user asked to stop (Ctrl-C): a run then stops and its partial report is printed. */
  readonly interrupted?: () => boolean;
}

/** The exit status of a command whose run was stopped by Ctrl-C (128 + SIGINT, as shells report). */
export const interruptedStatus = 130;
/** The exit status of a run stopped at its --max-cycles bound with processes still running (as timeout(1) reports). */
export const boundedStatus = 124;

/**
 * Runs `system` to its end in steps, yielding to the event loop every 50 ms of host time so a
 * Ctrl-C handler can run and set `interrupted`; the simulation is the same as `system.run`'s.
 */
export async function runResponsively(system: System, options: RunOptions): Promise<RunReport> {
  let yielded = performance.now();
  for (;;) {
    const ended = system.advance({ ...options, rounds: 16 });
    if (ended !== null) return system.finish(ended);
    if (performance.now() - yielded > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yielded = performance.now();
    }
    if (options.interrupted?.() === true) return system.finish('interrupted');
  }
}

/** Parses a --max-cycles value: a non-negative integer or "unlimited". */
export function maxCyclesFlag(text: string | undefined): number | 'unlimited' | undefined {
  if (text === undefined || text === 'unlimited') return text;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ConfigurationError('maxCycles', `expected a non-negative integer or "unlimited" for --max-cycles, got "${text}"`);
  }
  return Number(text);
}

/** Lays rows out as an aligned text table; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

/** Formats a count with thousands separators. */
export const count = formatCount;

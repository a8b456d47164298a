/** Where a command writes; tests capture it. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly interactive: boolean;
}

/** Lays rows out as an aligned text table; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

/** Formats a count with thousands separators. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

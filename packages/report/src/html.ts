import { formatCount } from '@pagelab/contracts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A cell: text, or text with a class (a highlighted anomaly, say). */
export type Cell = string | number | { readonly text: string | number; readonly className: string };

/** Formats a count with thousands separators (as the CLI tables do); other numbers to 4 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return formatCount(value);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 4 });
}

function cellHtml(cell: Cell, tag: 'td' | 'th'): string {
  if (typeof cell === 'object') return `<${tag} class="${escapeHtml(cell.className)}">${escapeHtml(typeof cell.text === 'number' ? formatNumber(cell.text) : cell.text)}</${tag}>`;
  return `<${tag}>${escapeHtml(typeof cell === 'number' ? formatNumber(cell) : cell)}</${tag}>`;
}

/** An HTML table with a header row; numbers are right-aligned by the page's style. */
export function htmlTable(caption: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = `<tr>${headers.map((h) => cellHtml(h, 'th')).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((c) => cellHtml(c, 'td')).join('')}</tr>`).join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody></table>`;
}

/** Values in the order they first appear. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** The items grouped by a string key, groups in the order their first item appears. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/**
 * A count as a person reads it: `1,201,334`, rounded to a whole number, with a comma between
 * each group of three digits (what `toLocaleString('en-US')` prints, except that negative zero
 * is 0). Written out rather than asked of `Intl`, whose first use in a process loads the locale
 * data: about 30 ms of every command that prints a table.
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const rounded = Math.round(n);
  // Below 1e21 a number prints in plain digits; larger ones have no groups to add.
  if (Math.abs(rounded) >= 1e21) return rounded.toLocaleString('en-US');
  const digits = String(Math.abs(rounded));
  const head = digits.length % 3 === 0 ? 3 : digits.length % 3;
  let grouped = digits.slice(0, head);
  for (let at = head; at < digits.length; at += 3) grouped += ',' + digits.slice(at, at + 3);
  return rounded < 0 ? '-' + grouped : grouped;
}

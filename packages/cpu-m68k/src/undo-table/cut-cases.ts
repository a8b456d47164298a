/**
 * Cuts the undo table's committed SingleStepTests cases from a full set: for every row the set
 * measures, its first few cases in file order, copied byte for byte into one file of the same
 * format, so that a clone without the full set checks the same rows.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { parseSstFile } from '../sst/format.js';
import { recordSpans } from '../sst/subset.js';
import type { UndoRow } from './rows.js';
import { measureCase, rowsByKey } from './sst-check.js';

const FILE_MAGIC = 0x1a3f5d71;

/** Cases kept per row. */
export const CASES_PER_ROW = 3;

/** The gzipped cut of `files` (full-set `.json.bin` paths) for `rows`. */
export function cutUndoCases(files: readonly string[], rows: readonly UndoRow[], perRow = CASES_PER_ROW): Uint8Array {
  const byKey = rowsByKey(rows);
  const kept = new Map<UndoRow, number>();
  const records: Uint8Array[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const spans = recordSpans(bytes, file);
    parseSstFile(bytes, file).forEach((test, i) => {
      const m = measureCase(test, byKey);
      // Findings are kept too: they are what the check exists to show.
      if (m.kind === 'unexplained' || m.kind === 'not-on-operand') {
        records.push(bytes.subarray(...spans[i]!));
        return;
      }
      if (m.kind !== 'row' || (kept.get(m.row) ?? 0) >= perRow) return;
      kept.set(m.row, (kept.get(m.row) ?? 0) + 1);
      records.push(bytes.subarray(...spans[i]!));
    });
  }
  const out = new Uint8Array(8 + records.reduce((n, r) => n + r.byteLength, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, FILE_MAGIC, true);
  view.setUint32(4, records.length, true);
  let offset = 8;
  for (const r of records) {
    out.set(r, offset);
    offset += r.byteLength;
  }
  // Node writes mtime 0 in the gzip header: the bytes are a function of the input.
  return gzipSync(out, { level: 9 });
}

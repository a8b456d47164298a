/**
 * Builds docs/m68000-undo-table.md's generated part from the interpreter and the committed
 * SingleStepTests cases (cut from the full set by `--cut`), so the document, the test and a
 * clone without the full set all see the same numbers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSstFile } from '../sst/runner.js';
import { renderUndoTable } from './document.js';
import { undoRows, type UndoRow } from './rows.js';
import { checkRows, type SstCheck } from './sst-check.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The published document. */
export const UNDO_TABLE_DOCUMENT = resolve(REPO_ROOT, 'docs', 'm68000-undo-table.md');
/** The committed cases the document is checked with. */
export const UNDO_TABLE_CASES = resolve(REPO_ROOT, 'packages', 'cpu-m68k', 'fixtures', 'undo-table-cases', 'cases.json.bin.gz');

/** Everything the document is made of. */
export interface UndoTable {
  readonly rows: readonly UndoRow[];
  readonly check: SstCheck;
  /** The generated region, markers included. */
  readonly generated: string;
}

/** Measures the rows and checks them against the committed cases. */
export function buildUndoTable(cases = UNDO_TABLE_CASES): UndoTable {
  const rows = undoRows();
  const check = checkRows(rows, readSstFile(cases));
  const generated = renderUndoTable(rows, check, 'the cases committed in `packages/cpu-m68k/fixtures/undo-table-cases/` (cut from the full SingleStepTests set)');
  return { rows, check, generated };
}

/** The committed document's text. */
export const committedUndoTable = (): string => readFileSync(UNDO_TABLE_DOCUMENT, 'utf8');

/**
 * pnpm docs:undo-table                rewrites the generated part of docs/m68000-undo-table.md
 * pnpm docs:undo-table --check        says whether it is stale (status 1), writing nothing
 * pnpm docs:undo-table --cut DIR      re-cuts the committed cases from a full set's v1 folder
 * pnpm docs:undo-table --sst DIR      checks the rows against every case of DIR and prints the counts
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { listSstFiles, readSstFile } from '../sst/runner.js';
import { cutUndoCases } from './cut-cases.js';
import { replaceGenerated, undoCounts } from './document.js';
import { buildUndoTable, committedUndoTable, UNDO_TABLE_CASES, UNDO_TABLE_DOCUMENT } from './generate.js';
import { undoRows } from './rows.js';
import { checkRows, emptyCheck } from './sst-check.js';

const NAME = 'docs:undo-table';
const args = process.argv.slice(2);

function fail(message: string): never {
  console.error(`${NAME}: error: ${message}`);
  process.exit(2);
}

function directoryArgument(flag: string): string {
  const dir = args[args.indexOf(flag) + 1];
  if (dir === undefined || !existsSync(dir) || !statSync(dir).isDirectory()) fail(`${flag} needs an existing directory of SingleStepTests files, got ${dir ?? 'nothing'}`);
  const files = listSstFiles(dir);
  if (files.length === 0) fail(`${flag} ${dir}: no .json.bin files there`);
  return dir;
}

const unknown = args.filter((a, i) => a.startsWith('-') && !['--check', '--cut', '--sst'].includes(a) && !['--cut', '--sst'].includes(args[i - 1] ?? ''));
if (unknown.length > 0) fail(`unknown option ${unknown[0]} (use --check, --cut DIR or --sst DIR)`);

if (args.includes('--cut')) {
  const dir = directoryArgument('--cut');
  writeFileSync(UNDO_TABLE_CASES, cutUndoCases(listSstFiles(dir), undoRows()));
  console.log(`${UNDO_TABLE_CASES}: cut from ${dir}`);
} else if (args.includes('--sst')) {
  const dir = directoryArgument('--sst');
  const rows = undoRows();
  const check = emptyCheck();
  for (const file of listSstFiles(dir)) checkRows(rows, readSstFile(file), check);
  const c = undoCounts(rows, check);
  console.log(`${dir}: ${check.addressErrorCases} address-error cases, ${check.formCases} of table forms (${check.notOnOperand} on no operand, ${check.unexplained.length} unplaced)`);
  console.log(`rows ${c.rows}, checked ${c.checked}, agreeing ${c.agreeing}, disagreeing ${c.checked - c.agreeing}, uncovered ${c.uncovered}`);
  for (const why of check.unexplained) console.log(`unplaced: ${why}`);
  process.exitCode = c.checked === c.agreeing && check.unexplained.length === 0 ? 0 : 1;
} else {
  const { generated } = buildUndoTable();
  const committed = committedUndoTable();
  let next: string;
  try {
    next = replaceGenerated(committed, generated, UNDO_TABLE_DOCUMENT);
  } catch (e) {
    fail((e as Error).message);
  }
  if (next === committed) console.log(`${UNDO_TABLE_DOCUMENT}: up to date`);
  else if (args.includes('--check')) {
    console.log(`${UNDO_TABLE_DOCUMENT}: differs from what the code prints now; run pnpm ${NAME}`);
    process.exitCode = 1;
  } else {
    writeFileSync(UNDO_TABLE_DOCUMENT, next);
    console.log(`${UNDO_TABLE_DOCUMENT}: regenerated`);
  }
}

/**
 * docs/m68000-undo-table.md is what the interpreter and the committed SingleStepTests cases
 * give now, every row a case measures agrees with the real chip, and the committed subset of
 * the whole set (cut independently of this table) measures nothing the committed cases miss.
 */
import { describe, expect, it } from 'vitest';
import { listSstFiles, readSstFile } from '../sst/runner.js';
import { SUBSET_DIRECTORY } from '../sst/locate.js';
import { isImplausible, replaceGenerated, undoCounts } from './document.js';
import { undoFormKey, undoForms } from './forms.js';
import { buildUndoTable, committedUndoTable } from './generate.js';
import { checkRows, emptyCheck } from './sst-check.js';

const table = buildUndoTable();

describe('the 68000 undo table', () => {
  it('is the committed document (pnpm docs:undo-table regenerates it)', () => {
    const committed = committedUndoTable();
    expect(replaceGenerated(committed, table.generated, 'docs/m68000-undo-table.md'), 'stale: run pnpm docs:undo-table').toBe(committed);
  });

  it('agrees with every SingleStepTests case that measures a row, and places every case', () => {
    const counts = undoCounts(table.rows, table.check);
    console.log(`undo table: ${counts.rows} rows, ${counts.checked} checked, ${counts.agreeing} agreeing, ${counts.uncovered} uncovered`);
    expect(counts.checked).toBeGreaterThan(300);
    expect(counts.agreeing).toBe(counts.checked);
    expect(table.check.unexplained).toEqual([]);
    expect(table.check.formCases).toBe(table.check.addressErrorCases);
  });

  it('measures no row the committed subset of the whole set measures that the cut misses, and agrees there too', () => {
    const subset = emptyCheck();
    for (const file of listSstFiles(SUBSET_DIRECTORY)) checkRows(table.rows, readSstFile(file), subset);
    expect(subset.evidence.size).toBeGreaterThan(200);
    expect(subset.unexplained).toEqual([]);
    for (const [row, evidence] of subset.evidence) {
      expect(evidence.agreeing, `${row.form.name} ref ${row.reference}`).toBe(evidence.cases);
      expect(table.check.evidence.has(row), `${row.form.name} ref ${row.reference}`).toBe(true);
    }
  }, 300_000);

  it('has a form for every opcode with (An)+ or -(An), each standing for itself', () => {
    const forms = undoForms();
    let opcodes = 0;
    for (let op = 0; op < 0x10000; op++) if (undoFormKey(op) !== null) opcodes++;
    expect(forms.reduce((n, f) => n + f.opcodes, 0)).toBe(opcodes);
    for (const f of forms) expect(undoFormKey(f.opcode)?.name).toBe(f.name);
    const names = new Set(forms.map((f) => f.mnemonic));
    for (const m of ['MOVE', 'MOVEA', 'MOVEM', 'CMPM', 'ADDX', 'SUBX', 'ABCD', 'SBCD', 'NEG', 'CLR', 'ADD', 'SCC', 'TAS', 'NBCD']) expect(names).toContain(m);
  });

  it('moves the stack pointer by 2 for a byte and ends every register where the instruction does', () => {
    const row = table.rows.find((r) => r.form.name === 'MOVE.B (A7)+,Dx' && r.kind === 'read')!;
    expect(row.updates.map((u) => [u.atFault, u.atEnd])).toEqual([[2, 2]]);
    const push = table.rows.filter((r) => r.form.name === 'MOVEM.L list,-(An)' && r.kind === 'write');
    // Two registers, four word writes, low word of the last register first; An moves at the end.
    expect(push.map((r) => r.updates[0]!.atFault)).toEqual([0, 0, 0, 0]);
    expect(push[0]!.updates[0]!.atEnd).toBe(-8);
  });

  it('flags no row where a register stands outside its move (the CMPM.B destination was, until its undo step matched its byte step)', () => {
    expect(table.rows.filter(isImplausible).map((r) => r.form.name)).toEqual([]);
    const cmpmByte = table.rows.filter((r) => r.form.name === 'CMPM.B (Ay)+,(Ax)+' && r.kind === 'read');
    // The source byte has moved by 1 when the destination read faults; the destination has not moved.
    expect(cmpmByte.at(-1)!.updates.map((u) => u.atFault)).toEqual([1, 0]);
  });

  it('names the document when its markers are missing', () => {
    expect(() => replaceGenerated('no markers', 'x', 'docs/m68000-undo-table.md')).toThrow(/^docs\/m68000-undo-table\.md: the generated-part markers are missing/);
  });
});

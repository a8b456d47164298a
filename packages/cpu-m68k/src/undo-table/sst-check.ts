/**
 * Checks undo-table rows against the real chip. On a 68000 an odd address on a word or long
 * reference is an address error, taken at that reference with the same partial state a bus
 * error there leaves (the chip stacks the same group-0 frame for both), so every
 * SingleStepTests address-error case of a form is a measurement of one row: the operand the odd
 * address belongs to, its first reference of that kind, and where the address registers stood.
 */
import type { SstTest } from '../sst/format.js';
import { SstTransactionKind } from '../sst/format.js';
import { sstFaultView, sstInitialState } from '../sst/restart-case.js';
import { decodeInstruction } from '../disasm/decode.js';
import { undoFormKey } from './forms.js';
import { operandSpans, spanHolds } from './operands.js';
import { rowKey, type UndoRow } from './rows.js';

const ADDRESS_MASK = 0xffffff;

/** What the SingleStepTests cases say about one row. */
export interface RowEvidence {
  /** Address-error cases that measure the row. */
  cases: number;
  /** Of those, cases whose registers at the fault match the row. */
  agreeing: number;
  /** The first disagreeing case's name and what it measured, per register update. */
  firstDisagreement: { readonly test: string; readonly measured: readonly number[] } | null;
}

/** The outcome of checking every row against a set of cases. */
export interface SstCheck {
  /** Evidence per row (rows no case measures are absent). */
  readonly evidence: ReadonlyMap<UndoRow, RowEvidence>;
  /** Address-error cases read. */
  addressErrorCases: number;
  /** Of those, cases of an instruction form in the table. */
  formCases: number;
  /** Cases of a form whose odd address is on no operand (an exception vector's odd handler, for example). */
  notOnOperand: number;
  /** Cases whose faulting reference is not where the operand analysis puts it, or that have no row: each one a finding. */
  readonly unexplained: string[];
}

function firstAddressError(test: SstTest): (typeof test.transactions)[number] | undefined {
  return test.transactions.find((t) => t.kind === SstTransactionKind.ReadAddressError || t.kind === SstTransactionKind.WriteAddressError);
}

/** Reads the instruction stream a case starts with: the two prefetched words, then its RAM. */
function streamOf(test: SstTest): (address: number) => number {
  const words = new Map<number, number>();
  for (const [address, word] of test.initial.ram) words.set(address & ADDRESS_MASK, word);
  const start = (test.initial.pc - 4) & ADDRESS_MASK;
  words.set(start, test.initial.prefetch[0]);
  words.set((start + 2) & ADDRESS_MASK, test.initial.prefetch[1]);
  return (address) => words.get(address & ADDRESS_MASK) ?? 0;
}

/** An empty check, to accumulate file after file into. */
export function emptyCheck(): SstCheck {
  return { evidence: new Map(), addressErrorCases: 0, formCases: 0, notOnOperand: 0, unexplained: [] };
}

/** The rows a case can measure, by key. */
export function rowsByKey(rows: readonly UndoRow[]): Map<string, UndoRow> {
  const byKey = new Map<string, UndoRow>();
  for (const row of rows) {
    if (row.role !== null && (row.kind === 'read' || row.kind === 'write')) byKey.set(rowKey(row.form.name, row.role, row.kind, row.ordinal), row);
  }
  return byKey;
}

/** What one case measures: nothing (not an address-error case of a form in the table), a row and its registers, or a finding. */
export type CaseMeasurement =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-on-operand' }
  | { readonly kind: 'row'; readonly row: UndoRow; readonly measured: readonly number[] }
  | { readonly kind: 'unexplained'; readonly why: string };

/** Which row `test` measures and where the chip left the row's registers. */
export function measureCase(test: SstTest, byKey: ReadonlyMap<string, UndoRow>): CaseMeasurement {
  const error = firstAddressError(test);
  if (error === undefined) return { kind: 'none' };
  const form = undoFormKey(test.initial.prefetch[0]);
  if (form === null) return { kind: 'none' };
  const start = (test.initial.pc - 4) >>> 0;
  const decoded = decodeInstruction(streamOf(test), start);
  const before = sstInitialState(test).registers;
  // The first operand with an odd address is the one the chip refused, at its first reference.
  const span = operandSpans(decoded, before).find((s) => (s.low & 1) !== 0);
  if (span === undefined) return { kind: 'not-on-operand' };
  const kind = error.kind === SstTransactionKind.ReadAddressError ? 'read' : 'write';
  const view = sstFaultView(test)!;
  // The bus log drops address bit 0; the stacked frame keeps the whole address.
  const address = view.frame.address & ADDRESS_MASK;
  const row = byKey.get(rowKey(form.name, span.role, kind, 1));
  if (row === undefined || !spanHolds(span, address)) {
    return {
      kind: 'unexplained',
      why: `${test.name}: address error (${kind}) at ${address.toString(16)}, expected a reference of the ${span.role} at ${span.low.toString(16)}..${span.high.toString(16)}${row === undefined ? ' (no such row)' : ''}`,
    };
  }
  const measured = row.updates.map((u) => {
    const r = 8 + decoded.effectiveAddresses[u.eaIndex]!.register;
    return (view.registers.registers[r]! - before[r]!) | 0;
  });
  return { kind: 'row', row, measured };
}

/** Adds what `tests` say about `rows` to `check`. */
export function checkRows(rows: readonly UndoRow[], tests: Iterable<SstTest>, check: SstCheck = emptyCheck()): SstCheck {
  const byKey = rowsByKey(rows);
  const evidence = check.evidence as Map<UndoRow, RowEvidence>;
  for (const test of tests) {
    if (firstAddressError(test) !== undefined) check.addressErrorCases++;
    const m = measureCase(test, byKey);
    if (m.kind === 'none') continue;
    check.formCases++;
    if (m.kind === 'not-on-operand') check.notOnOperand++;
    else if (m.kind === 'unexplained') check.unexplained.push(m.why);
    else {
      const agrees = m.measured.every((v, i) => v === m.row.updates[i]!.atFault);
      const seen = evidence.get(m.row) ?? { cases: 0, agreeing: 0, firstDisagreement: null };
      seen.cases++;
      if (agrees) seen.agreeing++;
      else seen.firstDisagreement ??= { test: test.name, measured: m.measured };
      evidence.set(m.row, seen);
    }
  }
  return check;
}

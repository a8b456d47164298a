/**
 * The rows of the undo table, measured on the interpreter: each form's representative opcode
 * runs on the fault bench once per memory reference, with that reference faulting, and the
 * address registers its `(An)+`/`-(An)` operands name are read from the state the fault left.
 */
import { AccessKind, type CpuModelName } from '@pagelab/contracts';
import { decodeInstruction } from '../disasm/decode.js';
import type { DecodedInstruction, EffectiveAddress } from '../disasm/types.js';
import { faultEveryReference } from '../testing/fault-bench.js';
import { isAutoModified, undoForms, type UndoForm } from './forms.js';
import { operandAt, operandSpans } from './operands.js';

/** Where the bench places each instruction. */
const BENCH_START = 0x1000;
/** What `abs.W`/`abs.L` operands point at: even, clear of the code, the registers' targets and the stack. */
const BENCH_ABSOLUTE = 0x4000;
/** d16, d8 and PC displacements: small and even. */
const BENCH_DISPLACEMENT = 0x0010;

/** What a faulting reference was. */
export type ReferenceKind = 'extension' | 'read' | 'write';

/** One register update of a row: where the form's `(An)+`/`-(An)` register stands. */
export interface RegisterUpdate {
  /** The operand (or operands, when they share the register) that moves it, as the form names them. */
  readonly operand: string;
  /** The register the bench instruction uses (0..7 for A0..A7). */
  readonly register: number;
  /** Which of the instruction's effective addresses (assembly order) names it first. */
  readonly eaIndex: number;
  /** Signed byte count it has moved by at the fault. */
  readonly atFault: number;
  /** Signed byte count it has moved by when the instruction completes; null when the instruction loads the register itself. */
  readonly atEnd: number | null;
}

/** One row: a form with one of its references faulting. */
export interface UndoRow {
  readonly form: UndoForm;
  /** 1 = the opcode fetch (never a row: nothing has happened yet), then in bus order. */
  readonly reference: number;
  readonly kind: ReferenceKind;
  /** For a data reference: the operand it belongs to. */
  readonly role: EffectiveAddress['role'] | null;
  /** For a data reference: 1 for the operand's first reference of this kind, 2 for the next, ... */
  readonly ordinal: number;
  /** Bytes the reference moves (2 for each word of a long: the bench splits longs as the 68000's bus does). */
  readonly bytes: number;
  /** For a word of a long operand: its byte offset in the operand (0 the high word, 2 the low); null otherwise. */
  readonly offset: number | null;
  /**
   * For an instruction-stream fetch: the word's byte offset from the instruction's start, and
   * the instruction's length, so a prefetch past its end can be named; null otherwise.
   */
  readonly fetch: { readonly offset: number; readonly length: number } | null;
  readonly updates: readonly RegisterUpdate[];
}

/** The key a SingleStepTests case is matched to a row by. */
export const rowKey = (formName: string, role: string, kind: 'read' | 'write', ordinal: number): string => `${formName}|${role}|${kind}|${ordinal}`;

/** The extension words that make the form's representative run cleanly on the bench. */
function benchWords(opcode: number): number[] {
  const probe = decodeInstruction((a) => (a === BENCH_START ? opcode : 0), BENCH_START);
  const words = [opcode];
  const owner = new Map<number, EffectiveAddress>();
  for (const ea of probe.effectiveAddresses) {
    for (let i = 0; i < ea.extensionWords; i++) owner.set(ea.extensionAddress! + 2 * i, ea);
  }
  const reglist = probe.operands.find((o) => o.kind === 'reglist');
  const predec = probe.effectiveAddresses.some((ea) => ea.mode === 'predec');
  probe.extensionWords.forEach(({ address }) => {
    const ea = owner.get(address);
    const second = ea !== undefined && address !== ea.extensionAddress;
    if (ea === undefined) {
      // The immediate or bit number of ORI/BTST #n and the like, or MOVEM's list: D0 and D1
      // (stored reversed for -(An)), registers the operand's own An is not among.
      words.push(reglist !== undefined ? (predec ? 0xc000 : 0x0003) : 0x0001);
    } else if (ea.mode === 'absw') words.push(BENCH_ABSOLUTE);
    else if (ea.mode === 'absl') words.push(second ? BENCH_ABSOLUTE : 0);
    else if (ea.mode === 'imm') words.push(second || ea.size !== 4 ? 0x0001 : 0);
    else words.push(BENCH_DISPLACEMENT);
  });
  return words;
}

function updatesOf(decoded: DecodedInstruction, form: UndoForm, atFault: Uint32Array, atEnd: Uint32Array, before: Uint32Array): RegisterUpdate[] {
  const out: RegisterUpdate[] = [];
  const loaded = decoded.effectiveAddresses.filter((ea) => ea.mode === 'an' && ea.role === 'destination').map((ea) => ea.register);
  const movemLoads = decoded.operands[0]?.kind === 'ea' && decoded.operands[1]?.kind === 'reglist' ? decoded.operands[1].mask : 0;
  const names = form.operandList;
  decoded.effectiveAddresses.forEach((ea, i) => {
    if (!isAutoModified(ea)) return;
    const r = 8 + ea.register;
    const operand = names[decoded.operands.findIndex((o) => o.kind === 'ea' && o.ea === ea)] ?? `#${i}`;
    const same = out.find((u) => u.register === ea.register);
    if (same !== undefined) {
      out[out.indexOf(same)] = { ...same, operand: `${same.operand} and ${operand}` };
      return;
    }
    const loads = loaded.includes(ea.register) || (movemLoads & (1 << r)) !== 0;
    out.push({ operand, register: ea.register, eaIndex: i, atFault: (atFault[r]! - before[r]!) | 0, atEnd: loads ? null : (atEnd[r]! - before[r]!) | 0 });
  });
  return out;
}

/** Every row of every form, measured on `model` (the calibrated `m68000` by default). */
export function undoRows(model: CpuModelName = 'm68000'): UndoRow[] {
  const rows: UndoRow[] = [];
  for (const form of undoForms()) {
    const words = benchWords(form.opcode);
    const decoded = decodeInstruction((a) => words[(a - BENCH_START) / 2] ?? 0, BENCH_START);
    const seen = new Map<string, number>();
    for (const f of faultEveryReference({ model, start: BENCH_START, words, splitLongs: true })) {
      const { frame } = f;
      let kind: ReferenceKind;
      let role: EffectiveAddress['role'] | null = null;
      let ordinal = 1;
      let offset: number | null = null;
      let fetch: UndoRow['fetch'] = null;
      // A fault on the opcode fetch comes before the instruction has done anything: no row.
      if (f.reference === 1) continue;
      if (frame.access === AccessKind.Fetch) {
        kind = 'extension';
        fetch = { offset: (frame.address - BENCH_START) & 0xffffff, length: decoded.length };
      } else {
        kind = frame.access === AccessKind.Write ? 'write' : 'read';
        const span = operandAt(operandSpans(decoded, f.before), frame.address, kind === 'read' ? 'source' : 'destination');
        if (span === null) throw new Error(`${form.name}: reference ${f.reference} at ${frame.address.toString(16)} is outside its operands`);
        role = span.role;
        if (span.size === 4 && !span.list) offset = (frame.address - span.low) & 0xffffff;
        const label = `${role}|${kind}`;
        ordinal = (seen.get(label) ?? 0) + 1;
        seen.set(label, ordinal);
      }
      rows.push({
        form,
        reference: f.reference,
        kind,
        role,
        ordinal,
        bytes: frame.size,
        offset,
        fetch,
        updates: updatesOf(decoded, form, f.cpu.state.registers, f.expected.registers, f.before),
      });
    }
  }
  return rows;
}

/**
 * The instruction forms of the undo table: every assigned opcode of the generated decoder table
 * that has an `(An)+` or `-(An)` operand, grouped so that opcodes differing only in register
 * numbers (and Scc in its condition) share a form. Two register coincidences change what a
 * kernel must undo and so get forms of their own: a byte-sized `(A7)+`/`-(A7)` (the stack
 * pointer moves by 2) and an auto-modified register that the other operand also uses.
 */
import { isAssignedOpcode } from '../core/decoder.js';
import { decodeInstruction } from '../disasm/decode.js';
import { CONDITIONS } from '../disasm/opcode-table.js';
import type { DecodedInstruction, EaMode, EffectiveAddress, Operand } from '../disasm/types.js';

/** One form: the opcodes it stands for and the one the bench runs. */
export interface UndoForm {
  /** Mnemonic, size and operand pattern, for example `MOVE.B (Ay)+,-(Ax)`; unique per form. */
  readonly name: string;
  /** Upper-case mnemonic (`SCC` for every Scc), the table's section. */
  readonly mnemonic: string;
  /** Operand pattern, for example `(Ay)+,-(Ax)`. */
  readonly operands: string;
  /** The same pattern, one entry per operand in assembly order. */
  readonly operandList: readonly string[];
  /** Whether both operands name the same address register. */
  readonly sharedRegister: boolean;
  /** The opcode the bench runs: the lowest one of the form. */
  readonly opcode: number;
  /** How many opcodes of the decoder table the form stands for. */
  readonly opcodes: number;
}

const REGISTER_BASED: ReadonlySet<EaMode> = new Set(['an', 'ind', 'postinc', 'predec', 'disp', 'index']);
const AUTO: ReadonlySet<EaMode> = new Set(['postinc', 'predec']);
/** Scc differs only in its condition: one form for all sixteen. */
const SCC_MNEMONICS: ReadonlySet<string> = new Set(CONDITIONS.map((c) => `s${c}`));

/** Whether an operand moves its address register. */
export const isAutoModified = (ea: EffectiveAddress): boolean => AUTO.has(ea.mode);

/** Decodes an opcode alone (its extension words read as 0: only the modes matter here). */
const decodeOpcode = (opcode: number): DecodedInstruction => decodeInstruction((a) => (a === 0 ? opcode : 0), 0);

/** Whether two operands name the same address register. */
function sharesRegister(a: EffectiveAddress, b: EffectiveAddress): boolean {
  return REGISTER_BASED.has(a.mode) && REGISTER_BASED.has(b.mode) && a.register === b.register;
}

/** The step an `(An)+`/`-(An)` operand moves its register by: its size, but 2 for a byte on A7. */
export const autoStep = (ea: EffectiveAddress): number => (ea.size === 1 && ea.register === 7 ? 2 : ea.size);

function eaText(ea: EffectiveAddress, letter: string, a7: boolean): string {
  const an = a7 && isAutoModified(ea) && ea.register === 7 ? 'A7' : `A${letter}`;
  switch (ea.mode) {
    case 'dn':
      return `D${letter}`;
    case 'an':
      return an;
    case 'ind':
      return `(${an})`;
    case 'postinc':
      return `(${an})+`;
    case 'predec':
      return `-(${an})`;
    case 'disp':
      return `d16(${an})`;
    case 'index':
      return `d8(${an},Xi)`;
    case 'absw':
      return 'abs.W';
    case 'absl':
      return 'abs.L';
    case 'pcdisp':
      return 'd16(PC)';
    case 'pcindex':
      return 'd8(PC,Xi)';
    case 'imm':
      return '#imm';
  }
}

function operandText(op: Operand, letters: Map<EffectiveAddress, string>, a7: boolean): string {
  switch (op.kind) {
    case 'ea':
      return eaText(op.ea, letters.get(op.ea) ?? 'n', a7);
    case 'imm':
      return '#n';
    case 'branch':
      return 'label';
    case 'reglist':
      return 'list';
    case 'special':
      return op.name.toUpperCase();
  }
}

/** The form of an opcode, or null when it is unassigned or has no `(An)+`/`-(An)` operand. */
export function undoFormKey(opcode: number): Pick<UndoForm, 'name' | 'mnemonic' | 'operands' | 'operandList' | 'sharedRegister'> | null {
  if (!isAssignedOpcode(opcode)) return null;
  const decoded = decodeOpcode(opcode);
  if (!decoded.valid) return null;
  const eas = decoded.effectiveAddresses;
  if (!eas.some(isAutoModified)) return null;
  const a7 = eas.some((ea) => isAutoModified(ea) && ea.register === 7 && ea.size === 1);
  const shared = eas.length === 2 && (isAutoModified(eas[0]!) || isAutoModified(eas[1]!)) && sharesRegister(eas[0]!, eas[1]!);
  // Source registers are y, destination x, as the 68000 manuals write them; a shared one is x.
  const letters = new Map<EffectiveAddress, string>();
  for (const ea of eas) letters.set(ea, shared || ea.role === 'destination' ? 'x' : 'y');
  if (eas.length === 1) letters.set(eas[0]!, 'n');
  const operandList = decoded.operands.map((op) => operandText(op, letters, a7));
  const operands = operandList.join(',');
  const base = SCC_MNEMONICS.has(decoded.mnemonic) ? 'scc' : decoded.mnemonic;
  const mnemonic = base.toUpperCase();
  const sized = decoded.size === null ? mnemonic : `${mnemonic}.${decoded.size.toUpperCase()}`;
  return { name: `${sized} ${operands}`, mnemonic, operands, operandList, sharedRegister: shared };
}

let cached: UndoForm[] | null = null;

/** Every form, in opcode order of their lowest opcode. */
export function undoForms(): readonly UndoForm[] {
  if (cached !== null) return cached;
  const byName = new Map<string, { key: NonNullable<ReturnType<typeof undoFormKey>>; opcode: number; opcodes: number }>();
  for (let opcode = 0; opcode < 0x10000; opcode++) {
    const key = undoFormKey(opcode);
    if (key === null) continue;
    const seen = byName.get(key.name);
    if (seen === undefined) byName.set(key.name, { key, opcode, opcodes: 1 });
    else seen.opcodes++;
  }
  cached = [...byName.values()].map(({ key, opcode, opcodes }) => ({ ...key, opcode, opcodes }));
  return cached;
}

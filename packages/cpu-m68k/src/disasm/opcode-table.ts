/**
 * The 68000 opcode table: one entry per 16-bit opcode word, generated at first use from a
 * list of bit patterns.
 *
 * Each pattern is 16 characters, most significant bit first: `0`/`1` are fixed bits, any
 * other letter is a field. A pattern's builder turns a matching opcode into an
 * {@link OpcodeForm}, or returns null when the fields are not a legal 68000 combination
 * (a size of `11`, an addressing mode the instruction does not allow). Patterns are tried
 * from the most fixed bits to the fewest, so the specific encodings that live inside a more
 * general one (MOVEP inside the dynamic bit operations, DBcc inside Scc, CMPM inside EOR)
 * win; when a builder refuses, the next matching pattern gets its chance.
 */
import type { OperationSize } from './types.js';

/** How one operand is obtained once the opcode is known. */
export type OperandSpec =
  | {
      readonly t: 'ea';
      /** The 3-bit mode field (0..7). */
      readonly mode: number;
      /** The 3-bit register field. */
      readonly reg: number;
      /** The size of the data reference in bytes (0 when none). */
      readonly size: 0 | 1 | 2 | 4;
      readonly role: 'source' | 'destination';
      readonly access: 'read' | 'write' | 'modify' | 'address';
    }
  /** An immediate in the extension words (ORI's data, STOP's SR, LINK's displacement, a static bit number). */
  | { readonly t: 'imm'; readonly size: 'b' | 'w' | 'l' }
  /** An immediate held in the opcode itself (ADDQ, MOVEQ, shift counts, TRAP). */
  | { readonly t: 'quick'; readonly value: number }
  /** A branch: `disp8` is the opcode's displacement byte; 0 means a 16-bit extension word follows. */
  | { readonly t: 'branch'; readonly disp8: number }
  /** A DBcc displacement: always a 16-bit extension word. */
  | { readonly t: 'branch16' }
  /** A MOVEM register mask extension word; `predec` masks are bit-reversed. */
  | { readonly t: 'reglist'; readonly predec: boolean }
  | { readonly t: 'special'; readonly name: 'sr' | 'ccr' | 'usp' };

/** What the table holds for one valid opcode. */
export interface OpcodeForm {
  /** Base mnemonic, lowercase, without size. */
  readonly mnemonic: string;
  /** The operation size. */
  readonly size: OperationSize;
  /** Whether the size is part of the written mnemonic (`movel`, `move.l`) or implied (`lea`, `btst`). */
  readonly suffix: boolean;
  /** The operands in assembly order. */
  readonly operands: readonly OperandSpec[];
  /**
   * The order in which operands consume extension words, as indexes into `operands`.
   * Assembly order except for MOVEM to registers, whose mask word precedes the EA's words.
   */
  readonly fetchOrder: readonly number[];
}

// Addressing-mode classes, as bit sets over the 12 mode slots (see modeSlot).
const DN = 1 << 0;
const AN = 1 << 1;
const IND = 1 << 2;
const POSTINC = 1 << 3;
const PREDEC = 1 << 4;
const DISP = 1 << 5;
const INDEX = 1 << 6;
const ABSW = 1 << 7;
const ABSL = 1 << 8;
const PCDISP = 1 << 9;
const PCINDEX = 1 << 10;
const IMM = 1 << 11;
const ALL = 0xfff;
const DATA = ALL & ~AN;
const CONTROL = IND | DISP | INDEX | ABSW | ABSL | PCDISP | PCINDEX;
const ALTERABLE = DN | AN | IND | POSTINC | PREDEC | DISP | INDEX | ABSW | ABSL;
const DATA_ALT = ALTERABLE & ~AN;
const MEM_ALT = ALTERABLE & ~(DN | AN);
const CTRL_ALT = CONTROL & ALTERABLE;

/** The slot (0..11) of a mode/register pair in the class bit sets, or -1 for the undefined mode-7 encodings. */
function modeSlot(mode: number, reg: number): number {
  if (mode < 7) return mode;
  return reg <= 4 ? 7 + reg : -1;
}

function allowed(mode: number, reg: number, cls: number): boolean {
  const slot = modeSlot(mode, reg);
  return slot >= 0 && (cls & (1 << slot)) !== 0;
}

const SIZE_BYTES = { b: 1, w: 2, l: 4 } as const;

/** The standard two-bit size field (bits 7..6): 00 byte, 01 word, 10 long, 11 not a size. */
function sizeField(op: number): 'b' | 'w' | 'l' | null {
  switch ((op >> 6) & 3) {
    case 0:
      return 'b';
    case 1:
      return 'w';
    case 2:
      return 'l';
    default:
      return null;
  }
}

const eaMode = (op: number): number => (op >> 3) & 7;
const eaReg = (op: number): number => op & 7;
const regHigh = (op: number): number => (op >> 9) & 7;

function ea(
  mode: number,
  reg: number,
  size: 'b' | 'w' | 'l' | 0,
  role: 'source' | 'destination',
  access: 'read' | 'write' | 'modify' | 'address',
): OperandSpec {
  return { t: 'ea', mode, reg, size: size === 0 ? 0 : SIZE_BYTES[size], role, access };
}

/** The EA field of the opcode (bits 5..0), or null if its mode is not in `cls`. */
function eaField(
  op: number,
  cls: number,
  size: 'b' | 'w' | 'l' | 0,
  role: 'source' | 'destination',
  access: 'read' | 'write' | 'modify' | 'address',
): OperandSpec | null {
  const mode = eaMode(op);
  const reg = eaReg(op);
  // Byte operations on an address register do not exist: An is word/long only.
  if (size === 'b' && mode === 1) return null;
  return allowed(mode, reg, cls) ? ea(mode, reg, size, role, access) : null;
}

const dreg = (n: number, size: 'b' | 'w' | 'l' | 0, role: 'source' | 'destination', access: 'read' | 'write' | 'modify' | 'address'): OperandSpec =>
  ea(0, n, size, role, access);
const areg = (n: number, size: 'b' | 'w' | 'l' | 0, role: 'source' | 'destination', access: 'read' | 'write' | 'modify' | 'address'): OperandSpec =>
  ea(1, n, size, role, access);

function form(
  mnemonic: string,
  size: OperationSize,
  operands: readonly (OperandSpec | null)[],
  suffix = true,
  fetchOrder?: readonly number[],
): OpcodeForm | null {
  if (operands.some((o) => o === null)) return null;
  const ops = operands as readonly OperandSpec[];
  return { mnemonic, size, suffix, operands: ops, fetchOrder: fetchOrder ?? ops.map((_, i) => i) };
}

/** The 16 condition codes, in encoding order, as they appear in Scc/DBcc mnemonics. */
export const CONDITIONS = ['t', 'f', 'hi', 'ls', 'cc', 'cs', 'ne', 'eq', 'vc', 'vs', 'pl', 'mi', 'ge', 'lt', 'gt', 'le'] as const;

type Builder = (op: number) => OpcodeForm | null;

const IMMEDIATE_OPS: Record<number, string> = { 0: 'ori', 1: 'andi', 2: 'subi', 3: 'addi', 5: 'eori', 6: 'cmpi' };
const BIT_OPS = ['btst', 'bchg', 'bclr', 'bset'] as const;
const SHIFT_OPS = ['as', 'ls', 'rox', 'ro'] as const;

/** A two-operand arithmetic/logic line (OR, SUB, CMP/EOR, AND, ADD): `<ea>,Dn` or `Dn,<ea>`. */
function aluForm(name: string, srcClass: number, op: number, toMemory: boolean): OpcodeForm | null {
  const size = sizeField(op);
  if (size === null) return null;
  const dn = regHigh(op);
  if (!toMemory) return form(name, size, [eaField(op, srcClass, size, 'source', 'read'), dreg(dn, size, 'destination', name === 'cmp' ? 'read' : 'modify')]);
  return form(name, size, [dreg(dn, size, 'source', 'read'), eaField(op, MEM_ALT, size, 'destination', 'modify')]);
}

/** ADDA/SUBA/CMPA: bit 8 selects word or long. */
function addressForm(name: string, op: number): OpcodeForm {
  const size = (op & 0x100) !== 0 ? 'l' : 'w';
  const src = eaField(op, ALL, size, 'source', 'read');
  // Every mode is legal here, so eaField cannot refuse except for mode 7 sub-modes 5..7.
  return form(name, size, [src, areg(regHigh(op), 'l', 'destination', name === 'cmpa' ? 'read' : 'modify')]) as OpcodeForm;
}

/** ADDX/SUBX/ABCD/SBCD: `Dy,Dx` or `-(Ay),-(Ax)`. */
function extendedForm(name: string, op: number, size: 'b' | 'w' | 'l' | null, suffix: boolean): OpcodeForm | null {
  if (size === null) return null;
  const rx = regHigh(op);
  const ry = op & 7;
  if ((op & 8) === 0) return form(name, size, [dreg(ry, size, 'source', 'read'), dreg(rx, size, 'destination', 'modify')], suffix);
  return form(name, size, [ea(4, ry, size, 'source', 'read'), ea(4, rx, size, 'destination', 'modify')], suffix);
}

/** The pattern list. Order does not matter: patterns are sorted by specificity. */
const PATTERNS: readonly [string, Builder][] = [
  // --- line 0: immediates, bit operations, MOVEP
  ['0000000000111100', () => form('ori', 'b', [{ t: 'imm', size: 'b' }, { t: 'special', name: 'ccr' }])],
  ['0000000001111100', () => form('ori', 'w', [{ t: 'imm', size: 'w' }, { t: 'special', name: 'sr' }])],
  ['0000001000111100', () => form('andi', 'b', [{ t: 'imm', size: 'b' }, { t: 'special', name: 'ccr' }])],
  ['0000001001111100', () => form('andi', 'w', [{ t: 'imm', size: 'w' }, { t: 'special', name: 'sr' }])],
  ['0000101000111100', () => form('eori', 'b', [{ t: 'imm', size: 'b' }, { t: 'special', name: 'ccr' }])],
  ['0000101001111100', () => form('eori', 'w', [{ t: 'imm', size: 'w' }, { t: 'special', name: 'sr' }])],
  [
    '0000ooo0ssmmmrrr',
    (op) => {
      const name = IMMEDIATE_OPS[(op >> 9) & 7];
      const size = sizeField(op);
      if (name === undefined || size === null) return null;
      const access = name === 'cmpi' ? 'read' : 'modify';
      return form(name, size, [{ t: 'imm', size }, eaField(op, DATA_ALT, size, 'destination', access)]);
    },
  ],
  [
    '00001000ttmmmrrr',
    (op) => {
      const name = BIT_OPS[(op >> 6) & 3] as string;
      const size = eaMode(op) === 0 ? 'l' : 'b';
      const cls = name === 'btst' ? DATA & ~IMM : DATA_ALT;
      return form(name, size, [{ t: 'imm', size: 'b' }, eaField(op, cls, size, 'destination', name === 'btst' ? 'read' : 'modify')], false);
    },
  ],
  [
    '0000ddd1ttmmmrrr',
    (op) => {
      const name = BIT_OPS[(op >> 6) & 3] as string;
      const size = eaMode(op) === 0 ? 'l' : 'b';
      const cls = name === 'btst' ? DATA : DATA_ALT;
      return form(name, size, [dreg(regHigh(op), 'b', 'source', 'read'), eaField(op, cls, size, 'destination', name === 'btst' ? 'read' : 'modify')], false);
    },
  ],
  [
    '0000ddd1ss001aaa',
    (op) => {
      const size = (op & 0x40) !== 0 ? 'l' : 'w';
      const d = regHigh(op);
      const a = op & 7;
      if ((op & 0x80) === 0) return form('movep', size, [ea(5, a, size, 'source', 'read'), dreg(d, size, 'destination', 'write')]);
      return form('movep', size, [dreg(d, size, 'source', 'read'), ea(5, a, size, 'destination', 'write')]);
    },
  ],
  // --- lines 1..3: MOVE and MOVEA
  [
    '00ssDDDMMMmmmrrr',
    (op) => {
      const size = ([null, 'b', 'l', 'w'] as const)[(op >> 12) & 3] ?? null;
      if (size === null) return null;
      const dmode = (op >> 6) & 7;
      const dreg_ = (op >> 9) & 7;
      const src = eaField(op, ALL, size, 'source', 'read');
      if (dmode === 1) {
        if (size === 'b') return null;
        return form('movea', size, [src, areg(dreg_, 'l', 'destination', 'write')]);
      }
      if (!allowed(dmode, dreg_, DATA_ALT)) return null;
      return form('move', size, [src, ea(dmode, dreg_, size, 'destination', 'write')]);
    },
  ],
  // --- line 4: miscellaneous
  ['0100000011mmmrrr', (op) => form('move', 'w', [{ t: 'special', name: 'sr' }, eaField(op, DATA_ALT, 'w', 'destination', 'write')])],
  ['0100010011mmmrrr', (op) => form('move', 'w', [eaField(op, DATA, 'w', 'source', 'read'), { t: 'special', name: 'ccr' }])],
  ['0100011011mmmrrr', (op) => form('move', 'w', [eaField(op, DATA, 'w', 'source', 'read'), { t: 'special', name: 'sr' }])],
  ...(
    [
      ['01000000ssmmmrrr', 'negx', 'modify'],
      ['01000010ssmmmrrr', 'clr', 'write'],
      ['01000100ssmmmrrr', 'neg', 'modify'],
      ['01000110ssmmmrrr', 'not', 'modify'],
    ] as const
  ).map(([pattern, name, access]): [string, Builder] => [
    pattern,
    (op) => {
      const size = sizeField(op);
      return size === null ? null : form(name, size, [eaField(op, DATA_ALT, size, 'destination', access)]);
    },
  ]),
  ['0100ddd110mmmrrr', (op) => form('chk', 'w', [eaField(op, DATA, 'w', 'source', 'read'), dreg(regHigh(op), 'w', 'destination', 'read')])],
  ['0100aaa111mmmrrr', (op) => form('lea', 'l', [eaField(op, CONTROL, 0, 'source', 'address'), areg(regHigh(op), 'l', 'destination', 'write')], false)],
  ['0100100000mmmrrr', (op) => form('nbcd', 'b', [eaField(op, DATA_ALT, 'b', 'destination', 'modify')], false)],
  ['0100100001000rrr', (op) => form('swap', 'w', [dreg(op & 7, 'l', 'destination', 'modify')], false)],
  ['0100100001mmmrrr', (op) => form('pea', 'l', [eaField(op, CONTROL, 0, 'source', 'address')], false)],
  ['0100100010000rrr', (op) => form('ext', 'w', [dreg(op & 7, 'w', 'destination', 'modify')])],
  ['0100100011000rrr', (op) => form('ext', 'l', [dreg(op & 7, 'l', 'destination', 'modify')])],
  [
    '010010001smmmrrr',
    (op) => {
      const size = (op & 0x40) !== 0 ? 'l' : 'w';
      const predec = eaMode(op) === 4;
      return form('movem', size, [{ t: 'reglist', predec }, eaField(op, CTRL_ALT | PREDEC, size, 'destination', 'write')]);
    },
  ],
  [
    '010011001smmmrrr',
    (op) => {
      const size = (op & 0x40) !== 0 ? 'l' : 'w';
      // The mask word comes before the EA's extension words even though it is written second.
      return form('movem', size, [eaField(op, CONTROL | POSTINC, size, 'source', 'read'), { t: 'reglist', predec: false }], true, [1, 0]);
    },
  ],
  ['01001010ssmmmrrr', (op) => {
    const size = sizeField(op);
    return size === null ? null : form('tst', size, [eaField(op, DATA_ALT, size, 'destination', 'read')]);
  }],
  ['0100101011mmmrrr', (op) => form('tas', 'b', [eaField(op, DATA_ALT, 'b', 'destination', 'modify')], false)],
  ['0100101011111100', () => form('illegal', null, [])],
  ['010011100100vvvv', (op) => form('trap', null, [{ t: 'quick', value: op & 15 }])],
  ['0100111001010rrr', (op) => form('link', 'w', [areg(op & 7, 'l', 'source', 'modify'), { t: 'imm', size: 'w' }])],
  ['0100111001011rrr', (op) => form('unlk', null, [areg(op & 7, 'l', 'destination', 'modify')])],
  ['0100111001100rrr', (op) => form('move', 'l', [areg(op & 7, 'l', 'source', 'read'), { t: 'special', name: 'usp' }])],
  ['0100111001101rrr', (op) => form('move', 'l', [{ t: 'special', name: 'usp' }, areg(op & 7, 'l', 'destination', 'write')])],
  ['0100111001110000', () => form('reset', null, [])],
  ['0100111001110001', () => form('nop', null, [])],
  ['0100111001110010', () => form('stop', null, [{ t: 'imm', size: 'w' }])],
  ['0100111001110011', () => form('rte', null, [])],
  ['0100111001110101', () => form('rts', null, [])],
  ['0100111001110110', () => form('trapv', null, [])],
  ['0100111001110111', () => form('rtr', null, [])],
  ['0100111010mmmrrr', (op) => form('jsr', null, [eaField(op, CONTROL, 0, 'source', 'address')])],
  ['0100111011mmmrrr', (op) => form('jmp', null, [eaField(op, CONTROL, 0, 'source', 'address')])],
  // --- line 5: ADDQ/SUBQ, Scc, DBcc
  [
    '0101dddossmmmrrr',
    (op) => {
      const size = sizeField(op);
      if (size === null) return null;
      const quick = regHigh(op) === 0 ? 8 : regHigh(op);
      const name = (op & 0x100) !== 0 ? 'subq' : 'addq';
      return form(name, size, [{ t: 'quick', value: quick }, eaField(op, ALTERABLE, size, 'destination', 'modify')]);
    },
  ],
  ['0101cccc11mmmrrr', (op) => form(`s${CONDITIONS[(op >> 8) & 15]}`, 'b', [eaField(op, DATA_ALT, 'b', 'destination', 'write')], false)],
  ['0101cccc11001rrr', (op) => form(`db${CONDITIONS[(op >> 8) & 15]}`, 'w', [dreg(op & 7, 'w', 'source', 'modify'), { t: 'branch16' }], false)],
  // --- line 6: branches. The 68000 has no 32-bit displacement: 0xFF is just -1.
  [
    '0110ccccdddddddd',
    (op) => {
      const cc = (op >> 8) & 15;
      const name = cc === 0 ? 'bra' : cc === 1 ? 'bsr' : `b${CONDITIONS[cc]}`;
      return form(name, null, [{ t: 'branch', disp8: op & 0xff }], false);
    },
  ],
  // --- line 7: MOVEQ
  ['0111ddd0dddddddd', (op) => form('moveq', 'l', [{ t: 'quick', value: ((op & 0xff) << 24) >> 24 }, dreg(regHigh(op), 'l', 'destination', 'write')], false)],
  // --- line 8: OR, DIVU, DIVS, SBCD
  ['1000ddd0ssmmmrrr', (op) => aluForm('or', DATA, op, false)],
  ['1000ddd1ssmmmrrr', (op) => aluForm('or', DATA, op, true)],
  ['1000ddd011mmmrrr', (op) => form('divu', 'w', [eaField(op, DATA, 'w', 'source', 'read'), dreg(regHigh(op), 'l', 'destination', 'modify')])],
  ['1000ddd111mmmrrr', (op) => form('divs', 'w', [eaField(op, DATA, 'w', 'source', 'read'), dreg(regHigh(op), 'l', 'destination', 'modify')])],
  ['1000yyy10000rxxx', (op) => extendedForm('sbcd', op, 'b', false)],
  // --- line 9: SUB, SUBA, SUBX
  ['1001ddd0ssmmmrrr', (op) => aluForm('sub', ALL, op, false)],
  ['1001ddd1ssmmmrrr', (op) => aluForm('sub', ALL, op, true)],
  ['1001aaas11mmmrrr', (op) => addressForm('suba', op)],
  ['1001xxx1ss00ryyy', (op) => extendedForm('subx', op, sizeField(op), true)],
  // --- line B: CMP, CMPA, EOR, CMPM
  ['1011ddd0ssmmmrrr', (op) => aluForm('cmp', ALL, op, false)],
  ['1011aaas11mmmrrr', (op) => addressForm('cmpa', op)],
  [
    '1011ddd1ssmmmrrr',
    (op) => {
      const size = sizeField(op);
      if (size === null) return null;
      return form('eor', size, [dreg(regHigh(op), size, 'source', 'read'), eaField(op, DATA_ALT, size, 'destination', 'modify')]);
    },
  ],
  [
    '1011xxx1ss001yyy',
    (op) => {
      const size = sizeField(op);
      if (size === null) return null;
      return form('cmpm', size, [ea(3, op & 7, size, 'source', 'read'), ea(3, regHigh(op), size, 'destination', 'read')]);
    },
  ],
  // --- line C: AND, MULU, MULS, ABCD, EXG
  ['1100ddd0ssmmmrrr', (op) => aluForm('and', DATA, op, false)],
  ['1100ddd1ssmmmrrr', (op) => aluForm('and', DATA, op, true)],
  ['1100ddd011mmmrrr', (op) => form('mulu', 'w', [eaField(op, DATA, 'w', 'source', 'read'), dreg(regHigh(op), 'l', 'destination', 'modify')])],
  ['1100ddd111mmmrrr', (op) => form('muls', 'w', [eaField(op, DATA, 'w', 'source', 'read'), dreg(regHigh(op), 'l', 'destination', 'modify')])],
  ['1100xxx10000ryyy', (op) => extendedForm('abcd', op, 'b', false)],
  ['1100xxx101000yyy', (op) => form('exg', 'l', [dreg(regHigh(op), 'l', 'source', 'modify'), dreg(op & 7, 'l', 'destination', 'modify')], false)],
  ['1100xxx101001yyy', (op) => form('exg', 'l', [areg(regHigh(op), 'l', 'source', 'modify'), areg(op & 7, 'l', 'destination', 'modify')], false)],
  ['1100xxx110001yyy', (op) => form('exg', 'l', [dreg(regHigh(op), 'l', 'source', 'modify'), areg(op & 7, 'l', 'destination', 'modify')], false)],
  // --- line D: ADD, ADDA, ADDX
  ['1101ddd0ssmmmrrr', (op) => aluForm('add', ALL, op, false)],
  ['1101ddd1ssmmmrrr', (op) => aluForm('add', ALL, op, true)],
  ['1101aaas11mmmrrr', (op) => addressForm('adda', op)],
  ['1101xxx1ss00ryyy', (op) => extendedForm('addx', op, sizeField(op), true)],
  // --- line E: shifts and rotates
  [
    '1110cccdssittrrr',
    (op) => {
      const size = sizeField(op);
      if (size === null) return null;
      const name = `${SHIFT_OPS[(op >> 3) & 3]}${(op & 0x100) !== 0 ? 'l' : 'r'}`;
      const count = regHigh(op);
      const countOperand: OperandSpec = (op & 0x20) !== 0 ? dreg(count, 'l', 'source', 'read') : { t: 'quick', value: count === 0 ? 8 : count };
      return form(name, size, [countOperand, dreg(op & 7, size, 'destination', 'modify')]);
    },
  ],
  [
    '11100ttd11mmmrrr',
    (op) => {
      const name = `${SHIFT_OPS[(op >> 9) & 3]}${(op & 0x100) !== 0 ? 'l' : 'r'}`;
      return form(name, 'w', [eaField(op, MEM_ALT, 'w', 'destination', 'modify')]);
    },
  ],
];

interface CompiledPattern {
  readonly mask: number;
  readonly value: number;
  readonly fixedBits: number;
  readonly build: Builder;
}

function compile([pattern, build]: [string, Builder]): CompiledPattern {
  if (pattern.length !== 16) throw new Error(`opcode pattern ${pattern} is not 16 bits`);
  let mask = 0;
  let value = 0;
  let fixedBits = 0;
  for (const ch of pattern) {
    mask <<= 1;
    value <<= 1;
    if (ch === '0' || ch === '1') {
      mask |= 1;
      value |= ch === '1' ? 1 : 0;
      fixedBits++;
    }
  }
  return { mask, value, fixedBits, build };
}

let patterns: CompiledPattern[] | null = null;
/** Forms found so far; a form is worked out when first asked for (the whole table takes a while to build). */
const forms: (OpcodeForm | null | undefined)[] = new Array<OpcodeForm | null | undefined>(65536).fill(undefined);

/** Tries the patterns, most specific first, on one opcode. */
function findForm(op: number): OpcodeForm | null {
  patterns ??= PATTERNS.map(compile).sort((a, b) => b.fixedBits - a.fixedBits);
  for (const p of patterns) {
    if ((op & p.mask) !== p.value) continue;
    const found = p.build(op);
    if (found !== null) return found;
  }
  return null;
}

/** The form of a 68000 opcode word, or null when the word is not a 68000 instruction. */
export function opcodeForm(opcode: number): OpcodeForm | null {
  const op = opcode & 0xffff;
  let found = forms[op];
  if (found === undefined) {
    found = findForm(op);
    forms[op] = found;
  }
  return found;
}

/**
 * Text for decoded instructions, in two syntaxes:
 *
 * - `motorola` (the default): `move.l 6(%a1),2(%a0)`, `movem.l %d2-%d4/%a2,-(%sp)`,
 *   `bra.s 0x1010`: Motorola operand order and mode notation with GNU register prefixes.
 * - `mit`: exactly what binutils' `m68k-linux-gnu-objdump -d` prints (`movel %a1@(6),%a0@(2)`),
 *   so the decoder can be checked word for word against objdump on compiled code.
 */
import { opcodeForm } from './opcode-table.js';
import type { DecodedInstruction, EffectiveAddress, IndexRegister, Operand, Syntax } from './types.js';

const hex = (v: number): string => (v >>> 0).toString(16);

/** The register name without prefix: d0..d7, a0..a5, fp (A6), sp (A7), as objdump writes them. */
function regName(n: number): string {
  if (n < 8) return `d${n}`;
  if (n === 14) return 'fp';
  if (n === 15) return 'sp';
  return `a${n - 8}`;
}

function signedBySize(value: number, size: 'b' | 'w' | 'l' | null): number {
  if (size === 'b') return (value << 24) >> 24;
  if (size === 'w') return (value << 16) >> 16;
  return value | 0;
}

const EA_SIZE_NAME = { 0: null, 1: 'b', 2: 'w', 4: 'l' } as const;

/** objdump prints brief-format index displacements as a bare 64-bit hex number. */
function mitIndexDisplacement(d: number): string {
  if (d >= 0) return d.toString(16);
  return 'ffffffffffffff' + (d & 0xff).toString(16).padStart(2, '0');
}

function mitIndex(ix: IndexRegister): string {
  return `%${regName(ix.register)}:${ix.long ? 'l' : 'w'}`;
}

function motorolaIndex(ix: IndexRegister): string {
  return `%${regName(ix.register)}.${ix.long ? 'l' : 'w'}`;
}

function formatEa(ea: EffectiveAddress, syntax: Syntax): string {
  const an = `%${regName(ea.register + 8)}`;
  const mit = syntax === 'mit';
  switch (ea.mode) {
    case 'dn':
      return `%${regName(ea.register)}`;
    case 'an':
      return an;
    case 'ind':
      return mit ? `${an}@` : `(${an})`;
    case 'postinc':
      return mit ? `${an}@+` : `(${an})+`;
    case 'predec':
      return mit ? `${an}@-` : `-(${an})`;
    case 'disp':
      return mit ? `${an}@(${ea.displacement})` : `${ea.displacement}(${an})`;
    case 'index': {
      const ix = ea.index as IndexRegister;
      return mit ? `${an}@(${mitIndexDisplacement(ea.displacement)},${mitIndex(ix)})` : `${ea.displacement}(${an},${motorolaIndex(ix)})`;
    }
    case 'absw':
      return mit ? `0x${hex(ea.absolute)}` : `0x${hex(ea.absolute & 0xffff)}.w`;
    case 'absl':
      return mit ? `0x${hex(ea.absolute)}` : `0x${hex(ea.absolute)}.l`;
    case 'pcdisp':
      return mit ? `%pc@(0x${hex(ea.absolute)})` : `${ea.displacement}(%pc)`;
    case 'pcindex': {
      const ix = ea.index as IndexRegister;
      return mit ? `%pc@(0x${hex(ea.absolute)},${mitIndex(ix)})` : `${ea.displacement}(%pc,${motorolaIndex(ix)})`;
    }
    case 'imm':
      return `#${signedBySize(ea.immediate, EA_SIZE_NAME[ea.size])}`;
  }
}

/** A MOVEM list: runs of consecutive registers as `first-last`, joined by `/`. */
function formatRegList(mask: number, syntax: Syntax): string {
  const parts: string[] = [];
  let i = 0;
  while (i < 16) {
    if ((mask & (1 << i)) === 0) {
      i++;
      continue;
    }
    let j = i;
    // objdump lets a run cross from D7 to A0; Motorola style keeps data and address registers apart.
    while (j + 1 < 16 && (mask & (1 << (j + 1))) !== 0 && (syntax === 'mit' || j + 1 !== 8)) j++;
    parts.push(j === i ? `%${regName(i)}` : `%${regName(i)}-%${regName(j)}`);
    i = j + 1;
  }
  return parts.join('/');
}

function formatOperand(op: Operand, syntax: Syntax): string {
  switch (op.kind) {
    case 'ea':
      return formatEa(op.ea, syntax);
    case 'imm':
      return `#${signedBySize(op.value, op.size)}`;
    case 'branch':
      return `0x${hex(op.target)}`;
    case 'reglist':
      return formatRegList(op.mask, syntax);
    case 'special':
      return `%${op.name}`;
  }
}

/** The mnemonic with its size: `movel`/`move.l`, `bras`/`bra.s`, `lea`. */
function formatMnemonic(insn: DecodedInstruction, syntax: Syntax): string {
  const sep = syntax === 'mit' ? '' : '.';
  if (insn.branchSize !== null) return `${insn.mnemonic}${sep}${insn.branchSize}`;
  const form = opcodeForm(insn.opcode);
  if (form !== null && form.suffix && insn.size !== null) return `${insn.mnemonic}${sep}${insn.size}`;
  return insn.mnemonic;
}

/** The instruction as text (`move.l 6(%a1),2(%a0)` in Motorola syntax, `movel %a1@(6),%a0@(2)` in MIT). */
export function formatInstruction(insn: DecodedInstruction, syntax: Syntax = 'motorola'): string {
  if (!insn.valid) return `.short 0x${insn.opcode.toString(16).padStart(4, '0')}`;
  const mnemonic = formatMnemonic(insn, syntax);
  if (insn.operands.length === 0) return mnemonic;
  return `${mnemonic} ${insn.operands.map((o) => formatOperand(o, syntax)).join(',')}`;
}

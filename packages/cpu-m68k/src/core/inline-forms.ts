/**
 * The instruction forms the translator writes out as JavaScript instead of calling their
 * handlers: those that only read and write registers (and their own immediate words), so
 * they can neither fault nor trap on a flat bus, plus the branches that close loops. Inside a
 * run of such instructions a region keeps the registers in locals and computes only the
 * condition codes that are read before being overwritten (see `compileRegion`).
 *
 * Each form states what it reads and writes, so the compiler can load and store the
 * registers once per run and work out which flags are live; its code computes exactly what the
 * handler the decoder picks for the opcode computes, cycle counts included. The
 * SingleStepTests run every form through this path, and the translator's tests compare runs
 * of random sequences of these forms with the interpreter.
 */
import { C, N, V, X, Z } from './constants.js';
import { eaCycles } from './timing.js';

/** An instruction written out inline. Registers are numbered as in `cpu.r`: D0-D7, then A0-A7. */
export interface InlineForm {
  /** Registers read (bit i for register i). */
  readonly reads: number;
  /** Registers written, wholly or in part. */
  readonly writes: number;
  /** Condition-code bits (X N Z V C as in SR) read. */
  readonly flagsRead: number;
  /** Condition-code bits always written. */
  readonly flagsWritten: number;
  /** Cycles it always takes; a branch or Scc adds what depends on its condition. */
  readonly cycles: number;
  /** It sets the PC itself (a branch): it can only be a block's last instruction. */
  readonly branches: boolean;
  /**
   * Its JavaScript: registers are the locals `r0`..`r15`, computed flags the booleans `fx`,
   * `fn`, `fz`, `fv`, `fc`; `need` says which flags to compute, `flag` how to read one.
   */
  emit(need: number, flag: (bit: number) => string): string;
}

/** Reads the instruction word at an address (the words are baked in; the region checks them). */
export type WordAt = (address: number) => number;

const FLAG_LOCAL: Record<number, string> = { [X]: 'fx', [N]: 'fn', [Z]: 'fz', [V]: 'fv', [C]: 'fc' };
/** The condition-code bits in the order a region writes them back. */
export const FLAG_BITS = [X, N, Z, V, C] as const;

/** The local a flag's value is computed into. */
export function flagLocal(bit: number): string {
  return FLAG_LOCAL[bit]!;
}

const ALL_FLAGS = X | N | Z | V | C;
const NZVC = N | Z | V | C;

function bit(register: number): number {
  return 1 << register;
}

/** Operand sizes are 1, 2 or 4 bytes. */
function maskOf(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
}
function msbOf(size: number): number {
  return size === 1 ? 0x80 : size === 2 ? 0x8000 : 0x80000000 | 0;
}

/** A data register's value at an operand size (longs int32, others unsigned). */
function dataAt(register: number, size: number): string {
  return size === 4 ? `r${register}` : `(r${register} & ${maskOf(size)})`;
}

/** Stores a size-masked result into the low part of a data register. */
function storeData(register: number, size: number, value: string): string {
  if (size === 4) return `r${register} = ${value};`;
  return `r${register} = (r${register} & ${~maskOf(size) | 0}) | ${value};`;
}

/** Whether the size's sign bit of a masked (or, for longs, int32) value is set. */
function negative(value: string, size: number): string {
  return size === 4 ? `${value} < 0` : `(${value} & ${msbOf(size)}) !== 0`;
}

/** Whether the sign bit of an expression combining masked operands is set. */
function signOf(expression: string, size: number): string {
  return size === 4 ? `(${expression}) < 0` : `((${expression}) & ${msbOf(size)}) !== 0`;
}

/** Assignments of the needed flags; carry goes to C and, when asked, X. */
function setFlags(need: number, f: { n?: string; z?: string; v?: string; c?: string; x?: string }): string {
  const out: string[] = [];
  if ((need & N) !== 0) out.push(`fn = ${f.n};`);
  if ((need & Z) !== 0) out.push(`fz = ${f.z};`);
  if ((need & V) !== 0) out.push(`fv = ${f.v};`);
  if ((need & C) !== 0) out.push(`fc = ${f.c};`);
  if ((need & X) !== 0) out.push((need & C) !== 0 && f.x === f.c ? 'fx = fc;' : `fx = ${f.x};`);
  return out.join(' ');
}

function logicFlags(need: number, result: string, size: number): string {
  return setFlags(need, { n: negative(result, size), z: `${result} === 0`, v: 'false', c: 'false' });
}

/** An operand the form reads: its JavaScript, the registers behind it and its EA time. */
interface Source {
  readonly value: string;
  readonly reads: number;
  readonly cycles: number;
}

/** A register or immediate source operand at `size`, or null for any other mode. */
function sourceOperand(mode: number, reg: number, size: number, extension: number, word: WordAt): Source | null {
  if (mode === 0) return { value: dataAt(reg, size), reads: bit(reg), cycles: 0 };
  if (mode === 1) {
    if (size === 1) return null;
    return { value: size === 4 ? `r${8 + reg}` : `(r${8 + reg} & 0xffff)`, reads: bit(8 + reg), cycles: 0 };
  }
  if (mode === 7 && reg === 4) {
    const value = size === 4 ? ((word(extension) << 16) | word(extension + 2)) | 0 : word(extension) & maskOf(size);
    return { value: String(value), reads: 0, cycles: eaCycles(7, 4, size) };
  }
  return null;
}

/** Bytes of a source operand's extension words. */
function sourceBytes(mode: number, reg: number, size: number): number {
  return mode === 7 && reg === 4 ? (size === 4 ? 4 : 2) : 0;
}

/** The operand size a two-bit size field names (0 byte, 1 word, 2 long). */
function fieldSize(field: number): number {
  return field === 0 ? 1 : field === 1 ? 2 : 4;
}

type AluKind = 'add' | 'sub' | 'cmp' | 'and' | 'or' | 'eor';

/** `d op s` at `size` into `target` (or only flags, for CMP); `withX` for ADD/SUB. */
function aluCode(kind: AluKind, size: number, s: string, d: string, target: number | null, need: number): string {
  const lines = [`const s = ${s}; const d = ${d};`];
  const wrap = (expression: string): string => (size === 4 ? `(${expression}) | 0` : `(${expression}) & ${maskOf(size)}`);
  const msbTest = (expression: string): string => signOf(expression, size);
  switch (kind) {
    case 'add': {
      lines.push(`const res = ${wrap('d + s')};`);
      const carry = msbTest('(s & d) | (~res & (s | d))');
      lines.push(setFlags(need, { n: negative('res', size), z: 'res === 0', v: msbTest('(s ^ res) & (d ^ res)'), c: carry, x: carry }));
      break;
    }
    case 'sub':
    case 'cmp': {
      lines.push(`const res = ${wrap('d - s')};`);
      const carry = msbTest('(s & ~d) | (res & (s | ~d))');
      lines.push(setFlags(need, { n: negative('res', size), z: 'res === 0', v: msbTest('(s ^ d) & (res ^ d)'), c: carry, x: carry }));
      break;
    }
    default: {
      const operator = kind === 'and' ? '&' : kind === 'or' ? '|' : '^';
      lines.push(`const res = d ${operator} s;`);
      lines.push(logicFlags(need, 'res', size));
    }
  }
  if (target !== null && kind !== 'cmp') lines.push(storeData(target, size, 'res'));
  return `{ ${lines.join(' ')} }`;
}

function aluForm(kind: AluKind, size: number, source: Source, dn: number, baseCycles: number): InlineForm {
  const written = kind === 'add' || kind === 'sub' ? ALL_FLAGS : NZVC;
  return {
    reads: source.reads | bit(dn),
    writes: kind === 'cmp' ? 0 : bit(dn),
    flagsRead: 0,
    flagsWritten: written,
    cycles: baseCycles,
    branches: false,
    emit: (need) => aluCode(kind, size, source.value, dataAt(dn, size), kind === 'cmp' ? null : dn, need),
  };
}

/** The condition `cc` (0..15) over the flags as the region sees them. */
export function conditionCode(cc: number, flag: (bit: number) => string): string {
  const n = flag(N);
  const z = flag(Z);
  const v = flag(V);
  const c = flag(C);
  switch (cc) {
    case 0: return 'true';
    case 1: return 'false';
    case 2: return `!${c} && !${z}`;
    case 3: return `(${c} || ${z})`;
    case 4: return `!${c}`;
    case 5: return c;
    case 6: return `!${z}`;
    case 7: return z;
    case 8: return `!${v}`;
    case 9: return v;
    case 10: return `!${n}`;
    case 11: return n;
    case 12: return `(${n} === ${v})`;
    case 13: return `(${n} !== ${v})`;
    case 14: return `(!${z} && ${n} === ${v})`;
    default: return `(${z} || ${n} !== ${v})`;
  }
}

/** The flags condition `cc` reads. */
function conditionFlags(cc: number): number {
  switch (cc) {
    case 0:
    case 1: return 0;
    case 2:
    case 3: return C | Z;
    case 4:
    case 5: return C;
    case 6:
    case 7: return Z;
    case 8:
    case 9: return V;
    case 10:
    case 11: return N;
    case 12:
    case 13: return N | V;
    default: return N | Z | V;
  }
}

/**
 * The inline form of the instruction at `address` with opcode `op`, or null when it must go
 * through its handler (it may touch memory, trap, fault, depend on data for its timing, or is
 * simply not written out here). A branch whose target is odd is never inline (it faults).
 */
export function inlineForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const upper = (op >> 9) & 7;
  switch (op >>> 12) {
    case 0x0:
      return immediateForm(op, address, word);
    case 0x1:
    case 0x2:
    case 0x3:
      return moveForm(op, address, word);
    case 0x4:
      return miscForm(op, address, word);
    case 0x5:
      return quickForm(op, address, word);
    case 0x6:
      return branchForm(op, address, word);
    case 0x7: {
      if ((op & 0x100) !== 0) return null;
      const value = (op << 24) >> 24;
      return {
        reads: 0,
        writes: bit(upper),
        flagsRead: 0,
        flagsWritten: NZVC,
        cycles: 4,
        branches: false,
        emit: (need) => `r${upper} = ${value}; ${logicFlags(need, String(value), 4)}`,
      };
    }
    case 0x8:
    case 0x9:
    case 0xb:
    case 0xc:
    case 0xd:
      return aluFamilyForm(op, address, word, mode, reg, upper);
    case 0xe:
      return shiftForm(op);
    default:
      return null;
  }
}

/** ORI, ANDI, SUBI, ADDI, EORI, CMPI #data,Dn. */
function immediateForm(op: number, address: number, word: WordAt): InlineForm | null {
  if ((op & 0x100) !== 0 || ((op >> 3) & 7) !== 0) return null;
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) return null;
  const kinds: (AluKind | null)[] = ['or', 'and', 'sub', 'add', null, 'eor', 'cmp', null];
  const kind = kinds[(op >> 9) & 7]!;
  if (kind === null) return null;
  const size = fieldSize(sizeField);
  const source = sourceOperand(7, 4, size, address + 2, word)!;
  const cycles = size !== 4 ? 8 : kind === 'cmp' ? 14 : 16;
  return aluForm(kind, size, { ...source, cycles: 0 }, op & 7, cycles);
}

/** MOVE and MOVEA from a register or an immediate to a register. */
function moveForm(op: number, address: number, word: WordAt): InlineForm | null {
  const size = [0, 1, 4, 2][(op >> 12) & 3]!;
  const destMode = (op >> 6) & 7;
  const dest = (op >> 9) & 7;
  if (destMode > 1 || (destMode === 1 && size === 1)) return null;
  const source = sourceOperand((op >> 3) & 7, op & 7, size, address + 2, word);
  if (source === null) return null;
  const cycles = 4 + source.cycles;
  if (destMode === 1) {
    const value = size === 2 ? `(${source.value} << 16) >> 16` : source.value;
    return { reads: source.reads, writes: bit(8 + dest), flagsRead: 0, flagsWritten: 0, cycles, branches: false, emit: () => `r${8 + dest} = ${value};` };
  }
  return {
    reads: source.reads | (size === 4 ? 0 : bit(dest)),
    writes: bit(dest),
    flagsRead: 0,
    flagsWritten: NZVC,
    cycles,
    branches: false,
    emit: (need) => `{ const v = ${source.value}; ${storeData(dest, size, 'v')} ${logicFlags(need, 'v', size)} }`,
  };
}

/** ADD, SUB, CMP, AND, OR <ea>,Dn; ADDA, SUBA, CMPA; EOR Dn,Dm. */
function aluFamilyForm(op: number, address: number, word: WordAt, mode: number, reg: number, upper: number): InlineForm | null {
  const family = op >>> 12;
  const opmode = (op >> 6) & 7;
  const arithmetic = family === 0xd || family === 0x9 || family === 0xb;
  const kind: AluKind = family === 0xd ? 'add' : family === 0x9 ? 'sub' : family === 0xb ? 'cmp' : family === 0xc ? 'and' : 'or';
  if (opmode === 3 || opmode === 7) {
    if (!arithmetic) return null;
    const size = opmode === 3 ? 2 : 4;
    const source = sourceOperand(mode, reg, size, address + 2, word);
    if (source === null) return null;
    const an = 8 + upper;
    const value = size === 2 ? `((${source.value} << 16) >> 16)` : source.value;
    if (kind === 'cmp') {
      return {
        reads: source.reads | bit(an),
        writes: 0,
        flagsRead: 0,
        flagsWritten: NZVC,
        cycles: 6 + source.cycles,
        branches: false,
        emit: (need) => aluCode('cmp', 4, value, `r${an}`, null, need),
      };
    }
    const registerOrImmediate = mode <= 1 || (mode === 7 && reg === 4);
    const cycles = (size === 2 || registerOrImmediate ? 8 : 6) + source.cycles;
    const operator = kind === 'add' ? '+' : '-';
    return { reads: source.reads | bit(an), writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles, branches: false, emit: () => `r${an} = (r${an} ${operator} ${value}) | 0;` };
  }
  if (family === 0xc && (op & 0x100) !== 0 && (op & 0x1f0) !== 0x100) return exgForm(op);
  const size = fieldSize(opmode & 3);
  if (opmode >= 4) {
    // EOR Dn,Dm (CMP's family; the other families' register forms are ADDX, ABCD...).
    if (family !== 0xb || mode !== 0) return null;
    return aluForm('eor', size, { value: dataAt(upper, size), reads: bit(upper), cycles: 0 }, reg, size === 4 ? 8 : 4);
  }
  if (!arithmetic && mode === 1) return null;
  const source = sourceOperand(mode, reg, size, address + 2, word);
  if (source === null) return null;
  const registerOrImmediate = mode <= 1 || (mode === 7 && reg === 4);
  let cycles = 4 + source.cycles;
  if (size === 4) cycles += kind === 'cmp' ? 2 : registerOrImmediate ? 4 : 2;
  return aluForm(kind, size, source, upper, cycles);
}

/** ADDQ/SUBQ #1..8 to a register; Scc Dn; DBcc. */
function quickForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const sizeField = (op >> 6) & 3;
  if (sizeField === 3) {
    const cc = (op >> 8) & 15;
    if (mode === 1) return dbccForm(cc, reg, address, word);
    if (mode !== 0) return null;
    return {
      reads: bit(reg),
      writes: bit(reg),
      flagsRead: conditionFlags(cc),
      flagsWritten: 0,
      cycles: 4,
      branches: false,
      emit: (_need, flag) => `{ const t = ${conditionCode(cc, flag)}; r${reg} = (r${reg} & -256) | (t ? 255 : 0); if (t) cpu.cycles += 2; }`,
    };
  }
  const data = ((op >> 9) & 7) || 8;
  const isAdd = (op & 0x100) === 0;
  if (mode === 1) {
    if (sizeField === 0) return null;
    const an = 8 + reg;
    return { reads: bit(an), writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles: 8, branches: false, emit: () => `r${an} = (r${an} ${isAdd ? '+' : '-'} ${data}) | 0;` };
  }
  if (mode !== 0) return null;
  const size = fieldSize(sizeField);
  return aluForm(isAdd ? 'add' : 'sub', size, { value: String(data), reads: 0, cycles: 0 }, reg, size === 4 ? 8 : 4);
}

function dbccForm(cc: number, dn: number, address: number, word: WordAt): InlineForm | null {
  const target = (address + 2 + ((word(address + 2) << 16) >> 16)) | 0;
  if ((target & 1) !== 0) return null;
  const next = address + 4;
  return {
    reads: bit(dn),
    writes: bit(dn),
    flagsRead: conditionFlags(cc),
    flagsWritten: 0,
    cycles: 0,
    branches: true,
    emit: (_need, flag) =>
      `if (${conditionCode(cc, flag)}) { cpu.pc = ${next}; cpu.cycles += 12; } else { const count = ((r${dn} & 0xffff) - 1) & 0xffff; r${dn} = (r${dn} & -65536) | count; ` +
      `if (count === 0xffff) { cpu.pc = ${next}; cpu.cycles += 14; } else { cpu.pc = ${target}; cpu.cycles += 10; } }`,
  };
}

/** BRA and Bcc (not BSR) to an even target. */
function branchForm(op: number, address: number, word: WordAt): InlineForm | null {
  const cc = (op >> 8) & 15;
  if (cc === 1) return null;
  const short = op & 0xff;
  const displacement = short !== 0 ? (short << 24) >> 24 : (word(address + 2) << 16) >> 16;
  const target = (address + 2 + displacement) | 0;
  if ((target & 1) !== 0) return null;
  const next = address + (short !== 0 ? 2 : 4);
  const notTakenCycles = short !== 0 ? 8 : 12;
  return {
    reads: 0,
    writes: 0,
    flagsRead: conditionFlags(cc),
    flagsWritten: 0,
    cycles: 0,
    branches: true,
    emit: (_need, flag) =>
      cc === 0
        ? `cpu.pc = ${target}; cpu.cycles += 10;`
        : `if (${conditionCode(cc, flag)}) { cpu.pc = ${target}; cpu.cycles += 10; } else { cpu.pc = ${next}; cpu.cycles += ${notTakenCycles}; }`,
  };
}

/** CLR, NEG, NOT, TST on a data register; EXT, SWAP, EXG, LEA. */
function miscForm(op: number, address: number, word: WordAt): InlineForm | null {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  if ((op & 0xf1c0) === 0x41c0) return leaForm(mode, reg, 8 + ((op >> 9) & 7), address, word);
  if ((op & 0xfff8) === 0x4840) {
    return {
      reads: bit(reg),
      writes: bit(reg),
      flagsRead: 0,
      flagsWritten: NZVC,
      cycles: 4,
      branches: false,
      emit: (need) => `r${reg} = (r${reg} >>> 16) | (r${reg} << 16); ${logicFlags(need, `r${reg}`, 4)}`,
    };
  }
  if ((op & 0xfff8) === 0x4880 || (op & 0xfff8) === 0x48c0) {
    const toLong = (op & 0x40) !== 0;
    return {
      reads: bit(reg),
      writes: bit(reg),
      flagsRead: 0,
      flagsWritten: NZVC,
      cycles: 4,
      branches: false,
      emit: (need) =>
        toLong
          ? `r${reg} = (r${reg} << 16) >> 16; ${logicFlags(need, `r${reg}`, 4)}`
          : `{ const v = ((r${reg} << 24) >> 24) & 0xffff; ${storeData(reg, 2, 'v')} ${logicFlags(need, 'v', 2)} }`,
    };
  }
  const sizeField = (op >> 6) & 3;
  const unary = op & 0xff00;
  if (mode !== 0 || sizeField === 3 || (unary !== 0x4200 && unary !== 0x4400 && unary !== 0x4600 && unary !== 0x4a00)) return null;
  const size = fieldSize(sizeField);
  const value = dataAt(reg, size);
  if (unary === 0x4a00) {
    return { reads: bit(reg), writes: 0, flagsRead: 0, flagsWritten: NZVC, cycles: 4, branches: false, emit: (need) => `{ const v = ${value}; ${logicFlags(need, 'v', size)} }` };
  }
  const cycles = size === 4 ? 6 : 4;
  if (unary === 0x4200) {
    return {
      reads: size === 4 ? 0 : bit(reg),
      writes: bit(reg),
      flagsRead: 0,
      flagsWritten: NZVC,
      cycles,
      branches: false,
      emit: (need) => `${storeData(reg, size, '0')} ${setFlags(need, { n: 'false', z: 'true', v: 'false', c: 'false' })}`,
    };
  }
  if (unary === 0x4400) {
    return { reads: bit(reg), writes: bit(reg), flagsRead: 0, flagsWritten: ALL_FLAGS, cycles, branches: false, emit: (need) => aluCode('sub', size, value, '0', reg, need) };
  }
  const not = size === 4 ? `~r${reg}` : `~r${reg} & ${maskOf(size)}`;
  return {
    reads: bit(reg),
    writes: bit(reg),
    flagsRead: 0,
    flagsWritten: NZVC,
    cycles,
    branches: false,
    emit: (need) => `{ const v = ${not}; ${storeData(reg, size, 'v')} ${logicFlags(need, 'v', size)} }`,
  };
}

/** EXG Dx,Dy / Ax,Ay / Dx,Ay. */
function exgForm(op: number): InlineForm | null {
  const kind = (op >> 3) & 0x1f;
  if (kind !== 0x08 && kind !== 0x09 && kind !== 0x11) return null;
  const x = (kind === 0x09 ? 8 : 0) + ((op >> 9) & 7);
  const y = (kind === 0x08 ? 0 : 8) + (op & 7);
  const code = `{ const t = r${x}; r${x} = r${y}; r${y} = t; }`;
  return { reads: bit(x) | bit(y), writes: bit(x) | bit(y), flagsRead: 0, flagsWritten: 0, cycles: 6, branches: false, emit: () => code };
}

/** LEA (An), d16(An), d8(An,Xn), abs.W, abs.L, d16(PC), d8(PC,Xn) into An. */
function leaForm(mode: number, reg: number, an: number, address: number, word: WordAt): InlineForm | null {
  const extension = address + 2;
  let value: string;
  let reads = 0;
  let cycles: number;
  const indexed = (base: string, baseReads: number): void => {
    const ext = word(extension);
    const index = (ext >> 12) & 15;
    const indexValue = (ext & 0x800) !== 0 ? `r${index}` : `((r${index} << 16) >> 16)`;
    value = `(${base} + ${(ext << 24) >> 24} + ${indexValue}) | 0`;
    reads = baseReads | bit(index);
    cycles = 12;
  };
  switch (mode) {
    case 2:
      value = `r${8 + reg}`;
      reads = bit(8 + reg);
      cycles = 4;
      break;
    case 5:
      value = `(r${8 + reg} + ${(word(extension) << 16) >> 16}) | 0`;
      reads = bit(8 + reg);
      cycles = 8;
      break;
    case 6:
      indexed(`r${8 + reg}`, bit(8 + reg));
      break;
    case 7:
      switch (reg) {
        case 0:
          value = String((word(extension) << 16) >> 16);
          cycles = 8;
          break;
        case 1:
          value = String(((word(extension) << 16) | word(extension + 2)) | 0);
          cycles = 12;
          break;
        case 2:
          value = String((extension + ((word(extension) << 16) >> 16)) | 0);
          cycles = 8;
          break;
        case 3:
          indexed(String(extension), 0);
          break;
        default:
          return null;
      }
      break;
    default:
      return null;
  }
  const code = `r${an} = ${value!};`;
  return { reads, writes: bit(an), flagsRead: 0, flagsWritten: 0, cycles: cycles!, branches: false, emit: () => code };
}

/** ASL/ASR, LSL/LSR, ROL/ROR of a data register by an immediate count (1..8). */
function shiftForm(op: number): InlineForm | null {
  const sizeField = (op >> 6) & 3;
  const kind = (op >> 3) & 3;
  if (sizeField === 3 || (op & 0x20) !== 0 || kind === 2) return null;
  const size = fieldSize(sizeField);
  const count = ((op >> 9) & 7) || 8;
  const left = (op & 0x100) !== 0;
  const dn = op & 7;
  const width = size * 8;
  const mask = maskOf(size);
  const rotate = kind === 3;
  const wrap = (expression: string): string => (size === 4 ? `(${expression}) | 0` : `(${expression}) & ${mask}`);
  const code = (need: number): string => {
    const lines = [`const v = ${size === 4 ? `r${dn}` : `r${dn} & ${mask}`};`];
    let carry: string;
    let overflow = 'false';
    if (rotate) {
      lines.push(left ? `const res = ${wrap(`(v << ${count % width}) | (v >>> ${(width - count) % width})`)};` : `const res = ${wrap(`(v >>> ${count % width}) | (v << ${(width - count) % width})`)};`);
      carry = left ? '(res & 1) !== 0' : negative('res', size);
    } else if (left) {
      lines.push(`const res = ${wrap(`v << ${count}`)};`);
      carry = `((v >>> ${width - count}) & 1) !== 0`;
      if (kind === 0) {
        // V: the sign changed at some step, i.e. the bits shifted through the sign position
        // (the top count+1 bits, or all bits and the zero shifted in) are not all equal.
        if (count >= width) overflow = 'v !== 0';
        else {
          const signed = size === 4 ? 'v' : `((v << ${32 - width}) >> ${32 - width})`;
          overflow = `((${signed} >> ${width - 1 - count}) + 1) >>> 1 !== 0`;
        }
      }
    } else if (kind === 0) {
      const signed = size === 4 ? 'v' : `((v << ${32 - width}) >> ${32 - width})`;
      lines.push(`const sv = ${signed};`, `const res = ${wrap(`sv >> ${count}`)};`);
      carry = `((sv >> ${count - 1}) & 1) !== 0`;
    } else {
      lines.push(`const res = ${wrap(`v >>> ${count}`)};`);
      carry = `((v >>> ${count - 1}) & 1) !== 0`;
    }
    lines.push(storeData(dn, size, 'res'));
    lines.push(setFlags(need, { n: negative('res', size), z: 'res === 0', v: overflow, c: carry, x: carry }));
    return `{ ${lines.join(' ')} }`;
  };
  return {
    reads: bit(dn),
    writes: bit(dn),
    flagsRead: 0,
    flagsWritten: rotate ? NZVC : ALL_FLAGS,
    cycles: (size === 4 ? 8 : 6) + 2 * count,
    branches: false,
    emit: code,
  };
}

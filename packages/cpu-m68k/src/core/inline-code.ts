/**
 * The pieces the inline forms are written with: what a form is, how its operands and results
 * read and write the run's register locals, and how it sets and tests condition codes.
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
   * It references memory at a word or long address that may be odd: before it does anything
   * it checks, and leaves the run (`memory.exit`) for the interpreter to take the address error.
   */
  readonly exits?: boolean;
  /** It writes memory, which may hold code: a run ends after it, and the next run checks its words. */
  readonly writesMemory?: boolean;
  /**
   * It references data memory. Through a bus that can fault, any reference may leave the run:
   * a bus fault leaves it with the state as it was before the instruction (`memory.exit`).
   */
  readonly memory?: boolean;
  /**
   * Its JavaScript: registers are the locals `r0`..`r15`, computed flags the booleans `fx`,
   * `fn`, `fz`, `fv`, `fc`; `need` says which flags to compute, `flag` how to read one; memory
   * is the flat bus's `mem`, addressed through `memory.mask`, or a page window (`memory.pages`).
   */
  emit(need: number, flag: (bit: number) => string, memory: MemoryContext): string;
}

/** What a form that references memory needs from the run it is compiled into. */
export interface MemoryContext {
  /** The flat memory's address mask. */
  readonly mask: number;
  /** A statement that leaves the run with the state as it was before this instruction. */
  readonly exit: string;
  /**
   * Data goes through a bus's page window instead of flat memory: the bytes are the local
   * `mem` at physical addresses; each reference in the code caches the page it last reached
   * in the local `Int32Array` `dc` (page number and physical base, at the slots its
   * {@link PagesContext.site} gives); a page not cached is asked of the window `pages` by
   * `pageFor` (which fills the slots); and where the window cannot take a reference (it
   * would fault, or it crosses a page) the code leaves by `exit`, for the interpreter to make
   * the instruction's references through the bus.
   */
  readonly pages?: PagesContext;
}

/** The page window a run's data goes through (see {@link MemoryContext.pages}). */
export interface PagesContext {
  /** log2 of the page size. */
  readonly shift: number;
  /** The page size in bytes. */
  readonly size: number;
  /** A new reference site: its cache is `dc[3 * site]` (page number) and `dc[3 * site + 1]` (the page's physical start). */
  site(): number;
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

export const ALL_FLAGS = X | N | Z | V | C;
export const NZVC = N | Z | V | C;

export function bit(register: number): number {
  return 1 << register;
}

/** Operand sizes are 1, 2 or 4 bytes. */
export function maskOf(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
}
export function msbOf(size: number): number {
  return size === 1 ? 0x80 : size === 2 ? 0x8000 : 0x80000000 | 0;
}

/** A data register's value at an operand size (longs int32, others unsigned). */
export function dataAt(register: number, size: number): string {
  return size === 4 ? `r${register}` : `(r${register} & ${maskOf(size)})`;
}

/** Stores a size-masked result into the low part of a data register. */
export function storeData(register: number, size: number, value: string): string {
  if (size === 4) return `r${register} = ${value};`;
  return `r${register} = (r${register} & ${~maskOf(size) | 0}) | ${value};`;
}

/** Whether the size's sign bit of a masked (or, for longs, int32) value is set. */
export function negative(value: string, size: number): string {
  return size === 4 ? `${value} < 0` : `(${value} & ${msbOf(size)}) !== 0`;
}

/** Whether the sign bit of an expression combining masked operands is set. */
export function signOf(expression: string, size: number): string {
  return size === 4 ? `(${expression}) < 0` : `((${expression}) & ${msbOf(size)}) !== 0`;
}

/** Assignments of the needed flags; carry goes to C and, when asked, X. */
export function setFlags(need: number, f: { n?: string; z?: string; v?: string; c?: string; x?: string }): string {
  const out: string[] = [];
  if ((need & N) !== 0) out.push(`fn = ${f.n};`);
  if ((need & Z) !== 0) out.push(`fz = ${f.z};`);
  if ((need & V) !== 0) out.push(`fv = ${f.v};`);
  if ((need & C) !== 0) out.push(`fc = ${f.c};`);
  if ((need & X) !== 0) out.push((need & C) !== 0 && f.x === f.c ? 'fx = fc;' : `fx = ${f.x};`);
  return out.join(' ');
}

export function logicFlags(need: number, result: string, size: number): string {
  return setFlags(need, { n: negative(result, size), z: `${result} === 0`, v: 'false', c: 'false' });
}

/** An operand the form reads: its JavaScript, the registers behind it and its EA time. */
export interface Source {
  readonly value: string;
  readonly reads: number;
  readonly cycles: number;
}

/** A register or immediate source operand at `size`, or null for any other mode. */
export function sourceOperand(mode: number, reg: number, size: number, extension: number, word: WordAt): Source | null {
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

/** The operand size a two-bit size field names (0 byte, 1 word, 2 long). */
export function fieldSize(field: number): number {
  return field === 0 ? 1 : field === 1 ? 2 : 4;
}

export type AluKind = 'add' | 'sub' | 'cmp' | 'and' | 'or' | 'eor';

const IMMEDIATE_KINDS: readonly (AluKind | null)[] = ['or', 'and', 'sub', 'add', null, 'eor', 'cmp', null];

/**
 * The operation of an immediate form (ORI, ANDI, SUBI, ADDI, EORI, CMPI) from bits 11-9 of
 * its opcode, or null for the static bit operations and the unassigned row.
 */
export function immediateKind(op: number): AluKind | null {
  return IMMEDIATE_KINDS[(op >> 9) & 7]!;
}

/**
 * Statements declaring `s`, `d` and `res = d op s` at `size` (masked; int32 for longs) and
 * setting the needed flags. CMP is SUB whose result is not stored; ADD and SUB also set X.
 */
export function aluStatements(kind: AluKind, size: number, s: string, d: string, need: number): string {
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
    case 'and':
    case 'or':
    case 'eor': {
      const operator = kind === 'and' ? '&' : kind === 'or' ? '|' : '^';
      lines.push(`const res = d ${operator} s;`);
      lines.push(logicFlags(need, 'res', size));
    }
  }
  return lines.join(' ');
}

/** `d op s` at `size`, stored into data register `target` (none for CMP), as one block. */
export function aluCode(kind: AluKind, size: number, s: string, d: string, target: number | null, need: number): string {
  const store = target !== null && kind !== 'cmp' ? ` ${storeData(target, size, 'res')}` : '';
  return `{ ${aluStatements(kind, size, s, d, need)}${store} }`;
}

/** The flags an ALU operation always writes: X too for ADD and SUB. */
export function aluFlags(kind: AluKind): number {
  return kind === 'add' || kind === 'sub' ? ALL_FLAGS : NZVC;
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
export function conditionFlags(cc: number): number {
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

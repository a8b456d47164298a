/**
 * Arithmetic and logic with 68000 condition codes. Operands of byte and word size are
 * unsigned and already masked; longs are int32. Each function returns the masked result and
 * updates the CCR bits of `cpu.sr`.
 */
import type { M68000 } from './cpu.js';
import { C, N, SIZE_MASK, SIZE_MSB, V, X, Z } from './constants.js';

/** N and Z of a masked result. */
export function nz(result: number, msb: number): number {
  return ((result & msb) !== 0 ? N : 0) | (result === 0 ? Z : 0);
}

/** Sets N and Z from `result`, clears V and C, keeps X (logic ops, MOVE, TST...). */
export function setLogicFlags(cpu: M68000, result: number, size: number): void {
  cpu.sr = (cpu.sr & 0xfff0) | nz(result, SIZE_MSB[size]!);
}

/** destination + source. */
export function add(cpu: M68000, source: number, dest: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const res = (source + dest) & SIZE_MASK[size]!;
  const carry = ((source & dest) | (~res & (source | dest))) & msb;
  const overflow = (source ^ res) & (dest ^ res) & msb;
  cpu.sr = (cpu.sr & 0xffe0) | nz(res, msb) | (overflow !== 0 ? V : 0) | (carry !== 0 ? C | X : 0);
  return res;
}

/** destination - source. */
export function sub(cpu: M68000, source: number, dest: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const res = (dest - source) & SIZE_MASK[size]!;
  const carry = ((source & ~dest) | (res & (source | ~dest))) & msb;
  const overflow = (source ^ dest) & (res ^ dest) & msb;
  cpu.sr = (cpu.sr & 0xffe0) | nz(res, msb) | (overflow !== 0 ? V : 0) | (carry !== 0 ? C | X : 0);
  return res;
}

/** destination - source, flags only (X kept). */
export function cmp(cpu: M68000, source: number, dest: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const res = (dest - source) & SIZE_MASK[size]!;
  const carry = ((source & ~dest) | (res & (source | ~dest))) & msb;
  const overflow = (source ^ dest) & (res ^ dest) & msb;
  cpu.sr = (cpu.sr & 0xfff0) | nz(res, msb) | (overflow !== 0 ? V : 0) | (carry !== 0 ? C : 0);
  return dest;
}

export function and(cpu: M68000, source: number, dest: number, size: number): number {
  const res = source & dest;
  cpu.sr = (cpu.sr & 0xfff0) | nz(res, SIZE_MSB[size]!);
  return res;
}

export function or(cpu: M68000, source: number, dest: number, size: number): number {
  const res = source | dest;
  cpu.sr = (cpu.sr & 0xfff0) | nz(res, SIZE_MSB[size]!);
  return res;
}

export function eor(cpu: M68000, source: number, dest: number, size: number): number {
  const res = source ^ dest;
  cpu.sr = (cpu.sr & 0xfff0) | nz(res, SIZE_MSB[size]!);
  return res;
}

/** destination + source + X; Z is only ever cleared (for multi-precision chains). */
export function addx(cpu: M68000, source: number, dest: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const x = (cpu.sr >> 4) & 1;
  const res = (source + dest + x) & SIZE_MASK[size]!;
  const carry = ((source & dest) | (~res & (source | dest))) & msb;
  const overflow = (source ^ res) & (dest ^ res) & msb;
  const sr = cpu.sr;
  cpu.sr =
    (sr & 0xffe0) |
    ((res & msb) !== 0 ? N : 0) |
    (res === 0 ? sr & Z : 0) |
    (overflow !== 0 ? V : 0) |
    (carry !== 0 ? C | X : 0);
  return res;
}

/** destination - source - X; Z is only ever cleared. */
export function subx(cpu: M68000, source: number, dest: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const x = (cpu.sr >> 4) & 1;
  const res = (dest - source - x) & SIZE_MASK[size]!;
  const carry = ((source & ~dest) | (res & (source | ~dest))) & msb;
  const overflow = (source ^ dest) & (res ^ dest) & msb;
  const sr = cpu.sr;
  cpu.sr =
    (sr & 0xffe0) |
    ((res & msb) !== 0 ? N : 0) |
    (res === 0 ? sr & Z : 0) |
    (overflow !== 0 ? V : 0) |
    (carry !== 0 ? C | X : 0);
  return res;
}

/** A two-operand ALU operation: returns the value to store (CMP returns the destination unchanged). */
export type AluOp = (cpu: M68000, source: number, dest: number, size: number) => number;

/** Sign-extends a word to int32. */
export function signWord(v: number): number {
  return (v << 16) >> 16;
}

/** Sign-extends a byte to int32. */
export function signByte(v: number): number {
  return (v << 24) >> 24;
}

/** Evaluates condition `cc` (0..15) against the CCR. */
export function testCondition(sr: number, cc: number): boolean {
  switch (cc) {
    case 0: return true;
    case 1: return false;
    case 2: return (sr & (C | Z)) === 0; // HI
    case 3: return (sr & (C | Z)) !== 0; // LS
    case 4: return (sr & C) === 0; // CC
    case 5: return (sr & C) !== 0; // CS
    case 6: return (sr & Z) === 0; // NE
    case 7: return (sr & Z) !== 0; // EQ
    case 8: return (sr & V) === 0; // VC
    case 9: return (sr & V) !== 0; // VS
    case 10: return (sr & N) === 0; // PL
    case 11: return (sr & N) !== 0; // MI
    case 12: return ((sr ^ (sr << 2)) & N) === 0; // GE: N == V
    case 13: return ((sr ^ (sr << 2)) & N) !== 0; // LT
    case 14: return (sr & Z) === 0 && ((sr ^ (sr << 2)) & N) === 0; // GT
    default: return (sr & Z) !== 0 || ((sr ^ (sr << 2)) & N) !== 0; // LE
  }
}

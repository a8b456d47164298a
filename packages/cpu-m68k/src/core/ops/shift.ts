/** Shifts and rotates: ASL/ASR, LSL/LSR, ROXL/ROXR, ROL/ROR, register and memory forms. */
import { nz } from '../alu.js';
import { C, SIZE_MSB, V, X } from '../constants.js';
import type { M68000 } from '../cpu.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';

/** Shift kinds as the opcode's type field numbers them. */
export const SHIFT_AS = 0;
export const SHIFT_LS = 1;
export const SHIFT_ROX = 2;
export const SHIFT_RO = 3;

/**
 * Shifts `value` (masked to `size`) `count` times and sets the flags. Works one bit at a time
 * so that every flag rule (V of ASL, X through ROX, counts beyond the width) falls out of the
 * definition rather than special cases.
 */
export function shiftValue(cpu: M68000, kind: number, left: boolean, value: number, count: number, size: number): number {
  const msb = SIZE_MSB[size]!;
  const mask = size === 4 ? 0xffffffff : size === 1 ? 0xff : 0xffff;
  let v = value >>> 0;
  const sr = cpu.sr;
  let x = (sr >> 4) & 1;
  let carry = 0;
  let overflow = 0;
  if (left) {
    for (let i = 0; i < count; i++) {
      const out = (v & msb) !== 0 ? 1 : 0;
      let next = ((v << 1) & mask) >>> 0;
      if (kind === SHIFT_ROX) next |= x;
      else if (kind === SHIFT_RO) next |= out;
      if (kind === SHIFT_AS && ((next ^ v) & msb) !== 0) overflow = 1;
      v = next >>> 0;
      carry = out;
      if (kind !== SHIFT_RO) x = out;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const out = v & 1;
      let next = v >>> 1;
      if (kind === SHIFT_AS) next |= v & msb;
      else if (kind === SHIFT_ROX) next |= x !== 0 ? msb : 0;
      else if (kind === SHIFT_RO) next |= out !== 0 ? msb : 0;
      v = next >>> 0;
      carry = out;
      if (kind !== SHIFT_RO) x = out;
    }
  }
  const result = size === 4 ? v | 0 : v;
  let ccr = nz(result, msb) | (overflow !== 0 ? V : 0);
  if (kind === SHIFT_ROX) {
    ccr |= x !== 0 ? C | X : 0;
  } else if (count === 0) {
    ccr |= sr & X;
  } else {
    ccr |= carry !== 0 ? C : 0;
    ccr |= kind === SHIFT_RO ? sr & X : x !== 0 ? X : 0;
  }
  cpu.sr = (sr & 0xffe0) | ccr;
  return result;
}

/** Register shift by an immediate count (1..8) or by Dc mod 64. */
export function shiftRegister(kind: number, left: boolean, size: number, countField: number, countInRegister: boolean, reg: number): Handler {
  const base = size === 4 ? 8 : 6;
  const immediateCount = countField === 0 ? 8 : countField;
  return (cpu) => {
    const count = countInRegister ? cpu.r[countField]! & 63 : immediateCount;
    const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
    cpu.writeD(reg, size, shiftValue(cpu, kind, left, cpu.r[reg]! & mask, count, size));
    cpu.cycles += base + 2 * count;
  };
}

/** Memory shift: a word, one bit. */
export function shiftMemory(kind: number, left: boolean, mode: number, reg: number): Handler {
  const cycles = 8 + eaCycles(mode, reg, 2);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, 2);
    const v = cpu.readSized(address, 2);
    cpu.write16(address, shiftValue(cpu, kind, left, v, 1, 2));
    cpu.cycles += cycles;
  };
}

/** Single-operand operations: NEG, NEGX, NOT, CLR, TST. */
import { setLogicFlags, sub, subx } from '../alu.js';
import type { M68000 } from '../cpu.js';
import type { Handler } from '../handler.js';
import { tstLongData } from './fast.js';
import { eaCycles } from '../timing.js';

type UnaryOp = (cpu: M68000, value: number, size: number) => number;

const neg: UnaryOp = (cpu, v, size) => sub(cpu, v, 0, size);
const negx: UnaryOp = (cpu, v, size) => subx(cpu, v, 0, size);
const not: UnaryOp = (cpu, v, size) => {
  const res = ~v & (size === 4 ? -1 : size === 1 ? 0xff : 0xffff);
  setLogicFlags(cpu, res, size);
  return res;
};
const clr: UnaryOp = (cpu) => {
  cpu.sr = (cpu.sr & 0xfff0) | 0x4;
  return 0;
};

/** The read-modify-write unary operations by name. */
export const UNARY_OPS = { neg, negx, not, clr } as const;

/** NEG/NEGX/NOT/CLR <ea>. CLR reads its memory operand first, as the 68000 does. */
export function unary(op: UnaryOp, size: number, mode: number, reg: number): Handler {
  if (mode === 0) {
    const cycles = size === 4 ? 6 : 4;
    return (cpu) => {
      const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
      cpu.writeD(reg, size, op(cpu, cpu.r[reg]! & mask, size));
      cpu.cycles += cycles;
    };
  }
  const cycles = (size === 4 ? 12 : 8) + eaCycles(mode, reg, size);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, size);
    const v = cpu.readSized(address, size);
    cpu.writeSized(address, size, op(cpu, v, size));
    cpu.cycles += cycles;
  };
}

/** TST <ea>. */
export function tst(size: number, mode: number, reg: number): Handler {
  const cycles = 4 + eaCycles(mode, reg, size);
  if (mode === 0 && size === 4) return tstLongData(reg);
  return (cpu) => {
    setLogicFlags(cpu, cpu.readEa(mode, reg, size), size);
    cpu.cycles += cycles;
  };
}

/** ABCD, SBCD, NBCD: packed-decimal arithmetic through X, with the 68000's V behaviour. */
import { C, N, V, X, Z } from '../constants.js';
import type { M68000 } from '../cpu.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';
import { readPredecrement, writeBackPredecrement } from './arith.js';

function setBcdFlags(cpu: M68000, res: number, carry: boolean, overflow: boolean): void {
  const sr = cpu.sr;
  cpu.sr =
    (sr & 0xffe0) |
    ((res & 0x80) !== 0 ? N : 0) |
    (res === 0 ? sr & Z : 0) |
    (overflow ? V : 0) |
    (carry ? C | X : 0);
}

/**
 * destination + source + X in BCD. The correction is derived from the binary carries out of
 * bits 3 and 7 and the decimal carries, which reproduces the 68000 on invalid BCD digits too.
 */
export function abcdValue(cpu: M68000, source: number, dest: number): number {
  const x = (cpu.sr >> 4) & 1;
  const sum = source + dest + x;
  const binaryCarries = ((source & dest) | (~sum & (source | dest))) & 0x88;
  const decimalCarries = (((sum + 0x66) ^ sum) & 0x110) >> 1;
  const carries = binaryCarries | decimalCarries;
  const res = sum + carries - (carries >> 2);
  setBcdFlags(cpu, res & 0xff, ((binaryCarries | (sum & ~res)) & 0x80) !== 0, (~sum & res & 0x80) !== 0);
  return res & 0xff;
}

/** destination - source - X in BCD. */
export function sbcdValue(cpu: M68000, source: number, dest: number): number {
  const x = (cpu.sr >> 4) & 1;
  const difference = dest - source - x;
  const borrows = ((~dest & source) | (difference & ~dest) | (difference & source)) & 0x88;
  const res = difference - (borrows - (borrows >> 2));
  setBcdFlags(cpu, res & 0xff, ((borrows | (~difference & res)) & 0x80) !== 0, (difference & ~res & 0x80) !== 0);
  return res & 0xff;
}

/** ABCD/SBCD Dy,Dx or -(Ay),-(Ax). */
export function bcdOp(isAdd: boolean, memory: boolean, ry: number, rx: number): Handler {
  const op = isAdd ? abcdValue : sbcdValue;
  if (!memory) {
    return (cpu) => {
      cpu.writeD(rx, 1, op(cpu, cpu.r[ry]! & 0xff, cpu.r[rx]! & 0xff));
      cpu.cycles += 6;
    };
  }
  return (cpu) => {
    cpu.faultPc = cpu.pc + 2;
    const s = readPredecrement(cpu, ry, 1);
    const d = readPredecrement(cpu, rx, 1);
    writeBackPredecrement(cpu, rx, 1, op(cpu, s, d));
    cpu.cycles += 18;
  };
}

/** NBCD <ea>: 0 - destination - X in BCD. */
export function nbcd(mode: number, reg: number): Handler {
  const cycles = mode === 0 ? 6 : 8 + eaCycles(mode, reg, 1);
  return (cpu) => {
    if (mode === 0) {
      cpu.writeD(reg, 1, sbcdValue(cpu, cpu.r[reg]! & 0xff, 0));
    } else {
      const address = cpu.eaAddress(mode, reg, 1);
      const v = cpu.readSized(address, 1);
      cpu.write8(address, sbcdValue(cpu, v, 0));
    }
    cpu.cycles += cycles;
  };
}

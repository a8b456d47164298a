/** MULU, MULS, DIVU, DIVS (16x16->32 and 32/16->16r16). */
import { nz } from '../alu.js';
import { N, V, VEC_ZERO_DIVIDE, Z } from '../constants.js';
import type { Handler } from '../handler.js';
import { divsCycles, divuCycles, eaCycles, mulsCycles, muluCycles } from '../timing.js';

/** MULU/MULS <ea>,Dn. */
export function multiply(signed: boolean, mode: number, reg: number, dn: number): Handler {
  const ea = eaCycles(mode, reg, 2);
  return (cpu) => {
    const s = cpu.readEa(mode, reg, 2);
    const d = cpu.r[dn]! & 0xffff;
    let res: number;
    if (signed) {
      res = Math.imul((s << 16) >> 16, (d << 16) >> 16);
      cpu.cycles += mulsCycles(s) + ea;
    } else {
      res = Math.imul(s, d);
      cpu.cycles += muluCycles(s) + ea;
    }
    cpu.r[dn] = res;
    cpu.sr = (cpu.sr & 0xfff0) | nz(res, -0x80000000);
  };
}

/**
 * DIVU/DIVS <ea>,Dn. Division by zero traps (vector 5) with the PC of the next instruction;
 * an overflowing quotient sets V and leaves Dn unchanged.
 */
export function divide(signed: boolean, mode: number, reg: number, dn: number): Handler {
  const ea = eaCycles(mode, reg, 2);
  return (cpu) => {
    const s = cpu.readEa(mode, reg, 2);
    const dividend = cpu.r[dn]!;
    if (s === 0) {
      cpu.sr &= 0xfff0;
      cpu.cycles += ea + 4;
      cpu.trapException(VEC_ZERO_DIVIDE, cpu.pc);
      return;
    }
    if (signed) {
      const divisor = (s << 16) >> 16;
      cpu.cycles += divsCycles(dividend, divisor) + ea;
      const quotient = Math.trunc(dividend / divisor);
      const remainder = dividend % divisor;
      if (quotient > 32767 || quotient < -32768) {
        cpu.sr = (cpu.sr & 0xfff0) | V | N;
        return;
      }
      cpu.r[dn] = ((remainder & 0xffff) << 16) | (quotient & 0xffff);
      cpu.sr = (cpu.sr & 0xfff0) | nz(quotient & 0xffff, 0x8000);
    } else {
      const u = dividend >>> 0;
      cpu.cycles += divuCycles(u, s) + ea;
      const quotient = Math.floor(u / s);
      if (quotient > 0xffff) {
        cpu.sr = (cpu.sr & 0xfff0) | V | N;
        return;
      }
      const remainder = u - quotient * s;
      cpu.r[dn] = (remainder << 16) | quotient;
      cpu.sr = (cpu.sr & 0xfff0) | ((quotient & 0x8000) !== 0 ? N : 0) | (quotient === 0 ? Z : 0);
    }
  };
}

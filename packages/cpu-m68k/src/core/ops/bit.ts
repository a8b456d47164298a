/** BTST, BCHG, BCLR, BSET with a dynamic (Dn) or static (#) bit number. */
import { Z } from '../constants.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';

/** The bit operations in opcode order. */
export const BIT_TST = 0;
export const BIT_CHG = 1;
export const BIT_CLR = 2;
export const BIT_SET = 3;

function apply(kind: number, value: number, mask: number): number {
  if (kind === BIT_CHG) return value ^ mask;
  if (kind === BIT_CLR) return value & ~mask;
  return value | mask;
}

/**
 * `kind` on bit `Dn` (dynamic, `bitRegister` >= 0) or bit `#n` (static, `bitRegister` = -1) of
 * a data register (long, bit mod 32) or a memory byte (bit mod 8).
 */
export function bitOp(kind: number, bitRegister: number, mode: number, reg: number): Handler {
  const isStatic = bitRegister < 0;
  if (mode === 0) {
    return (cpu) => {
      const bit = (isStatic ? cpu.fetchWord() : cpu.r[bitRegister]!) & 31;
      const mask = 1 << bit;
      const v = cpu.r[reg]!;
      cpu.sr = (cpu.sr & ~Z) | ((v & mask) === 0 ? Z : 0);
      let cycles: number;
      if (kind === BIT_TST) {
        cycles = 6;
      } else {
        cpu.r[reg] = apply(kind, v, mask);
        cycles = (kind === BIT_CLR ? 8 : 6) + (bit >= 16 ? 2 : 0);
      }
      cpu.cycles += cycles + (isStatic ? 4 : 0);
    };
  }
  const cycles = (kind === BIT_TST ? 4 : 8) + (isStatic ? 4 : 0) + eaCycles(mode, reg, 1);
  if (mode === 7 && reg === 4) {
    // BTST Dn,#data: the operand is the immediate byte.
    const immediateCycles = 10;
    return (cpu) => {
      const bit = cpu.r[bitRegister]! & 7;
      const v = cpu.fetchWord() & 0xff;
      cpu.sr = (cpu.sr & ~Z) | ((v & (1 << bit)) === 0 ? Z : 0);
      cpu.cycles += immediateCycles;
    };
  }
  return (cpu) => {
    const bit = (isStatic ? cpu.fetchWord() : cpu.r[bitRegister]!) & 7;
    const mask = 1 << bit;
    const address = cpu.eaAddress(mode, reg, 1);
    const v = cpu.readSized(address, 1);
    cpu.sr = (cpu.sr & ~Z) | ((v & mask) === 0 ? Z : 0);
    if (kind !== BIT_TST) cpu.write8(address, apply(kind, v, mask));
    cpu.cycles += cycles;
  };
}

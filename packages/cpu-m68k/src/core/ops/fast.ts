/**
 * Specialised handlers for the forms compiled code runs most: ADD.L, SUB.L, CMP.L, AND.L,
 * OR.L, EOR.L between registers or from memory to a data register; MOVE.L/MOVEA.L/ADDA.L/
 * SUBA.L from a register; MOVE <mem>,Dn; MOVE.L Rs,(An) and d16(An); MOVEA.L <mem>,An;
 * ADDQ/SUBQ.L to a data register; TST.L Dn; LSR/LSL/ASR on a data register; BTST #n,Dn.
 *
 * Each is its own function literal, so V8 keeps type feedback and optimised code per form
 * (closures from one literal share both), and each computes its flags inline. Semantics,
 * cycle counts and the state a faulting reference leaves are exactly those of the generic
 * handlers they stand in for (arith.ts, move.ts, shift.ts, bit.ts, unary.ts): the decoder
 * picks these only for the forms written out here.
 */
import { C, N, V, X, Z } from '../constants.js';
import type { Handler } from '../handler.js';

/** `<Rs>.L op Dn -> Dn` for ADD, SUB, AND, OR, and CMP.L Rs,Dn; `src` is 0..15. */
export function aluLongRegister(kind: 'add' | 'sub' | 'cmp' | 'and' | 'or', src: number, dn: number): Handler | null {
  switch (kind) {
    case 'add':
      return (cpu) => {
        const r = cpu.r;
        const s = r[src]!;
        const d = r[dn]!;
        const res = (s + d) | 0;
        r[dn] = res;
        cpu.sr =
          (cpu.sr & 0xffe0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ res) & (d ^ res)) < 0 ? V : 0) |
          (((s & d) | (~res & (s | d))) < 0 ? C | X : 0);
        cpu.cycles += 8;
      };
    case 'sub':
      return (cpu) => {
        const r = cpu.r;
        const s = r[src]!;
        const d = r[dn]!;
        const res = (d - s) | 0;
        r[dn] = res;
        cpu.sr =
          (cpu.sr & 0xffe0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ d) & (res ^ d)) < 0 ? V : 0) |
          (((s & ~d) | (res & (s | ~d))) < 0 ? C | X : 0);
        cpu.cycles += 8;
      };
    case 'cmp':
      return (cpu) => {
        const r = cpu.r;
        const s = r[src]!;
        const d = r[dn]!;
        const res = (d - s) | 0;
        cpu.sr =
          (cpu.sr & 0xfff0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ d) & (res ^ d)) < 0 ? V : 0) |
          (((s & ~d) | (res & (s | ~d))) < 0 ? C : 0);
        cpu.cycles += 6;
      };
    case 'and':
      return (cpu) => {
        const r = cpu.r;
        const res = r[src]! & r[dn]!;
        r[dn] = res;
        cpu.sr = (cpu.sr & 0xfff0) | (res < 0 ? N : 0) | (res === 0 ? Z : 0);
        cpu.cycles += 8;
      };
    case 'or':
      return (cpu) => {
        const r = cpu.r;
        const res = r[src]! | r[dn]!;
        r[dn] = res;
        cpu.sr = (cpu.sr & 0xfff0) | (res < 0 ? N : 0) | (res === 0 ? Z : 0);
        cpu.cycles += 8;
      };
    default:
      return null;
  }
}

/** EOR.L Dn,Dm. */
export function eorLongRegister(dn: number, dm: number): Handler {
  return (cpu) => {
    const r = cpu.r;
    const res = r[dn]! ^ r[dm]!;
    r[dm] = res;
    cpu.sr = (cpu.sr & 0xfff0) | (res < 0 ? N : 0) | (res === 0 ? Z : 0);
    cpu.cycles += 8;
  };
}

/** MOVE.L Rs,Dn (`src` 0..15). */
export function moveLongRegister(src: number, dn: number): Handler {
  return (cpu) => {
    const r = cpu.r;
    const v = r[src]!;
    r[dn] = v;
    cpu.sr = (cpu.sr & 0xfff0) | (v < 0 ? N : 0) | (v === 0 ? Z : 0);
    cpu.cycles += 4;
  };
}

/** MOVEA.L Rs,An (`src` 0..15). */
export function moveaLongRegister(src: number, an: number): Handler {
  return (cpu) => {
    const r = cpu.r;
    r[8 + an] = r[src]!;
    cpu.cycles += 4;
  };
}

/** ADDA.L / SUBA.L Rs,An (`src` 0..15). */
export function addaLongRegister(isAdd: boolean, src: number, an: number): Handler {
  if (isAdd) {
    return (cpu) => {
      const r = cpu.r;
      r[8 + an] = r[8 + an]! + r[src]!;
      cpu.cycles += 8;
    };
  }
  return (cpu) => {
    const r = cpu.r;
    r[8 + an] = r[8 + an]! - r[src]!;
    cpu.cycles += 8;
  };
}

/** ADDQ.L / SUBQ.L #data,Dn. */
export function quickLongData(isAdd: boolean, data: number, dn: number): Handler {
  if (isAdd) {
    return (cpu) => {
      const r = cpu.r;
      const d = r[dn]!;
      const res = (d + data) | 0;
      r[dn] = res;
      // source = data (positive, < 2^31): carry and overflow reduce to these tests.
      cpu.sr =
        (cpu.sr & 0xffe0) |
        (res < 0 ? N : 0) |
        (res === 0 ? Z : 0) |
        ((~d & res) < 0 ? V : 0) |
        ((d & ~res) < 0 ? C | X : 0);
      cpu.cycles += 8;
    };
  }
  return (cpu) => {
    const r = cpu.r;
    const d = r[dn]!;
    const res = (d - data) | 0;
    r[dn] = res;
    cpu.sr =
      (cpu.sr & 0xffe0) |
      (res < 0 ? N : 0) |
      (res === 0 ? Z : 0) |
      ((d & ~res) < 0 ? V : 0) |
      ((~d & res) < 0 ? C | X : 0);
    cpu.cycles += 8;
  };
}

/** BTST #n,Dn: the bit number is the extension word's low 5 bits. */
export function btstImmediateRegister(dn: number): Handler {
  return (cpu) => {
    const bit = cpu.fetchWord() & 31;
    cpu.sr = (cpu.sr & ~Z) | ((cpu.r[dn]! & (1 << bit)) === 0 ? Z : 0);
    cpu.cycles += 10;
  };
}

/**
 * LSL/LSR/ASR on a data register, by an immediate count (`countRegister` -1) or by Dc mod 64,
 * in closed form. Flags as the bit-at-a-time definition in shift.ts gives them: V clear, C the
 * last bit shifted out (clear for a zero count), X = C unless the count is zero.
 */
export function shiftRegisterFast(kind: 'lsl' | 'lsr' | 'asr', size: number, countRegister: number, immediateCount: number, reg: number): Handler {
  const width = size * 8;
  const mask = size === 4 ? 0xffffffff : size === 1 ? 0xff : 0xffff;
  const msb = size === 4 ? 0x80000000 : size === 1 ? 0x80 : 0x8000;
  const keep = size === 4 ? 0 : size === 1 ? ~0xff : ~0xffff;
  const base = size === 4 ? 8 : 6;
  const finish = (cpu: Parameters<Handler>[0], v: number, carry: number, count: number): void => {
    const r = cpu.r;
    r[reg] = (r[reg]! & keep) | v;
    const sr = cpu.sr;
    cpu.sr =
      (sr & 0xffe0) |
      ((v & msb) !== 0 ? N : 0) |
      (v === 0 ? Z : 0) |
      (count === 0 ? sr & X : carry !== 0 ? C | X : 0);
    cpu.cycles += base + 2 * count;
  };
  if (kind === 'lsr') {
    return (cpu) => {
      const count = countRegister >= 0 ? cpu.r[countRegister]! & 63 : immediateCount;
      const value = (cpu.r[reg]! & mask) >>> 0;
      let v = 0;
      let carry = 0;
      if (count === 0) {
        v = value;
      } else if (count <= width) {
        v = count === 32 ? 0 : value >>> count;
        carry = (value >>> (count - 1)) & 1;
      }
      finish(cpu, v, carry, count);
    };
  }
  if (kind === 'lsl') {
    return (cpu) => {
      const count = countRegister >= 0 ? cpu.r[countRegister]! & 63 : immediateCount;
      const value = (cpu.r[reg]! & mask) >>> 0;
      let v = 0;
      let carry = 0;
      if (count === 0) {
        v = value;
      } else if (count <= width) {
        v = count === 32 ? 0 : ((value << count) & mask) >>> 0;
        carry = (value >>> (width - count)) & 1;
      }
      finish(cpu, v, carry, count);
    };
  }
  return (cpu) => {
    const count = countRegister >= 0 ? cpu.r[countRegister]! & 63 : immediateCount;
    const value = (cpu.r[reg]! & mask) >>> 0;
    // The value sign-extended to 32 bits.
    const signed = (value << (32 - width)) >> (32 - width);
    let v: number;
    let carry = 0;
    if (count === 0) {
      v = value;
    } else if (count < width) {
      v = ((signed >> count) & mask) >>> 0;
      carry = (signed >> (count - 1)) & 1;
    } else {
      v = signed < 0 ? mask : 0;
      carry = signed < 0 ? 1 : 0;
    }
    finish(cpu, v, carry, count);
  };
}

/**
 * MOVE.L Rs,(An) and MOVE.L Rs,d16(An) (`src` 0..15, `dmode` 2 or 5): the generic MOVE
 * (move.ts) with its constants folded: a register source, so a faulting store stacks the PC
 * past the destination's words, with the CCR untouched for (An) and only N and Z set for
 * d16(An) (longStoreFaultFlags).
 */
export function moveLongRegisterToMemory(src: number, dmode: 2 | 5, dreg: number, cycles: number): Handler {
  if (dmode === 2) {
    return (cpu) => {
      const v = cpu.r[src]!;
      const address = cpu.r[8 + dreg]!;
      cpu.faultPc = cpu.pc + 2;
      cpu.faultIdle = 0;
      cpu.write32(address, v);
      cpu.undoRegister = -1;
      cpu.sr = (cpu.sr & 0xfff0) | (v < 0 ? N : 0) | (v === 0 ? Z : 0);
      cpu.cycles += cycles;
    };
  }
  return (cpu) => {
    const v = cpu.r[src]!;
    const before = cpu.pc;
    const address = cpu.r[8 + dreg]! + ((cpu.fetchWord() << 16) >> 16);
    cpu.faultPc = before + 2;
    cpu.faultIdle = 0;
    const flags = (v < 0 ? N : 0) | (v === 0 ? Z : 0);
    cpu.sr = (cpu.sr & ~0xc) | flags;
    cpu.write32(address, v);
    cpu.undoRegister = -1;
    cpu.sr = (cpu.sr & 0xfff0) | flags;
    cpu.cycles += cycles;
  };
}

/** MOVE.size <memory>,Dn: one literal per size. */
export function moveMemoryToData(size: number, smode: number, sreg: number, dn: number, cycles: number): Handler {
  if (size === 4) {
    return (cpu) => {
      const v = cpu.readSized(cpu.eaAddress(smode, sreg, 4), 4);
      cpu.sr = (cpu.sr & 0xfff0) | (v < 0 ? N : 0) | (v === 0 ? Z : 0);
      cpu.r[dn] = v;
      cpu.cycles += cycles;
    };
  }
  if (size === 2) {
    return (cpu) => {
      const v = cpu.readSized(cpu.eaAddress(smode, sreg, 2), 2);
      cpu.sr = (cpu.sr & 0xfff0) | ((v & 0x8000) !== 0 ? N : 0) | (v === 0 ? Z : 0);
      const r = cpu.r;
      r[dn] = (r[dn]! & ~0xffff) | v;
      cpu.cycles += cycles;
    };
  }
  return (cpu) => {
    const v = cpu.readSized(cpu.eaAddress(smode, sreg, 1), 1);
    cpu.sr = (cpu.sr & 0xfff0) | ((v & 0x80) !== 0 ? N : 0) | (v === 0 ? Z : 0);
    const r = cpu.r;
    r[dn] = (r[dn]! & ~0xff) | v;
    cpu.cycles += cycles;
  };
}

/** `<mem>.L op Dn -> Dn` for ADD, SUB, AND, OR, and CMP.L <mem>,Dn (a memory source mode). */
export function aluLongMemory(kind: 'add' | 'sub' | 'cmp' | 'and' | 'or', mode: number, reg: number, dn: number, cycles: number): Handler | null {
  switch (kind) {
    case 'add':
      return (cpu) => {
        const s = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
        const r = cpu.r;
        const d = r[dn]!;
        const res = (s + d) | 0;
        r[dn] = res;
        cpu.sr =
          (cpu.sr & 0xffe0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ res) & (d ^ res)) < 0 ? V : 0) |
          (((s & d) | (~res & (s | d))) < 0 ? C | X : 0);
        cpu.cycles += cycles;
      };
    case 'sub':
      return (cpu) => {
        const s = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
        const r = cpu.r;
        const d = r[dn]!;
        const res = (d - s) | 0;
        r[dn] = res;
        cpu.sr =
          (cpu.sr & 0xffe0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ d) & (res ^ d)) < 0 ? V : 0) |
          (((s & ~d) | (res & (s | ~d))) < 0 ? C | X : 0);
        cpu.cycles += cycles;
      };
    case 'cmp':
      return (cpu) => {
        const s = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
        const d = cpu.r[dn]!;
        const res = (d - s) | 0;
        cpu.sr =
          (cpu.sr & 0xfff0) |
          (res < 0 ? N : 0) |
          (res === 0 ? Z : 0) |
          (((s ^ d) & (res ^ d)) < 0 ? V : 0) |
          (((s & ~d) | (res & (s | ~d))) < 0 ? C : 0);
        cpu.cycles += cycles;
      };
    case 'and':
      return (cpu) => {
        const s = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
        const r = cpu.r;
        const res = s & r[dn]!;
        r[dn] = res;
        cpu.sr = (cpu.sr & 0xfff0) | (res < 0 ? N : 0) | (res === 0 ? Z : 0);
        cpu.cycles += cycles;
      };
    case 'or':
      return (cpu) => {
        const s = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
        const r = cpu.r;
        const res = s | r[dn]!;
        r[dn] = res;
        cpu.sr = (cpu.sr & 0xfff0) | (res < 0 ? N : 0) | (res === 0 ? Z : 0);
        cpu.cycles += cycles;
      };
    default:
      return null;
  }
}

/** MOVEA.L <mem>,An (a memory source mode). */
export function moveaLongMemory(mode: number, reg: number, an: number, cycles: number): Handler {
  return (cpu) => {
    const v = cpu.readSized(cpu.eaAddress(mode, reg, 4), 4);
    cpu.r[8 + an] = v;
    cpu.cycles += cycles;
  };
}

/** TST.L Dn. */
export function tstLongData(dn: number): Handler {
  return (cpu) => {
    const v = cpu.r[dn]!;
    cpu.sr = (cpu.sr & 0xfff0) | (v < 0 ? N : 0) | (v === 0 ? Z : 0);
    cpu.cycles += 4;
  };
}

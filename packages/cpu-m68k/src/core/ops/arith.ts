/**
 * Two-operand integer arithmetic and logic: ADD/SUB/AND/OR/EOR/CMP in their register,
 * memory, address, immediate and quick forms, ADDX/SUBX and CMPM.
 */
import { add, addx, and, cmp, or, signWord, sub, subx, type AluOp } from '../alu.js';
import { aluLongMemory } from './fast.js';
import type { M68000 } from '../cpu.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';

function isRegisterOrImmediate(mode: number, reg: number): boolean {
  return mode <= 1 || (mode === 7 && reg === 4);
}

/** `<ea> op Dn -> Dn` (ADD, SUB, AND, OR) and `CMP <ea>,Dn`. */
export function aluToRegister(op: AluOp, isCompare: boolean, size: number, mode: number, reg: number, dn: number): Handler {
  let cycles = 4 + eaCycles(mode, reg, size);
  if (size === 4) cycles += isCompare ? 2 : isRegisterOrImmediate(mode, reg) ? 4 : 2;
  if (size === 4 && !isRegisterOrImmediate(mode, reg)) {
    const kind = isCompare ? 'cmp' : op === add ? 'add' : op === sub ? 'sub' : op === and ? 'and' : op === or ? 'or' : null;
    const fast = kind === null ? null : aluLongMemory(kind, mode, reg, dn, cycles);
    if (fast !== null) return fast;
  }
  return (cpu) => {
    const s = cpu.readEa(mode, reg, size);
    const d = size === 4 ? cpu.r[dn]! : cpu.r[dn]! & (size === 1 ? 0xff : 0xffff);
    const res = op(cpu, s, d, size);
    if (!isCompare) cpu.writeD(dn, size, res);
    cpu.cycles += cycles;
  };
}

/** `Dn op <ea> -> <ea>` (ADD, SUB, AND, OR, EOR); EOR also takes a data register destination. */
export function aluToEa(op: AluOp, size: number, dn: number, mode: number, reg: number): Handler {
  if (mode === 0) {
    const cycles = size === 4 ? 8 : 4;
    return (cpu) => {
      const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
      const res = op(cpu, cpu.r[dn]! & mask, cpu.r[reg]! & mask, size);
      cpu.writeD(reg, size, res);
      cpu.cycles += cycles;
    };
  }
  const cycles = (size === 4 ? 12 : 8) + eaCycles(mode, reg, size);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, size);
    const d = cpu.readSized(address, size);
    const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
    const res = op(cpu, cpu.r[dn]! & mask, d, size);
    cpu.writeSized(address, size, res);
    cpu.cycles += cycles;
  };
}

/** ADDA, SUBA, CMPA: the source is sign-extended to 32 bits; only CMPA sets flags. */
export function aluAddress(kind: 'add' | 'sub' | 'cmp', size: number, mode: number, reg: number, an: number): Handler {
  let cycles: number;
  if (kind === 'cmp') cycles = 6 + eaCycles(mode, reg, size);
  else if (size === 2) cycles = 8 + eaCycles(mode, reg, size);
  else cycles = (isRegisterOrImmediate(mode, reg) ? 8 : 6) + eaCycles(mode, reg, size);
  if (kind === 'cmp') {
    return (cpu) => {
      const v = cpu.readEa(mode, reg, size);
      cmp(cpu, size === 2 ? signWord(v) : v, cpu.r[8 + an]!, 4);
      cpu.cycles += cycles;
    };
  }
  const sign = kind === 'add' ? 1 : -1;
  return (cpu) => {
    const v = cpu.readEa(mode, reg, size);
    const s = size === 2 ? signWord(v) : v;
    cpu.r[8 + an] = sign === 1 ? cpu.r[8 + an]! + s : cpu.r[8 + an]! - s;
    cpu.cycles += cycles;
  };
}

/** ADDI, SUBI, ANDI, ORI, EORI, CMPI #data,<ea>. */
export function aluImmediate(op: AluOp, kind: 'cmp' | 'and' | 'other', size: number, mode: number, reg: number): Handler {
  if (mode === 0) {
    const cycles = size !== 4 ? 8 : kind === 'cmp' ? 14 : 16;
    return (cpu) => {
      const s = size === 4 ? cpu.fetchLong() : cpu.fetchWord() & (size === 1 ? 0xff : 0xffff);
      const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
      const res = op(cpu, s, cpu.r[reg]! & mask, size);
      if (kind !== 'cmp') cpu.writeD(reg, size, res);
      cpu.cycles += cycles;
    };
  }
  const cycles = (kind === 'cmp' ? (size === 4 ? 12 : 8) : size === 4 ? 20 : 12) + eaCycles(mode, reg, size);
  return (cpu) => {
    const s = size === 4 ? cpu.fetchLong() : cpu.fetchWord() & (size === 1 ? 0xff : 0xffff);
    const address = cpu.eaAddress(mode, reg, size);
    const d = cpu.readSized(address, size);
    const res = op(cpu, s, d, size);
    if (kind !== 'cmp') cpu.writeSized(address, size, res);
    cpu.cycles += cycles;
  };
}

/** ADDQ/SUBQ #1..8,<ea>; on an address register the whole register changes and no flags do. */
export function quick(op: AluOp, isAdd: boolean, data: number, size: number, mode: number, reg: number): Handler {
  if (mode === 1) {
    const delta = isAdd ? data : -data;
    return (cpu) => {
      cpu.r[8 + reg] = cpu.r[8 + reg]! + delta;
      cpu.cycles += 8;
    };
  }
  if (mode === 0) {
    const cycles = size === 4 ? 8 : 4;
    return (cpu) => {
      const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
      cpu.writeD(reg, size, op(cpu, data, cpu.r[reg]! & mask, size));
      cpu.cycles += cycles;
    };
  }
  const cycles = (size === 4 ? 12 : 8) + eaCycles(mode, reg, size);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, size);
    const d = cpu.readSized(address, size);
    cpu.writeSized(address, size, op(cpu, data, d, size));
    cpu.cycles += cycles;
  };
}

/** ADDX/SUBX Dy,Dx. */
export function extendedRegister(isAdd: boolean, size: number, ry: number, rx: number): Handler {
  const cycles = size === 4 ? 8 : 4;
  const op = isAdd ? addx : subx;
  return (cpu) => {
    const mask = size === 4 ? -1 : size === 1 ? 0xff : 0xffff;
    cpu.writeD(rx, size, op(cpu, cpu.r[ry]! & mask, cpu.r[rx]! & mask, size));
    cpu.cycles += cycles;
  };
}

/**
 * Reads a `-(An)` operand the way ADDX/SUBX/ABCD/SBCD do: a long is read as two words,
 * low word first, decrementing by 2 before each.
 */
export function readPredecrement(cpu: M68000, reg: number, size: number): number {
  const r = cpu.r;
  if (size === 4) {
    // The low word is read first; An is only updated once the whole long has been read.
    const address = r[8 + reg]! - 4;
    const low = cpu.read16(address + 2);
    const high = cpu.read16(address);
    r[8 + reg] = address;
    cpu.noteChange(8 + reg, -4);
    return (high << 16) | low;
  }
  const step = size === 1 && reg === 7 ? 2 : size;
  const address = r[8 + reg]! - step;
  r[8 + reg] = address;
  cpu.noteChange(8 + reg, -step);
  return cpu.readSized(address, size);
}

/** Writes the result of a `-(An)` read-modify-write back (An already points at it). */
export function writeBackPredecrement(cpu: M68000, reg: number, size: number, value: number): void {
  const address = cpu.r[8 + reg]!;
  if (size === 4) {
    cpu.write16(address + 2, value & 0xffff);
    cpu.write16(address, value >>> 16);
  } else {
    cpu.writeSized(address, size, value);
  }
}

/** ADDX/SUBX -(Ay),-(Ax). */
export function extendedMemory(isAdd: boolean, size: number, ry: number, rx: number): Handler {
  const cycles = size === 4 ? 30 : 18;
  const op = isAdd ? addx : subx;
  return (cpu) => {
    cpu.faultPc = cpu.pc + 2;
    cpu.faultExtra = 2;
    const s = readPredecrement(cpu, ry, size);
    cpu.faultExtra = size === 4 ? 10 : 6;
    const d = readPredecrement(cpu, rx, size);
    const res = op(cpu, s, d, size);
    writeBackPredecrement(cpu, rx, size, res);
    cpu.cycles += cycles;
  };
}

/** CMPM (Ay)+,(Ax)+. */
export function compareMemory(size: number, ry: number, rx: number): Handler {
  const cycles = size === 4 ? 20 : 12;
  return (cpu) => {
    // Measured on the 68000: a faulting long source has been advanced by 2; a faulting
    // destination has not been advanced by its word (and a long one by 2).
    const sourceAddress = cpu.eaAddress(3, ry, size);
    cpu.faultPc = cpu.pc + 2;
    if (size === 4) {
      cpu.undoRegister = 8 + ry;
      cpu.undoStep = 2;
    }
    const s = cpu.readSized(sourceAddress, size);
    const destAddress = cpu.eaAddress(3, rx, size);
    cpu.faultPc = cpu.pc + 2;
    cpu.faultExtra = size === 4 ? 8 : 4;
    cpu.undoRegister = 8 + rx;
    // Undo exactly the step taken: a byte moves A0-A6 by 1 (A7 by 2), so undoing 2 would leave it at -1.
    cpu.undoStep = size === 4 ? 4 : size === 1 && rx !== 7 ? 1 : 2;
    const d = cpu.readSized(destAddress, size);
    cmp(cpu, s, d, size);
    cpu.cycles += cycles;
  };
}

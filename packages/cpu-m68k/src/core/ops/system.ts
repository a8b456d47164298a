/**
 * Status-register access, stack frames and traps: MOVE to/from SR/CCR/USP, ANDI/ORI/EORI to
 * CCR/SR, LINK/UNLK, TRAP/TRAPV/CHK, STOP/RESET/NOP, ILLEGAL and the unimplemented lines.
 */
import { setLogicFlags, signWord } from '../alu.js';
import {
  N,
  STOP_STOPPED,
  STOP_TRAP,
  V,
  VEC_CHK,
  VEC_ILLEGAL,
  VEC_LINE_A,
  VEC_LINE_F,
  VEC_TRAP_BASE,
  VEC_TRAPV,
  Z,
} from '../constants.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';
import { privilegeViolation, push32 } from './flow.js';

/** MOVE from SR <ea> (not privileged on the 68000); memory destinations are read first. */
export function moveFromSr(mode: number, reg: number): Handler {
  if (mode === 0) {
    return (cpu) => {
      cpu.writeD(reg, 2, cpu.sr);
      cpu.cycles += 6;
    };
  }
  const cycles = 8 + eaCycles(mode, reg, 2);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, 2);
    cpu.readSized(address, 2);
    cpu.write16(address, cpu.sr);
    cpu.cycles += cycles;
  };
}

/** MOVE <ea>,CCR (a word operand; its low byte is used). */
export function moveToCcr(mode: number, reg: number): Handler {
  const cycles = 12 + eaCycles(mode, reg, 2);
  return (cpu) => {
    const v = cpu.readEa(mode, reg, 2);
    cpu.sr = (cpu.sr & 0xff00) | (v & 0x1f);
    cpu.cycles += cycles;
  };
}

/** MOVE <ea>,SR (privileged). */
export function moveToSr(mode: number, reg: number): Handler {
  const cycles = 12 + eaCycles(mode, reg, 2);
  return (cpu) => {
    if (privilegeViolation(cpu)) return;
    const v = cpu.readEa(mode, reg, 2);
    cpu.setSr(v);
    cpu.cycles += cycles;
  };
}

/** MOVE USP,An / MOVE An,USP (privileged). */
export function moveUsp(toAddressRegister: boolean, an: number): Handler {
  return (cpu) => {
    if (privilegeViolation(cpu)) return;
    if (toAddressRegister) cpu.r[8 + an] = cpu.usp;
    else cpu.usp = cpu.r[8 + an]! >>> 0;
    cpu.cycles += 4;
  };
}

/** ANDI/ORI/EORI #data,CCR (`toSr` false) or SR (`toSr` true, privileged). */
export function logicToStatus(kind: 'and' | 'or' | 'eor', toSr: boolean): Handler {
  return (cpu) => {
    if (toSr && privilegeViolation(cpu)) return;
    const data = cpu.fetchWord() & (toSr ? 0xffff : 0x1f);
    const sr = cpu.sr;
    const operand = toSr ? sr : sr & 0x1f;
    let value = kind === 'and' ? operand & data : kind === 'or' ? operand | data : operand ^ data;
    if (toSr) cpu.setSr(value);
    else {
      value &= 0x1f;
      cpu.sr = (sr & 0xff00) | value;
    }
    cpu.cycles += 20;
  };
}

/** LINK An,#displacement. */
export function link(an: number): Handler {
  return (cpu) => {
    const value = cpu.r[8 + an]!;
    const sp = cpu.r[15]! - 4;
    cpu.r[15] = sp;
    cpu.noteChange(15, -4);
    cpu.write32(sp, value);
    cpu.r[8 + an] = sp;
    // The displacement fetch can still fault: the frame pointer's change must be undoable too.
    if (an !== 7) cpu.noteChange(8 + an, sp - value);
    cpu.r[15] = sp + signWord(cpu.fetchWord());
    cpu.cycles += 16;
  };
}

/** UNLK An. */
export function unlk(an: number): Handler {
  return (cpu) => {
    cpu.faultPc = cpu.pc + 2;
    // The frame pointer is read before SP is loaded from it, so an odd An faults with SP intact.
    const frame = cpu.r[8 + an]!;
    const v = cpu.read32(frame);
    cpu.r[15] = frame + 4;
    cpu.r[8 + an] = v;
    cpu.cycles += 12;
  };
}

/** LEA <ea>,An. */
export function lea(mode: number, reg: number, an: number): Handler {
  const cycles = [0, 0, 4, 0, 0, 8, 12, 8, 12, 8, 12][mode < 7 ? mode : 7 + reg] ?? 0;
  return (cpu) => {
    cpu.r[8 + an] = cpu.eaAddress(mode, reg, 4);
    cpu.cycles += cycles;
  };
}

/** PEA <ea>. */
export function pea(mode: number, reg: number): Handler {
  const cycles = [0, 0, 12, 0, 0, 16, 20, 16, 20, 16, 20][mode < 7 ? mode : 7 + reg] ?? 0;
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, 4);
    cpu.faultPc = cpu.pc;
    push32(cpu, address);
    cpu.cycles += cycles;
  };
}

/** EXG: `kind` 0x08 Dx,Dy; 0x09 Ax,Ay; 0x11 Dx,Ay. */
export function exg(kind: number, rx: number, ry: number): Handler {
  const a = kind === 0x09 ? 8 + rx : rx;
  const b = kind === 0x08 ? ry : 8 + ry;
  return (cpu) => {
    const r = cpu.r;
    const t = r[a]!;
    r[a] = r[b]!;
    r[b] = t;
    cpu.cycles += 6;
  };
}

/** SWAP Dn. */
export function swap(dn: number): Handler {
  return (cpu) => {
    const v = cpu.r[dn]!;
    const res = (v >>> 16) | (v << 16);
    cpu.r[dn] = res;
    setLogicFlags(cpu, res, 4);
    cpu.cycles += 4;
  };
}

/** EXT.W (byte to word) or EXT.L (word to long). */
export function ext(toLong: boolean, dn: number): Handler {
  return (cpu) => {
    const v = cpu.r[dn]!;
    if (toLong) {
      const res = (v << 16) >> 16;
      cpu.r[dn] = res;
      setLogicFlags(cpu, res, 4);
    } else {
      const res = ((v << 24) >> 24) & 0xffff;
      cpu.writeD(dn, 2, res);
      setLogicFlags(cpu, res, 2);
    }
    cpu.cycles += 4;
  };
}

/** TRAP #n: to the host when it takes traps, else through vector 32 + n. */
export function trap(n: number): Handler {
  return (cpu) => {
    if (cpu.hostTraps) {
      cpu.lastTrap = n;
      cpu.requestStop(STOP_TRAP);
      return;
    }
    cpu.trapException(VEC_TRAP_BASE + n, cpu.pc);
  };
}

/** TRAPV: traps through vector 7 if V is set. */
export const trapv: Handler = (cpu) => {
  if ((cpu.sr & V) !== 0) cpu.trapException(VEC_TRAPV, cpu.pc);
  else cpu.cycles += 4;
};

/** CHK <ea>,Dn: traps through vector 6 when Dn.w < 0 or Dn.w > the bound. */
export function chk(mode: number, reg: number, dn: number): Handler {
  const ea = eaCycles(mode, reg, 2);
  return (cpu) => {
    const bound = signWord(cpu.readEa(mode, reg, 2));
    const value = signWord(cpu.r[dn]!);
    const sr = cpu.sr & ~(N | Z | V | 1);
    const zero = value === 0 ? Z : 0;
    // The microcode tests the upper bound first with a 16-bit subtraction that ignores
    // overflow, then the sign; the two trap paths differ by 2 cycles.
    const upperPath = value > bound || ((bound - value) & 0x8000) !== 0;
    if (value < 0 || value > bound) {
      cpu.sr = sr | (value < 0 ? N : 0) | zero;
      cpu.cycles += ea + (upperPath ? 4 : 6);
      cpu.trapException(VEC_CHK, cpu.pc);
    } else {
      cpu.sr = sr | zero;
      cpu.cycles += 10 + ea;
    }
  };
}

/** TAS <ea>: tests a byte and sets its bit 7 (an indivisible read-modify-write). */
export function tas(mode: number, reg: number): Handler {
  if (mode === 0) {
    return (cpu) => {
      const v = cpu.r[reg]! & 0xff;
      setLogicFlags(cpu, v, 1);
      cpu.writeD(reg, 1, v | 0x80);
      cpu.cycles += 4;
    };
  }
  const cycles = 10 + eaCycles(mode, reg, 1);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, 1);
    const v = cpu.readSized(address, 1);
    setLogicFlags(cpu, v, 1);
    cpu.write8(address, v | 0x80);
    cpu.cycles += cycles;
  };
}

/** STOP #sr (privileged): loads SR and waits for an interrupt. */
export const stop: Handler = (cpu) => {
  if (privilegeViolation(cpu)) return;
  const value = cpu.fetchLastWord();
  cpu.setSr(value);
  cpu.stopped = true;
  cpu.cycles += 4;
  cpu.requestStop(STOP_STOPPED);
};

/** RESET (privileged): asserts the reset line for 124 clocks; memory is not touched. */
export const reset: Handler = (cpu) => {
  if (privilegeViolation(cpu)) return;
  cpu.cycles += 132;
};

export const nop: Handler = (cpu) => {
  cpu.cycles += 4;
};

/** ILLEGAL and every unassigned opcode. */
export const illegal: Handler = (cpu) => {
  cpu.trapException(VEC_ILLEGAL, cpu.startPc);
};

export const lineA: Handler = (cpu) => {
  cpu.trapException(VEC_LINE_A, cpu.startPc);
};

export const lineF: Handler = (cpu) => {
  cpu.trapException(VEC_LINE_F, cpu.startPc);
};


/** Program flow: Bcc/BRA/BSR, DBcc, Scc, JMP, JSR, RTS, RTR, RTE. */
import { testCondition } from '../alu.js';
import { SR_S, VEC_PRIVILEGE } from '../constants.js';
import type { M68000 } from '../cpu.js';
import type { Handler } from '../handler.js';
import { eaCycles } from '../timing.js';

/** Pushes a long on the active stack. */
export function push32(cpu: M68000, value: number): void {
  const sp = cpu.r[15]! - 4;
  cpu.r[15] = sp;
  // SP moves before the write: a restart must know, or it pushes twice.
  cpu.noteChange(15, -4);
  cpu.write32(sp, value);
}

/** Pushes a word on the active stack. */
export function push16(cpu: M68000, value: number): void {
  const sp = cpu.r[15]! - 2;
  cpu.r[15] = sp;
  cpu.noteChange(15, -2);
  cpu.write16(sp, value);
}

/** Pops a word from the active stack. */
export function pop16(cpu: M68000): number {
  const sp = cpu.r[15]!;
  cpu.r[15] = sp + 2;
  cpu.noteChange(15, 2);
  return cpu.read16(sp);
}

/** Pops a long (int32) from the active stack. */
export function pop32(cpu: M68000): number {
  const sp = cpu.r[15]!;
  cpu.r[15] = sp + 4;
  cpu.noteChange(15, 4);
  return cpu.read32(sp);
}

/** Takes a privilege violation if the CPU is in user mode; returns true if it did. */
export function privilegeViolation(cpu: M68000): boolean {
  if ((cpu.sr & SR_S) !== 0) return false;
  cpu.trapException(VEC_PRIVILEGE, cpu.startPc);
  return true;
}

/**
 * Takes a branch: `disp` is the 8-bit displacement, or 0 for a 16-bit one in the next word.
 * The fault bookkeeping (the PC and cycles a frame would record) matters only if the target
 * is odd, so it is set only then.
 */
function taken(cpu: M68000, disp: number): void {
  const base = cpu.pc;
  const target = base + (disp !== 0 ? disp : (cpu.fetchWord() << 16) >> 16);
  if ((target & 1) !== 0) {
    cpu.faultPc = base;
    cpu.faultExtra = 2 - 2 * (cpu.pc - cpu.startPc - 2);
    cpu.checkJumpTarget(target);
  }
  cpu.pc = target;
  cpu.cycles += 10;
}

/** A branch not taken: skips a 16-bit displacement (`disp` 0). */
function notTaken(cpu: M68000, disp: number): void {
  if (disp !== 0) {
    cpu.cycles += 8;
  } else {
    cpu.pc += 2;
    cpu.cycles += 12;
  }
}

/**
 * Bcc (BRA, not BSR) on every condition, each its own function literal (so each keeps its own
 * type feedback) with the condition inline.
 */
function conditionalBranch(cc: number, disp: number): Handler {
  switch (cc) {
    case 0:
      return (cpu) => taken(cpu, disp);
    case 2:
      return (cpu) => ((cpu.sr & 5) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 3:
      return (cpu) => ((cpu.sr & 5) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 4:
      return (cpu) => ((cpu.sr & 1) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 5:
      return (cpu) => ((cpu.sr & 1) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 6:
      return (cpu) => ((cpu.sr & 4) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 7:
      return (cpu) => ((cpu.sr & 4) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 8:
      return (cpu) => ((cpu.sr & 2) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 9:
      return (cpu) => ((cpu.sr & 2) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 10:
      return (cpu) => ((cpu.sr & 8) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 11:
      return (cpu) => ((cpu.sr & 8) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 12:
      return (cpu) => (((cpu.sr ^ (cpu.sr << 2)) & 8) === 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 13:
      return (cpu) => (((cpu.sr ^ (cpu.sr << 2)) & 8) !== 0 ? taken(cpu, disp) : notTaken(cpu, disp));
    case 14:
      return (cpu) => {
        const sr = cpu.sr;
        if ((sr & 4) === 0 && ((sr ^ (sr << 2)) & 8) === 0) taken(cpu, disp);
        else notTaken(cpu, disp);
      };
    default:
      return (cpu) => {
        const sr = cpu.sr;
        if ((sr & 4) !== 0 || ((sr ^ (sr << 2)) & 8) !== 0) taken(cpu, disp);
        else notTaken(cpu, disp);
      };
  }
}

/** Bcc/BRA/BSR with an 8-bit displacement, or a 16-bit one when the byte is 0. */
export function branch(cc: number, displacement8: number): Handler {
  const isWord = displacement8 === 0;
  const disp8 = (displacement8 << 24) >> 24;
  if (cc === 1) {
    // BSR: the return address is pushed before the target is fetched, and a fault on an odd
    // target stacks the target itself.
    return (cpu) => {
      const base = cpu.pc;
      const disp = isWord ? (cpu.fetchWord() << 16) >> 16 : disp8;
      const target = base + disp;
      push32(cpu, cpu.pc);
      cpu.faultPc = target;
      cpu.faultExtra = 10 - 2 * (cpu.pc - cpu.startPc - 2);
      cpu.checkJumpTarget(target);
      cpu.pc = target;
      cpu.cycles += 18;
    };
  }
  return conditionalBranch(cc, disp8);
}

/** DBRA (DBF) Dn: no condition to test. */
function dbra(dn: number): Handler {
  return (cpu) => {
    const r = cpu.r;
    const count = ((r[dn]! & 0xffff) - 1) & 0xffff;
    if (count === 0xffff) {
      r[dn] = r[dn]! | 0xffff;
      cpu.pc += 2;
      cpu.cycles += 14;
      return;
    }
    const base = cpu.pc;
    const target = base + ((cpu.fetchWord() << 16) >> 16);
    if ((target & 1) !== 0) {
      cpu.faultPc = cpu.pc;
      cpu.faultExtra = -2;
      // An odd target faults before the decremented counter is written back.
      cpu.checkJumpTarget(target);
    }
    r[dn] = (r[dn]! & ~0xffff) | count;
    cpu.pc = target;
    cpu.cycles += 10;
  };
}

/** DBcc Dn,<label>: decrement and branch until the condition holds or Dn.w reaches -1. */
export function dbcc(cc: number, dn: number): Handler {
  if (cc === 1) return dbra(dn);
  return (cpu) => {
    if (testCondition(cpu.sr, cc)) {
      cpu.pc += 2;
      cpu.cycles += 12;
      return;
    }
    const r = cpu.r;
    const count = ((r[dn]! & 0xffff) - 1) & 0xffff;
    if (count === 0xffff) {
      r[dn] = (r[dn]! & ~0xffff) | count;
      cpu.pc += 2;
      cpu.cycles += 14;
      return;
    }
    const base = cpu.pc;
    const target = base + ((cpu.fetchWord() << 16) >> 16);
    if ((target & 1) !== 0) {
      cpu.faultPc = cpu.pc;
      cpu.faultExtra = -2;
      // An odd target faults before the decremented counter is written back.
      cpu.checkJumpTarget(target);
    }
    r[dn] = (r[dn]! & ~0xffff) | count;
    cpu.pc = target;
    cpu.cycles += 10;
  };
}

/** Scc <ea>: all ones if the condition holds, else zero. */
export function scc(cc: number, mode: number, reg: number): Handler {
  if (mode === 0) {
    return (cpu) => {
      const t = testCondition(cpu.sr, cc);
      cpu.writeD(reg, 1, t ? 0xff : 0);
      cpu.cycles += t ? 6 : 4;
    };
  }
  const cycles = 8 + eaCycles(mode, reg, 1);
  return (cpu) => {
    const address = cpu.eaAddress(mode, reg, 1);
    cpu.readSized(address, 1);
    cpu.write8(address, testCondition(cpu.sr, cc) ? 0xff : 0);
    cpu.cycles += cycles;
  };
}

const JMP_CYCLES = [0, 0, 8, 0, 0, 10, 14, 10, 12, 10, 14];
const JSR_CYCLES = [0, 0, 16, 0, 0, 18, 22, 18, 20, 18, 22];

/** JMP <ea>: a fault at an odd target stacks the address after the opcode. */
export function jmp(mode: number, reg: number): Handler {
  const cycles = JMP_CYCLES[mode < 7 ? mode : 7 + reg] ?? 0;
  return (cpu) => {
    const target = cpu.eaAddress(mode, reg, 4);
    cpu.faultPc = cpu.startPc + 2;
    cpu.faultIdle = 0;
    cpu.faultExtra = cycles - 8 - 2 * (cpu.pc - cpu.startPc - 2);
    cpu.checkJumpTarget(target);
    cpu.pc = target;
    cpu.cycles += cycles;
  };
}

/** JSR <ea>: an odd target faults before anything is pushed, stacking the return address. */
export function jsr(mode: number, reg: number): Handler {
  const cycles = JSR_CYCLES[mode < 7 ? mode : 7 + reg] ?? 0;
  const jumpCycles = JMP_CYCLES[mode < 7 ? mode : 7 + reg] ?? 0;
  return (cpu) => {
    const target = cpu.eaAddress(mode, reg, 4);
    cpu.faultPc = cpu.pc;
    cpu.faultIdle = 0;
    cpu.faultExtra = jumpCycles - 8 - 2 * (cpu.pc - cpu.startPc - 2);
    cpu.checkJumpTarget(target);
    push32(cpu, cpu.pc);
    cpu.pc = target;
    cpu.cycles += cycles;
  };
}

/** RTS. */
export const rts: Handler = (cpu) => {
  const target = pop32(cpu);
  cpu.faultExtra = 8;
  cpu.checkJumpTarget(target);
  cpu.pc = target;
  cpu.cycles += 16;
};

/** RTR: pops the CCR, then the PC. */
export const rtr: Handler = (cpu) => {
  const ccr = pop16(cpu);
  const target = pop32(cpu);
  cpu.sr = (cpu.sr & 0xff00) | (ccr & 0x1f);
  cpu.faultExtra = 12;
  cpu.checkJumpTarget(target);
  cpu.pc = target;
  cpu.cycles += 20;
};

/** RTE (privileged): pops SR and PC; the new SR may switch to the user stack. */
export const rte: Handler = (cpu) => {
  if (privilegeViolation(cpu)) return;
  const sr = pop16(cpu);
  const target = pop32(cpu);
  cpu.setSr(sr);
  cpu.faultExtra = 12;
  cpu.checkJumpTarget(target);
  cpu.pc = target;
  cpu.cycles += 20;
};

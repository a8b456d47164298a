/**
 * The generated decoder: a 65,536-entry table from opcode word to a handler with every
 * field of the opcode already decoded. Built once, at first use; unassigned opcodes map to
 * the illegal-instruction handler (or line A / line F).
 */
import { add, and, cmp, eor, or, sub } from './alu.js';
import { endsBlock } from './block-end.js';
import type { Handler } from './handler.js';
import { aluAddress, aluImmediate, aluToEa, aluToRegister, compareMemory, extendedMemory, extendedRegister, quick } from './ops/arith.js';
import { bcdOp, nbcd } from './ops/bcd.js';
import { bitOp } from './ops/bit.js';
import { addaLongRegister, aluLongRegister, btstImmediateRegister, eorLongRegister, moveaLongRegister, moveLongRegister, quickLongData, shiftRegisterFast } from './ops/fast.js';
import { branch, dbcc, jmp, jsr, rte, rtr, rts, scc } from './ops/flow.js';
import { move, movea, moveq } from './ops/move.js';
import { movemToMemory, movemToRegisters, movep } from './ops/movem.js';
import { divide, multiply } from './ops/muldiv.js';
import { shiftMemory, shiftRegister } from './ops/shift.js';
import {
  chk,
  exg,
  ext,
  illegal,
  lea,
  lineA,
  lineF,
  link,
  logicToStatus,
  moveFromSr,
  moveToCcr,
  moveToSr,
  moveUsp,
  nop,
  pea,
  reset,
  stop,
  swap,
  tas,
  trap,
  trapv,
  unlk,
} from './ops/system.js';
import { tst, unary, UNARY_OPS } from './ops/unary.js';

export type { Handler } from './handler.js';

// Addressing-mode classes as bit sets over the EA index (modes 0..6, then 7 + register).
const ALL = 0xfff;
const DATA = ALL & ~0b10;
const ALTERABLE = 0x1ff;
const DATA_ALTERABLE = 0x1fd;
const MEMORY_ALTERABLE = 0x1fc;
const CONTROL = 0b11111100100;
const CONTROL_ALTERABLE = 0b00111100100;
const MOVEM_TO_MEMORY = CONTROL_ALTERABLE | 0b10000;
const MOVEM_TO_REGISTERS = CONTROL | 0b1000;

function allowed(mode: number, reg: number, set: number): boolean {
  if (mode === 7 && reg > 4) return false;
  return ((set >> (mode < 7 ? mode : 7 + reg)) & 1) !== 0;
}

const SIZE_BY_FIELD = [1, 2, 4];

/** Decodes one opcode word into its handler. */
export function decode(op: number): Handler {
  const mode = (op >> 3) & 7;
  const reg = op & 7;
  const upper = (op >> 9) & 7;
  const sizeField = (op >> 6) & 3;
  const size = SIZE_BY_FIELD[sizeField] ?? 0;
  switch (op >> 12) {
    case 0x0:
      return decodeImmediateAndBits(op, mode, reg, upper, sizeField, size);
    case 0x1:
    case 0x2:
    case 0x3: {
      const moveSize = [0, 1, 4, 2][op >> 12]!;
      const dmode = (op >> 6) & 7;
      if (!allowed(mode, reg, moveSize === 1 ? DATA : ALL)) return illegal;
      if (dmode === 1) {
        if (moveSize === 4 && mode <= 1) return moveaLongRegister(mode * 8 + reg, upper);
        return moveSize === 1 ? illegal : movea(moveSize, mode, reg, upper);
      }
      if (!allowed(dmode, upper, DATA_ALTERABLE)) return illegal;
      if (moveSize === 4 && mode <= 1 && dmode === 0) return moveLongRegister(mode * 8 + reg, upper);
      return move(moveSize, mode, reg, dmode, upper);
    }
    case 0x4:
      return decodeMisc(op, mode, reg, upper, sizeField, size);
    case 0x5: {
      const cc = (op >> 8) & 15;
      if (sizeField === 3) {
        if (mode === 1) return dbcc(cc, reg);
        return allowed(mode, reg, DATA_ALTERABLE) ? scc(cc, mode, reg) : illegal;
      }
      if (!allowed(mode, reg, ALTERABLE) || (mode === 1 && size === 1)) return illegal;
      const data = upper === 0 ? 8 : upper;
      const isAdd = (op & 0x100) === 0;
      if (mode === 0 && size === 4) return quickLongData(isAdd, data, reg);
      return quick(isAdd ? add : sub, isAdd, data, size, mode, reg);
    }
    case 0x6:
      return branch((op >> 8) & 15, op & 0xff);
    case 0x7:
      return (op & 0x100) === 0 ? moveq(upper, op & 0xff) : illegal;
    case 0x8:
    case 0xc:
      return decodeOrAnd(op, mode, reg, upper, sizeField, size);
    case 0x9:
    case 0xd:
      return decodeAddSub(op, mode, reg, upper, sizeField, size);
    case 0xb: {
      if (sizeField === 3) {
        const aSize = (op & 0x100) !== 0 ? 4 : 2;
        return allowed(mode, reg, ALL) ? aluAddress('cmp', aSize, mode, reg, upper) : illegal;
      }
      if ((op & 0x100) === 0) {
        if (!allowed(mode, reg, ALL) || (mode === 1 && size === 1)) return illegal;
        if (size === 4 && mode <= 1) return aluLongRegister('cmp', mode * 8 + reg, upper)!;
        return aluToRegister(cmp, true, size, mode, reg, upper);
      }
      if (mode === 1) return compareMemory(size, reg, upper);
      if (mode === 0 && size === 4) return eorLongRegister(upper, reg);
      return allowed(mode, reg, DATA_ALTERABLE) ? aluToEa(eor, size, upper, mode, reg) : illegal;
    }
    case 0xe: {
      if (sizeField === 3) {
        if ((op & 0x800) !== 0 || !allowed(mode, reg, MEMORY_ALTERABLE)) return illegal;
        return shiftMemory((op >> 9) & 3, (op & 0x100) !== 0, mode, reg);
      }
      const shiftKind = (op >> 3) & 3;
      const left = (op & 0x100) !== 0;
      if (shiftKind === 1 || (shiftKind === 0 && !left)) {
        const countInRegister = (op & 0x20) !== 0;
        return shiftRegisterFast(shiftKind === 1 ? (left ? 'lsl' : 'lsr') : 'asr', size, countInRegister ? upper : -1, upper === 0 ? 8 : upper, reg);
      }
      return shiftRegister((op >> 3) & 3, (op & 0x100) !== 0, size, upper, (op & 0x20) !== 0, reg);
    }
    case 0xa:
      return lineA;
    default:
      return lineF;
  }
}

function decodeImmediateAndBits(op: number, mode: number, reg: number, upper: number, sizeField: number, size: number): Handler {
  if ((op & 0x138) === 0x108) return movep((op & 0x80) !== 0, (op & 0x40) !== 0 ? 4 : 2, upper, reg);
  if ((op & 0x100) !== 0) {
    const kind = sizeField;
    const set = kind === 0 ? DATA : DATA_ALTERABLE;
    return allowed(mode, reg, set) ? bitOp(kind, upper, mode, reg) : illegal;
  }
  if (upper === 4) {
    const kind = sizeField;
    if (kind === 0 && mode === 0) return btstImmediateRegister(reg);
    const set = kind === 0 ? DATA & ~(1 << 11) : DATA_ALTERABLE;
    return allowed(mode, reg, set) ? bitOp(kind, -1, mode, reg) : illegal;
  }
  if ((op & 0x3f) === 0x3c && (upper === 0 || upper === 1 || upper === 5) && sizeField < 2) {
    const kind = upper === 0 ? 'or' : upper === 1 ? 'and' : 'eor';
    return logicToStatus(kind, sizeField === 1);
  }
  if (sizeField === 3 || !allowed(mode, reg, DATA_ALTERABLE)) return illegal;
  switch (upper) {
    case 0:
      return aluImmediate(or, 'other', size, mode, reg);
    case 1:
      return aluImmediate(and, 'and', size, mode, reg);
    case 2:
      return aluImmediate(sub, 'other', size, mode, reg);
    case 3:
      return aluImmediate(add, 'other', size, mode, reg);
    case 5:
      return aluImmediate(eor, 'other', size, mode, reg);
    case 6:
      return aluImmediate(cmp, 'cmp', size, mode, reg);
    default:
      return illegal;
  }
}

function decodeMisc(op: number, mode: number, reg: number, upper: number, sizeField: number, size: number): Handler {
  if (op === 0x4afc) return illegal;
  if ((op & 0x1c0) === 0x1c0) return allowed(mode, reg, CONTROL) ? lea(mode, reg, upper) : illegal;
  if ((op & 0x1c0) === 0x180) return allowed(mode, reg, DATA) ? chk(mode, reg, upper) : illegal;
  if ((op & 0x100) !== 0) return illegal;
  switch (upper) {
    case 0:
    case 1:
    case 2:
    case 3: {
      if (sizeField === 3) {
        if (upper === 0) return allowed(mode, reg, DATA_ALTERABLE) ? moveFromSr(mode, reg) : illegal;
        if (upper === 1) return illegal;
        if (!allowed(mode, reg, DATA)) return illegal;
        return upper === 2 ? moveToCcr(mode, reg) : moveToSr(mode, reg);
      }
      if (!allowed(mode, reg, DATA_ALTERABLE)) return illegal;
      const op1 = [UNARY_OPS.negx, UNARY_OPS.clr, UNARY_OPS.neg, UNARY_OPS.not][upper]!;
      return unary(op1, size, mode, reg);
    }
    case 4: {
      if (sizeField === 0) return allowed(mode, reg, DATA_ALTERABLE) ? nbcd(mode, reg) : illegal;
      if (sizeField === 1) {
        if (mode === 0) return swap(reg);
        return allowed(mode, reg, CONTROL) ? pea(mode, reg) : illegal;
      }
      if (mode === 0) return ext(sizeField === 3, reg);
      return allowed(mode, reg, MOVEM_TO_MEMORY) ? movemToMemory(sizeField === 3 ? 4 : 2, mode, reg) : illegal;
    }
    case 5: {
      if (sizeField === 3) return allowed(mode, reg, DATA_ALTERABLE) ? tas(mode, reg) : illegal;
      return allowed(mode, reg, DATA_ALTERABLE) ? tst(size, mode, reg) : illegal;
    }
    case 6: {
      if (sizeField < 2) return illegal;
      return allowed(mode, reg, MOVEM_TO_REGISTERS) ? movemToRegisters(sizeField === 3 ? 4 : 2, mode, reg) : illegal;
    }
    default: {
      if (sizeField === 2) return allowed(mode, reg, CONTROL) ? jsr(mode, reg) : illegal;
      if (sizeField === 3) return allowed(mode, reg, CONTROL) ? jmp(mode, reg) : illegal;
      if (sizeField === 0) return illegal;
      const low = op & 0x3f;
      if (low < 0x10) return trap(low & 15);
      if (low < 0x18) return link(reg);
      if (low < 0x20) return unlk(reg);
      if (low < 0x28) return moveUsp(false, reg);
      if (low < 0x30) return moveUsp(true, reg);
      switch (low) {
        case 0x30:
          return reset;
        case 0x31:
          return nop;
        case 0x32:
          return stop;
        case 0x33:
          return rte;
        case 0x35:
          return rts;
        case 0x36:
          return trapv;
        case 0x37:
          return rtr;
        default:
          return illegal;
      }
    }
  }
}

function decodeOrAnd(op: number, mode: number, reg: number, upper: number, sizeField: number, size: number): Handler {
  const isAnd = op >> 12 === 0xc;
  if (sizeField === 3) {
    if (!allowed(mode, reg, DATA)) return illegal;
    const signed = (op & 0x100) !== 0;
    return isAnd ? multiply(signed, mode, reg, upper) : divide(signed, mode, reg, upper);
  }
  if ((op & 0x1f0) === 0x100) return bcdOp(isAnd, (op & 8) !== 0, reg, upper);
  if (isAnd && (op & 0x100) !== 0) {
    const kind = (op >> 3) & 0x1f;
    if (kind === 0x08 || kind === 0x09 || kind === 0x11) return exg(kind, upper, reg);
  }
  const alu = isAnd ? and : or;
  if ((op & 0x100) === 0 && size === 4 && mode === 0) return aluLongRegister(isAnd ? 'and' : 'or', reg, upper)!;
  if ((op & 0x100) === 0) return allowed(mode, reg, DATA) ? aluToRegister(alu, false, size, mode, reg, upper) : illegal;
  return allowed(mode, reg, MEMORY_ALTERABLE) ? aluToEa(alu, size, upper, mode, reg) : illegal;
}

function decodeAddSub(op: number, mode: number, reg: number, upper: number, sizeField: number, size: number): Handler {
  const isAdd = op >> 12 === 0xd;
  if (sizeField === 3) {
    if ((op & 0x100) !== 0 && mode <= 1) return addaLongRegister(isAdd, mode * 8 + reg, upper);
    return allowed(mode, reg, ALL) ? aluAddress(isAdd ? 'add' : 'sub', (op & 0x100) !== 0 ? 4 : 2, mode, reg, upper) : illegal;
  }
  const alu = isAdd ? add : sub;
  if ((op & 0x100) === 0) {
    if (!allowed(mode, reg, ALL) || (mode === 1 && size === 1)) return illegal;
    if (size === 4 && mode <= 1) return aluLongRegister(isAdd ? 'add' : 'sub', mode * 8 + reg, upper)!;
    return aluToRegister(alu, false, size, mode, reg, upper);
  }
  if (mode <= 1) return mode === 0 ? extendedRegister(isAdd, size, reg, upper) : extendedMemory(isAdd, size, reg, upper);
  return allowed(mode, reg, MEMORY_ALTERABLE) ? aluToEa(alu, size, upper, mode, reg) : illegal;
}

/**
 * For each opcode decoded so far, 1 if it ends a translated block ({@link endsBlock}), else 0;
 * filled in as opcodes are decoded.
 */
export const blockEnders = new Uint8Array(0x10000);

let dispatch: Handler[] | null = null;
let complete = false;

/** Decodes the opcode the CPU is about to run, puts its handler in the table, and runs it. */
const decodeOnFirstUse: Handler = (cpu) => {
  handlerFor(cpu.opcode)(cpu);
};

/**
 * The table the CPU dispatches through. Every entry starts as a stub that decodes its opcode
 * when first run and takes the handler's place, so start-up does not pay for 65,536 decodes.
 */
export function getDispatchTable(): Handler[] {
  dispatch ??= new Array<Handler>(0x10000).fill(decodeOnFirstUse);
  return dispatch;
}

/** The handler of `op`, decoded now if it has not been. */
export function handlerFor(op: number): Handler {
  const t = getDispatchTable();
  let handler = t[op]!;
  if (handler === decodeOnFirstUse) {
    handler = decode(op);
    t[op] = handler;
    blockEnders[op] = endsBlock(op, handler) ? 1 : 0;
  }
  return handler;
}

/** The shared decoder table with every opcode decoded (the same handlers the CPU runs). */
export function getDecoderTable(): Handler[] {
  const t = getDispatchTable();
  if (!complete) {
    for (let op = 0; op < 0x10000; op++) handlerFor(op);
    complete = true;
  }
  return t;
}

/** Whether `op` is an assigned 68000 instruction (not illegal, line A or line F). */
export function isAssignedOpcode(op: number): boolean {
  const handler = handlerFor(op & 0xffff);
  return handler !== illegal && handler !== lineA && handler !== lineF;
}

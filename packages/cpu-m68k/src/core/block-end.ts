import type { Handler } from './handler.js';
import { illegal, lineA, lineF } from './ops/system.js';

/**
 * Whether the instruction with opcode `op` must be the last of a block: it may leave the
 * straight line (branches, jumps, returns, traps, exceptions such as CHK and divide by zero,
 * privilege violations), change SR's supervisor, trace or interrupt bits, or stop `run`.
 */
export function endsBlock(op: number, handler: Handler): boolean {
  if (handler === illegal || handler === lineA || handler === lineF) return true;
  const top = op >>> 12;
  if (top === 0x6 || top === 0xa || top === 0xf) return true; // Bcc, BRA, BSR; line A and F
  if ((op & 0xf0f8) === 0x50c8) return true; // DBcc
  if ((op & 0xff80) === 0x4e80) return true; // JSR, JMP
  if ((op & 0xfff0) === 0x4e40 || (op & 0xfff0) === 0x4e60) return true; // TRAP; MOVE USP
  if ((op & 0xfff8) === 0x4e70 && op !== 0x4e71) return true; // RESET, STOP, RTE, RTD, RTS, TRAPV, RTR
  if ((op & 0xffc0) === 0x46c0) return true; // MOVE to SR
  if (op === 0x007c || op === 0x027c || op === 0x0a7c) return true; // ORI, ANDI, EORI to SR
  if ((op & 0xf1c0) === 0x4180) return true; // CHK
  if ((op & 0xf0c0) === 0x80c0) return true; // DIVU, DIVS
  return false;
}

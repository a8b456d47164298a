/** Convenience wrappers that decode and format in one step. */
import { decodeInstruction } from './decode.js';
import { formatInstruction } from './format.js';
import type { DecodedInstruction, ReadWord, Syntax } from './types.js';

/** One line of a listing: the decoded instruction and its text. */
export interface DisassemblyLine {
  readonly instruction: DecodedInstruction;
  readonly text: string;
}

/** Decodes and formats the instruction at `address`. */
export function disassemble(readWord: ReadWord, address: number, syntax: Syntax = 'motorola'): DisassemblyLine {
  const instruction = decodeInstruction(readWord, address);
  return { instruction, text: formatInstruction(instruction, syntax) };
}

/** Disassembles linearly from `start` (inclusive) to `end` (exclusive), as objdump does. */
export function disassembleRange(readWord: ReadWord, start: number, end: number, syntax: Syntax = 'motorola'): DisassemblyLine[] {
  const lines: DisassemblyLine[] = [];
  let address = start;
  while (address < end) {
    const line = disassemble(readWord, address, syntax);
    lines.push(line);
    address += line.instruction.length;
  }
  return lines;
}

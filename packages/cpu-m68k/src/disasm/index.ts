/**
 * @packageDocumentation
 * The 68000 disassembler: a table-driven structured decoder and two text syntaxes.
 */
export type {
  DecodedInstruction,
  EaAccess,
  EaMode,
  EffectiveAddress,
  IndexRegister,
  Operand,
  OperationSize,
  ReadWord,
  Syntax,
} from './types.js';
export { decodeInstruction, bytesReader } from './decode.js';
export { formatInstruction } from './format.js';
export { opcodeForm, CONDITIONS, type OpcodeForm, type OperandSpec } from './opcode-table.js';
export { disassemble, disassembleRange, type DisassemblyLine } from './disassemble.js';

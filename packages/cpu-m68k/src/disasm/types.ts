/**
 * The structured result of decoding one 68000 instruction.
 *
 * These types are what the restart strategies reason about (which addressing modes an
 * instruction uses, where its extension words are, what its effective addresses evaluate to),
 * and what the text formatters print.
 */

/** The operation size of an instruction: byte, word, long, or none (unsized instructions). */
export type OperationSize = 'b' | 'w' | 'l' | null;

/**
 * A 68000 addressing mode.
 *
 * `dn` Dn, `an` An, `ind` (An), `postinc` (An)+, `predec` -(An), `disp` d16(An),
 * `index` d8(An,Xn), `absw` abs.W, `absl` abs.L, `pcdisp` d16(PC), `pcindex` d8(PC,Xn),
 * `imm` #data.
 */
export type EaMode =
  | 'dn'
  | 'an'
  | 'ind'
  | 'postinc'
  | 'predec'
  | 'disp'
  | 'index'
  | 'absw'
  | 'absl'
  | 'pcdisp'
  | 'pcindex'
  | 'imm';

/**
 * What the instruction does with the operand at an effective address.
 *
 * `read` loads it, `write` stores it without reading, `modify` reads then writes it, and
 * `address` only computes the address (LEA, PEA, JMP, JSR, MOVEM's base) or names a register.
 */
export type EaAccess = 'read' | 'write' | 'modify' | 'address';

/** The index register of a `d8(An,Xn)` or `d8(PC,Xn)` operand. */
export interface IndexRegister {
  /** 0..7 for D0..D7, 8..15 for A0..A7. */
  readonly register: number;
  /** True for `Xn.L`, false for `Xn.W` (sign-extended low word). */
  readonly long: boolean;
}

/** One operand of the instruction that is a 68000 addressing mode. */
export interface EffectiveAddress {
  /** The addressing mode. */
  readonly mode: EaMode;
  /** The register field: An/Dn number for register modes, the mode-7 sub-mode (0..4) otherwise. */
  readonly register: number;
  /** The size of the data reference in bytes, or 0 when no data is referenced through it. */
  readonly size: 0 | 1 | 2 | 4;
  /** Whether this is the instruction's source or destination operand. */
  readonly role: 'source' | 'destination';
  /** What the instruction does with the operand. */
  readonly access: EaAccess;
  /** The sign-extended displacement of `disp`, `index`, `pcdisp` and `pcindex`; 0 otherwise. */
  readonly displacement: number;
  /** The index register of `index` and `pcindex`, null otherwise. */
  readonly index: IndexRegister | null;
  /** The address of `absw`/`absl` (abs.W sign-extended), or `pcdisp`'s target without index; 0 otherwise. */
  readonly absolute: number;
  /** The immediate value of `imm` (unsigned, size-masked); 0 otherwise. */
  readonly immediate: number;
  /** The address of this operand's first extension word, or null if it has none. */
  readonly extensionAddress: number | null;
  /** How many extension words this operand uses (0..2). */
  readonly extensionWords: number;
}

/** An operand of a decoded instruction, in assembly order. */
export type Operand =
  | { readonly kind: 'ea'; readonly ea: EffectiveAddress }
  /** An immediate that is not an EA field: ORI's data, ADDQ's 1..8, TRAP's vector, a static bit number. */
  | { readonly kind: 'imm'; readonly value: number; readonly size: OperationSize }
  /** A branch target (Bcc, BRA, BSR, DBcc). */
  | { readonly kind: 'branch'; readonly target: number }
  /** A MOVEM register list, normalised so that bit i is register i (D0..D7 = 0..7, A0..A7 = 8..15). */
  | { readonly kind: 'reglist'; readonly mask: number }
  /** The status register, condition-code register, or user stack pointer. */
  | { readonly kind: 'special'; readonly name: 'sr' | 'ccr' | 'usp' };

/** One decoded 68000 instruction. */
export interface DecodedInstruction {
  /** Where the instruction starts. */
  readonly address: number;
  /** The opcode word. */
  readonly opcode: number;
  /** Its length in bytes (2..10); 2 for an invalid opcode. */
  readonly length: number;
  /** The base mnemonic, lowercase, without size (`move`, `addq`, `beq`); `.short` when invalid. */
  readonly mnemonic: string;
  /** The operation size. */
  readonly size: OperationSize;
  /** For branches: `s` (8-bit displacement) or `w` (16-bit); null otherwise. */
  readonly branchSize: 's' | 'w' | null;
  /** The operands in assembly order (source first). */
  readonly operands: readonly Operand[];
  /** The operands that are addressing modes, in assembly order. */
  readonly effectiveAddresses: readonly EffectiveAddress[];
  /** False when the word is not a 68000 instruction (line A, line F, 68010+ opcodes, bad EA). */
  readonly valid: boolean;
  /** The extension words in fetch order, with their addresses. */
  readonly extensionWords: readonly { readonly address: number; readonly value: number }[];
}

/** Reads the big-endian word at an address (the instruction stream). */
export type ReadWord = (address: number) => number;

/** The text syntaxes the formatter supports. */
export type Syntax = 'motorola' | 'mit';

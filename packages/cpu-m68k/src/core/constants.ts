/**
 * Numeric constants shared by the interpreter. The contract's enums are `as const` objects
 * read at run time; the interpreter uses these plain numbers on its hot paths so its inner
 * loop never loads a property of another module's object.
 */

/** Condition-code bits of the status register. */
export const C = 0x01;
export const V = 0x02;
export const Z = 0x04;
export const N = 0x08;
export const X = 0x10;

/** Status-register system bits. */
export const SR_S = 0x2000;
export const SR_T = 0x8000;
/** The bits of SR that exist on a 68000 (T, S, I2..I0, XNZVC). */
export const SR_MASK = 0xa71f;

/** Values of the contract's `AccessKind`. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_FETCH = 2;

/** Values of the contract's `FaultCause`. */
export const CAUSE_ADDRESS_ERROR = 3;

/** Values of the contract's `CpuStopReason`. */
export const STOP_BUDGET = 0;
export const STOP_TRAP = 1;
export const STOP_BUS_FAULT = 2;
export const STOP_STOPPED = 3;
export const STOP_HALTED = 4;

/** Exception vector numbers. */
export const VEC_BUS_ERROR = 2;
export const VEC_ADDRESS_ERROR = 3;
export const VEC_ILLEGAL = 4;
export const VEC_ZERO_DIVIDE = 5;
export const VEC_CHK = 6;
export const VEC_TRAPV = 7;
export const VEC_PRIVILEGE = 8;
export const VEC_TRACE = 9;
export const VEC_LINE_A = 10;
export const VEC_LINE_F = 11;
export const VEC_SPURIOUS = 24;
export const VEC_TRAP_BASE = 32;

/** The 68000 drives 24 address lines. */
export const ADDRESS_MASK = 0xffffff;

/** Operand masks and sign bits by size in bytes (index 1, 2, 4). Long values are kept as int32. */
export const SIZE_MASK = [0, 0xff, 0xffff, 0, -1] as const;
export const SIZE_MSB = [0, 0x80, 0x8000, 0, -0x80000000] as const;

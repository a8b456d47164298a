/**
 * 68000 cycle counts (MC68000 User's Manual, section 8). Instruction handlers charge their
 * base time plus the effective-address time from here; data-dependent times (shifts,
 * multiply, divide) are computed by the handlers from the helpers below.
 */

/** Effective-address calculation time for byte/word operands, by mode (0..6) and mode-7 register (7..11). */
const EA_WORD = [0, 0, 4, 4, 6, 8, 10, 8, 12, 8, 10, 4];
/** The same for long operands. */
const EA_LONG = [0, 0, 8, 8, 10, 12, 14, 12, 16, 12, 14, 8];

/** Index into the EA tables: modes 0..6, then 7 + register for mode 7. */
export function eaIndex(mode: number, reg: number): number {
  return mode < 7 ? mode : 7 + reg;
}

/** Effective-address time of an operand of `size` bytes. */
export function eaCycles(mode: number, reg: number, size: number): number {
  const i = eaIndex(mode, reg);
  return (size === 4 ? EA_LONG[i] : EA_WORD[i]) ?? 0;
}

/** Destination time of MOVE (its -(An) costs no more than (An): the decrement overlaps). */
export function moveDestCycles(mode: number, reg: number, size: number): number {
  if (mode === 4) return size === 4 ? 8 : 4;
  return eaCycles(mode, reg, size);
}

/** Cycles of a group-1/2 exception (TRAP, illegal, privilege, trace): stacking and the new prefetch. */
export const EXCEPTION_CYCLES = 34;
/** Cycles of taking an interrupt (autovectored). */
export const INTERRUPT_CYCLES = 44;
/**
 * Cycles of a group-0 (bus or address error) exception counted from the aborted reference:
 * the aborted cycle (4), an internal 8, seven stack writes, the vector and the two prefetches.
 */
export const GROUP0_CYCLES = 58;

/** MULU: 38 + 2 per set bit of the source. */
export function muluCycles(source: number): number {
  let n = 0;
  for (let v = source & 0xffff; v !== 0; v &= v - 1) n++;
  return 38 + 2 * n;
}

/** MULS: 38 + 2 per 01 or 10 pair in the source with a 0 appended below it. */
export function mulsCycles(source: number): number {
  const v = ((source & 0xffff) << 1) ^ (source & 0xffff);
  let n = 0;
  for (let bits = v & 0xffff; bits !== 0; bits &= bits - 1) n++;
  return 38 + 2 * n;
}

/** DIVU without the EA time, following the 68000's shift-and-subtract microcode. */
export function divuCycles(dividend: number, divisor: number): number {
  let d = dividend >>> 0;
  if (d >>> 16 >= divisor) return 10;
  let mcycles = 38;
  const hdivisor = (divisor << 16) >>> 0;
  for (let i = 0; i < 15; i++) {
    const temp = d;
    d = (d << 1) >>> 0;
    if ((temp & 0x80000000) !== 0) {
      d = (d - hdivisor) >>> 0;
    } else {
      mcycles += 2;
      if (d >= hdivisor) {
        d = (d - hdivisor) >>> 0;
        mcycles--;
      }
    }
  }
  return mcycles * 2;
}

/** DIVS without the EA time. */
export function divsCycles(dividend: number, divisor: number): number {
  let mcycles = 6;
  if (dividend < 0) mcycles++;
  const absDividend = Math.abs(dividend);
  const absDivisor = Math.abs(divisor);
  if (Math.floor(absDividend / 65536) >= absDivisor) return (mcycles + 2) * 2;
  let quotient = Math.floor(absDividend / absDivisor);
  mcycles += 55;
  if (divisor >= 0) {
    if (dividend >= 0) mcycles--;
    else mcycles++;
  }
  for (let i = 0; i < 15; i++) {
    if ((quotient & 0x8000) === 0) mcycles++;
    quotient = (quotient << 1) & 0xffff;
  }
  return mcycles * 2;
}

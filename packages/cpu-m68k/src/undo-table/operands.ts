/**
 * Where an instruction's memory operands lie, given the registers it starts with: the bench
 * uses it to say which operand a faulting reference belongs to, and the SingleStepTests check
 * uses it to find which operand an address error hit. Operands are evaluated in order with the
 * earlier ones' `(An)+`/`-(An)` applied, as the 68000 evaluates them.
 */
import type { DecodedInstruction, EffectiveAddress } from '../disasm/types.js';
import { autoStep } from './forms.js';

const ADDRESS_MASK = 0xffffff;

/** The bytes one memory operand covers. */
export interface OperandSpan {
  /** `source` or `destination`. */
  readonly role: EffectiveAddress['role'];
  /** The operand's size in bytes (per register for a MOVEM list). */
  readonly size: number;
  /** Whether it is a MOVEM list's block. */
  readonly list: boolean;
  /** Lowest byte address (24-bit). */
  readonly low: number;
  /** One past the highest byte address. */
  readonly high: number;
}

const popcount = (mask: number): number => {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
};

/** Whether `address` is one of the span's bytes. */
export const spanHolds = (span: OperandSpan, address: number): boolean => {
  const offset = (address - span.low) & ADDRESS_MASK;
  return offset < ((span.high - span.low) & ADDRESS_MASK || 0x1000000);
};

/** The span of every memory operand of `decoded`, started with `registers` (D0..D7, A0..A7). */
export function operandSpans(decoded: DecodedInstruction, registers: Uint32Array): OperandSpan[] {
  const r = Uint32Array.from(registers);
  const reglist = decoded.operands.find((o) => o.kind === 'reglist');
  const movemCount = reglist?.kind === 'reglist' ? popcount(reglist.mask) : 0;
  const toRegisters = reglist !== undefined && decoded.operands[0]?.kind === 'ea';
  const spans: OperandSpan[] = [];
  for (const ea of decoded.effectiveAddresses) {
    const base = r[8 + ea.register]!;
    let start: number;
    switch (ea.mode) {
      case 'dn':
      case 'an':
      case 'imm':
        continue;
      case 'ind':
      case 'postinc':
        start = base;
        break;
      case 'predec':
        start = base - (reglist !== undefined ? movemCount * ea.size : autoStep(ea));
        break;
      case 'disp':
        start = base + ea.displacement;
        break;
      case 'index':
      case 'pcindex': {
        const x = r[ea.index!.register]!;
        const origin = ea.mode === 'index' ? base : (ea.extensionAddress ?? 0);
        start = origin + ea.displacement + (ea.index!.long ? x : (x << 16) >> 16);
        break;
      }
      case 'absw':
      case 'absl':
      case 'pcdisp':
        start = ea.absolute;
        break;
    }
    // MOVEM to registers reads one word past the last register.
    const length = reglist !== undefined ? movemCount * ea.size + (toRegisters ? 2 : 0) : Math.max(ea.size, 1);
    const low = start & ADDRESS_MASK;
    spans.push({ role: ea.role, size: ea.size, list: reglist !== undefined, low, high: (low + length) & ADDRESS_MASK });
    const moved = reglist !== undefined ? movemCount * ea.size : autoStep(ea);
    if (ea.mode === 'postinc') r[8 + ea.register] = base + moved;
    if (ea.mode === 'predec') r[8 + ea.register] = base - moved;
  }
  return spans;
}

/** The operand whose bytes hold `address`, preferring one of `role` when operands overlap. */
export function operandAt(spans: readonly OperandSpan[], address: number, prefer?: EffectiveAddress['role']): OperandSpan | null {
  const hits = spans.filter((s) => spanHolds(s, address & ADDRESS_MASK));
  return hits.find((s) => s.role === prefer) ?? hits[0] ?? null;
}

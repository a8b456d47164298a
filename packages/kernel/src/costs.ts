import { ConfigurationError, type CostModel } from '@pagelab/contracts';

/**
 * Default costs, in 68000 cycles at 8 MHz. A disk is milliseconds away (an 8 MHz CPU does
 * 8,000 cycles a millisecond), a copy costs about what a `move.l (a0)+,(a1)+` loop costs per
 * byte, and a context switch about as much as saving and restoring the registers plus
 * scheduler work.
 */
export const defaultCostModel: CostModel = {
  trapEntryExit: 150,
  contextSwitch: 1_000,
  tlbMissWalk: 40,
  faultService: 2_000,
  zeroFillPerByte: 1,
  copyPerByte: 3,
  swapLatency: 40_000,
  swapPerByte: 2,
  diskSeek: 60_000,
  diskPerByte: 2,
  dmaBurstBytes: 64,
  dmaBurstInterval: 128,
};

/**
 * The largest cost any one item may have: about two minutes of an 8 MHz CPU. Anything larger
 * is a typo, and sums of such costs would lose integer precision in the simulated clock.
 */
export const MAX_COST_CYCLES = 1_000_000_000;

const show = (value: unknown): string => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value)));

/** The default cost model with `overrides` applied, each checked to be a non-negative number. */
export function costModel(overrides: Partial<Record<keyof CostModel, unknown>> = {}): CostModel {
  const merged: Record<string, number> = { ...defaultCostModel };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in defaultCostModel)) {
      throw new ConfigurationError(`costs.${key}`, `unknown cost; known costs are ${Object.keys(defaultCostModel).join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_COST_CYCLES) {
      throw new ConfigurationError(`costs.${key}`, `expected a finite number of cycles from 0 to ${MAX_COST_CYCLES}, got ${show(value)}`);
    }
    merged[key] = value;
  }
  if (merged.dmaBurstBytes! < 1) throw new ConfigurationError('costs.dmaBurstBytes', 'must be at least 1 byte');
  return merged as unknown as CostModel;
}

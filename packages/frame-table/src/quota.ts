import { ConfigurationError, type LockQuota } from '@pagelab/contracts';

/** No limits, refusals rather than hints, never under pressure. */
const DEFAULT_QUOTA: LockQuota = { mode: 'refuse', perAddressSpace: Infinity, global: Infinity, pressureThreshold: 0 };

function checkLimit(field: string, value: number): void {
  if (value !== Infinity && (!Number.isInteger(value) || value < 0)) {
    throw new ConfigurationError(field, `must be a non-negative integer or Infinity, got ${String(value)}`);
  }
}

/** Fills in the quota's defaults and rejects values that cannot work, naming the field. */
export function resolveQuota(quota: Partial<LockQuota> | undefined): LockQuota {
  const resolved: LockQuota = { ...DEFAULT_QUOTA, ...quota };
  if (resolved.mode !== 'refuse' && resolved.mode !== 'hint') {
    throw new ConfigurationError('quota.mode', `must be 'refuse' or 'hint', got ${JSON.stringify(resolved.mode)}`);
  }
  checkLimit('quota.perAddressSpace', resolved.perAddressSpace);
  checkLimit('quota.global', resolved.global);
  if (!Number.isInteger(resolved.pressureThreshold) || resolved.pressureThreshold < 0) {
    throw new ConfigurationError('quota.pressureThreshold', `must be a non-negative integer, got ${String(resolved.pressureThreshold)}`);
  }
  return Object.freeze(resolved);
}

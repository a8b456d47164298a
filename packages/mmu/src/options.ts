import { ConfigurationError, type MmuOptions, type VirtualAddressWidth } from '@pagelab/contracts';
import { MAX_FRAMES } from './pte.js';

/** MmuOptions with every default filled in and every value checked. */
export interface MmuConfig {
  readonly frameCount: number;
  readonly pageSize: number;
  readonly pageShift: number;
  readonly addressWidth: VirtualAddressWidth;
  readonly tlbEntries: number;
  readonly tlbWays: number;
}

const MIN_PAGE_SIZE = 256;
const MAX_PAGE_SIZE = 65_536;
const MAX_TLB_ENTRIES = 65_536;
/** Physical addresses are kept in Int32Arrays (the TLB) and returned as non-negative numbers. */
const MAX_PHYSICAL_BYTES = 2 ** 31;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Fills in defaults and rejects anything the MMU cannot build, naming the field. */
export function resolveMmuOptions(options: MmuOptions): MmuConfig {
  const { frameCount } = options;
  const pageSize = options.pageSize ?? 4096;
  const addressWidth = options.addressWidth ?? 32;
  const tlbEntries = options.tlbEntries ?? 64;
  const tlbWays = options.tlbWays ?? Math.min(4, tlbEntries);

  if (!Number.isInteger(pageSize) || !isPowerOfTwo(pageSize) || pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE) {
    throw new ConfigurationError('pageSize', `must be a power of two from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE} bytes, got ${String(pageSize)}`);
  }
  if (addressWidth !== 24 && addressWidth !== 32) {
    throw new ConfigurationError('addressWidth', `must be 24 or 32 bits, got ${String(addressWidth)}`);
  }
  if (!Number.isInteger(frameCount) || frameCount < 1 || frameCount > MAX_FRAMES) {
    throw new ConfigurationError('frameCount', `must be an integer from 1 to ${MAX_FRAMES}, got ${String(frameCount)}`);
  }
  if (frameCount * pageSize > MAX_PHYSICAL_BYTES) {
    throw new ConfigurationError('frameCount', `${frameCount} frames of ${pageSize} bytes exceed the 2 GiB of physical memory the MMU can address`);
  }
  if (!isPowerOfTwo(tlbEntries) || tlbEntries > MAX_TLB_ENTRIES) {
    throw new ConfigurationError('tlbEntries', `must be a power of two up to ${MAX_TLB_ENTRIES}, got ${String(tlbEntries)}`);
  }
  if (!isPowerOfTwo(tlbWays) || tlbWays > tlbEntries) {
    throw new ConfigurationError('tlbWays', `must be a power of two no larger than tlbEntries (${tlbEntries}), got ${String(tlbWays)}`);
  }
  return { frameCount, pageSize, pageShift: Math.log2(pageSize), addressWidth, tlbEntries, tlbWays };
}

import type { Bus } from '@pagelab/contracts';

/**
 * A {@link Bus} over one `Uint8Array`, with no translation and no faults: addresses wrap
 * modulo the memory size (a power of two; 16 MiB gives the 68000's 24-bit space). It is the
 * bus for bare-metal programs, tests and benchmarks.
 */
export class FlatBus implements Bus {
  /** The memory; big-endian words and longs, as the 68000 sees them. */
  readonly memory: Uint8Array;
  private readonly mask: number;

  /** @param memory backing store, or its size in bytes (a power of two, default 16 MiB) */
  constructor(memory: Uint8Array | number = 0x1000000) {
    this.memory = typeof memory === 'number' ? new Uint8Array(memory) : memory;
    const size = this.memory.length;
    if (size === 0 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FlatBus: memory size ${size} is not a power of two`);
    }
    this.mask = size - 1;
  }

  read8(address: number): number {
    return this.memory[address & this.mask]!;
  }

  read16(address: number): number {
    const m = this.memory;
    const a = address & this.mask;
    return (m[a]! << 8) | m[(a + 1) & this.mask]!;
  }

  read32(address: number): number {
    const m = this.memory;
    const mask = this.mask;
    const a = address & mask;
    return ((m[a]! << 24) | (m[(a + 1) & mask]! << 16) | (m[(a + 2) & mask]! << 8) | m[(a + 3) & mask]!) >>> 0;
  }

  write8(address: number, value: number): void {
    this.memory[address & this.mask] = value;
  }

  write16(address: number, value: number): void {
    const m = this.memory;
    const a = address & this.mask;
    m[a] = value >>> 8;
    m[(a + 1) & this.mask] = value;
  }

  write32(address: number, value: number): void {
    const m = this.memory;
    const mask = this.mask;
    const a = address & mask;
    m[a] = value >>> 24;
    m[(a + 1) & mask] = value >>> 16;
    m[(a + 2) & mask] = value >>> 8;
    m[(a + 3) & mask] = value;
  }

  fetch16(address: number): number {
    const m = this.memory;
    const a = address & this.mask;
    return (m[a]! << 8) | m[(a + 1) & this.mask]!;
  }

  /** Copies `bytes` into memory at `address` (a loader convenience). */
  load(address: number, bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.memory[(address + i) & this.mask] = bytes[i]!;
  }
}

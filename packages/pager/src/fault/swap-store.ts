import { ConfigurationError, SwapExhaustedError } from '@pagelab/contracts';
import type { BackingStore, CostModel, SimulatedClock } from '@pagelab/contracts';

/** How a swap area is built. */
export interface SwapStoreOptions {
  /** Bytes per slot: the page size. */
  readonly pageSize: number;
  /** Number of slots. */
  readonly slots: number;
  /** The clock every transfer is charged to. */
  readonly clock: SimulatedClock;
  /** Where the charges come from (`swapLatency`, `swapPerByte`). */
  readonly costs: CostModel;
}

/**
 * An in-memory swap area with a fixed number of page slots. Slot storage is allocated on a
 * slot's first write, so a large, mostly unused swap area costs little host memory. Free slots
 * are handed out lowest first, for reproducible runs.
 */
export class SwapStore implements BackingStore {
  readonly pageSize: number;
  readonly capacity: number;
  reads = 0;
  writes = 0;
  private readonly contents: (Uint8Array | undefined)[];
  private readonly allocated: Uint8Array;
  private readonly freeStack: Int32Array;
  private freeCount: number;

  constructor(private readonly options: SwapStoreOptions) {
    const { pageSize, slots } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1 || (pageSize & (pageSize - 1)) !== 0) {
      throw new ConfigurationError('swap.pageSize', `must be a power of two, got ${pageSize}`);
    }
    if (!Number.isInteger(slots) || slots < 0) {
      throw new ConfigurationError('swap.slots', `must be a non-negative integer, got ${slots}`);
    }
    this.pageSize = pageSize;
    this.capacity = slots;
    this.contents = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.allocated = new Uint8Array(slots);
    // Stack with the lowest slot on top.
    this.freeStack = new Int32Array(slots);
    for (let i = 0; i < slots; i++) this.freeStack[i] = slots - 1 - i;
    this.freeCount = slots;
  }

  get usedSlots(): number {
    return this.capacity - this.freeCount;
  }

  allocateSlot(): number {
    if (this.freeCount === 0) {
      throw new SwapExhaustedError(`swap full: all ${this.capacity} slots of ${this.pageSize} bytes are in use`);
    }
    const slot = this.freeStack[--this.freeCount] as number;
    this.allocated[slot] = 1;
    return slot;
  }

  freeSlot(slot: number): void {
    this.check(slot);
    this.allocated[slot] = 0;
    this.contents[slot] = undefined;
    // Keep the lowest free slot on top: insert in order (frees are rare next to faults).
    let i = this.freeCount++;
    while (i > 0 && (this.freeStack[i - 1] as number) < slot) {
      this.freeStack[i] = this.freeStack[i - 1] as number;
      i--;
    }
    this.freeStack[i] = slot;
  }

  readPage(slot: number, into: Uint8Array): void {
    this.check(slot);
    this.checkLength(into);
    const stored = this.contents[slot];
    if (stored === undefined) into.fill(0);
    else into.set(stored);
    this.reads++;
    this.charge();
  }

  writePage(slot: number, from: Uint8Array): void {
    this.check(slot);
    this.checkLength(from);
    let stored = this.contents[slot];
    if (stored === undefined) {
      stored = new Uint8Array(this.pageSize);
      this.contents[slot] = stored;
    }
    stored.set(from);
    this.writes++;
    this.charge();
  }

  private charge(): void {
    const { clock, costs } = this.options;
    clock.advance(costs.swapLatency + costs.swapPerByte * this.pageSize);
  }

  private check(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.capacity || this.allocated[slot] !== 1) {
      throw new RangeError(`swap slot ${slot} is not allocated`);
    }
  }

  private checkLength(bytes: Uint8Array): void {
    if (bytes.length !== this.pageSize) {
      throw new RangeError(`a swap transfer moves exactly one page (${this.pageSize} bytes), got ${bytes.length}`);
    }
  }
}

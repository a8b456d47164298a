import type { SimulatedClock } from '@pagelab/contracts';

/**
 * A view of a clock that adds up what is charged through it: the kernel hands one to the swap
 * area, so the cycles the CPU stalls in page transfers are the kernel's own measurement, whatever
 * backing store is plugged in.
 */
export class CountingClock implements SimulatedClock {
  /** Cycles charged through this view so far. */
  charged = 0;

  constructor(private readonly clock: SimulatedClock) {}

  get now(): number {
    return this.clock.now;
  }

  advance(cycles: number): void {
    this.clock.advance(cycles);
    this.charged += cycles;
  }
}

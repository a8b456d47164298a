import type { SimulatedClock } from '@pagelab/contracts';

/** The one clock of a system, in CPU cycles. */
export class SimulationClock implements SimulatedClock {
  private time = 0;

  get now(): number {
    return this.time;
  }

  advance(cycles: number): void {
    if (!(cycles >= 0) || !Number.isFinite(cycles)) throw new RangeError(`the clock only moves forward (advance by ${cycles})`);
    this.time += cycles;
  }

  /** Moves the clock to `time` if that is later (idle time until the next event). */
  advanceTo(time: number): void {
    if (time > this.time) this.time = time;
  }
}

import type { SimulatedClock } from '@pagelab/contracts';
import type { SimulationClock } from './simulation-clock.js';

/**
 * The clock the pager sees. Normally it is the system clock. While the kernel serves a
 * process's page fault it defers instead: the time the pager charges (swap reads, writes,
 * zero fills) is collected rather than spent, and the kernel puts the faulting process to
 * sleep for that long while others run, as a real kernel does during a page-in.
 */
export class DeferrableClock implements SimulatedClock {
  private deferred = 0;
  private deferring = false;

  constructor(private readonly system: SimulationClock) {}

  get now(): number {
    return this.system.now + this.deferred;
  }

  advance(cycles: number): void {
    if (this.deferring) {
      if (!(cycles >= 0)) throw new RangeError(`the clock only moves forward (advance by ${cycles})`);
      this.deferred += cycles;
    } else {
      this.system.advance(cycles);
    }
  }

  /** Starts collecting charges instead of spending them. */
  defer(): void {
    this.deferring = true;
    this.deferred = 0;
  }

  /** Stops collecting and returns the cycles collected since `defer`. */
  collect(): number {
    const cycles = this.deferred;
    this.deferring = false;
    this.deferred = 0;
    return cycles;
  }
}

import type { EventQueue, ScheduledEvent, SimulatedClock } from '@pagelab/contracts';

/**
 * A clock and an event queue in one, for driving a package under test by hand: `runUntilIdle`
 * fires every event in time order, moving the clock to each event's time first. Ties fire in
 * the order they were scheduled, as the contract requires.
 */
export class SimulatedTime implements SimulatedClock, EventQueue {
  private time = 0;
  private sequence = 0;
  private readonly pending: { event: ScheduledEvent; order: number }[] = [];

  get now(): number {
    return this.time;
  }

  get size(): number {
    return this.pending.length;
  }

  advance(cycles: number): void {
    if (!(cycles >= 0)) throw new RangeError(`time cannot move backward (advance by ${cycles})`);
    this.time += cycles;
  }

  schedule(event: ScheduledEvent): void {
    const entry = { event, order: this.sequence++ };
    let index = this.pending.length;
    while (index > 0) {
      const before = this.pending[index - 1]!;
      if (before.event.at <= event.at) break;
      index--;
    }
    this.pending.splice(index, 0, entry);
  }

  nextAt(): number {
    return this.pending[0]?.event.at ?? Infinity;
  }

  fireUntil(time: number): number {
    let fired = 0;
    while (this.pending.length > 0 && this.pending[0]!.event.at <= time) {
      const { event } = this.pending.shift()!;
      if (event.at > this.time) this.time = event.at;
      event.fire();
      fired++;
    }
    return fired;
  }

  /** Fires events until none is left (or `limit` have fired, against runaway schedules); returns how many fired. */
  runUntilIdle(limit = 10_000_000): number {
    let fired = 0;
    while (this.pending.length > 0 && fired < limit) fired += this.fireUntil(this.nextAt());
    return fired;
  }
}

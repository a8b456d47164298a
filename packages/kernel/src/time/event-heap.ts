import type { EventQueue, ScheduledEvent } from '@pagelab/contracts';

/** Slots a new heap has room for before it first grows. */
const INITIAL_CAPACITY = 64;

/**
 * The system's event queue: a binary min-heap on (time, scheduling order), so events at the
 * same time fire in the order they were scheduled and runs stay deterministic.
 *
 * The keys live in typed arrays beside the events, read from each event once when it is
 * scheduled: the heap's comparisons then never touch an event object (events of several
 * shapes, a DMA transfer's next burst and a sleeper's wake-up, make every property read on
 * them polymorphic), and a new system's heap meets the same array kinds as the last one's
 * optimised code expects.
 */
export class EventHeap implements EventQueue {
  /**
   * The events in heap order; slots from `count` on are empty. The literal holds `undefined`
   * so that the array's elements can hold objects from the start and never change kind.
   */
  private readonly events: (ScheduledEvent | undefined)[] = [undefined];
  private times = new Float64Array(INITIAL_CAPACITY);
  private orders = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private sequence = 0;

  get size(): number {
    return this.count;
  }

  schedule(event: ScheduledEvent): void {
    const at = event.at;
    if (!Number.isFinite(at)) throw new RangeError(`event time must be finite, got ${at}`);
    if (this.count === this.times.length) this.grow();
    const order = this.sequence++;
    // Sift up with a hole: parents later than the new event move down into it.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= at) break; // at equal times the parent was scheduled first
      this.moveSlot(parent, i);
      i = parent;
    }
    this.fill(i, event, at, order);
  }

  nextAt(): number {
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  fireUntil(time: number): number {
    let fired = 0;
    while (this.count > 0 && this.times[0]! <= time) {
      this.pop().fire();
      fired++;
    }
    return fired;
  }

  private pop(): ScheduledEvent {
    const top = this.events[0]!;
    const last = --this.count;
    const event = this.events[last]!;
    const at = this.times[last]!;
    const order = this.orders[last]!;
    this.events[last] = undefined;
    if (last > 0) this.siftDown(event, at, order, last);
    return top;
  }

  /** Puts (`event`, `at`, `order`) in the heap's first `n` slots, starting from the hole at the root. */
  private siftDown(event: ScheduledEvent, at: number, order: number, n: number): void {
    const times = this.times;
    const orders = this.orders;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && (times[right]! < times[left]! || (times[right] === times[left] && orders[right]! < orders[left]!))) child = right;
      if (at < times[child]! || (at === times[child] && order < orders[child]!)) break;
      this.moveSlot(child, i);
      i = child;
    }
    this.fill(i, event, at, order);
  }

  private moveSlot(from: number, to: number): void {
    this.events[to] = this.events[from];
    this.times[to] = this.times[from]!;
    this.orders[to] = this.orders[from]!;
  }

  /** (A slot at the array's end appends: the heap's slots stay without holes.) */
  private fill(slot: number, event: ScheduledEvent, at: number, order: number): void {
    this.events[slot] = event;
    this.times[slot] = at;
    this.orders[slot] = order;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const orders = new Float64Array(this.orders.length * 2);
    orders.set(this.orders);
    this.orders = orders;
  }
}

import type { EventQueue, ScheduledEvent } from '@pagelab/contracts';

/**
 * The system's event queue: a binary min-heap on (time, scheduling order), so events at the
 * same time fire in the order they were scheduled and runs stay deterministic.
 */
export class EventHeap implements EventQueue {
  private events: ScheduledEvent[] = [];
  private order: number[] = [];
  private sequence = 0;

  get size(): number {
    return this.events.length;
  }

  schedule(event: ScheduledEvent): void {
    if (!Number.isFinite(event.at)) throw new RangeError(`event time must be finite, got ${event.at}`);
    this.events.push(event);
    this.order.push(this.sequence++);
    this.siftUp(this.events.length - 1);
  }

  nextAt(): number {
    return this.events[0]?.at ?? Infinity;
  }

  fireUntil(time: number): number {
    let fired = 0;
    while (this.events.length > 0 && this.events[0]!.at <= time) {
      this.pop().fire();
      fired++;
    }
    return fired;
  }

  private pop(): ScheduledEvent {
    const top = this.events[0]!;
    const lastEvent = this.events.pop()!;
    const lastOrder = this.order.pop()!;
    if (this.events.length > 0) {
      this.events[0] = lastEvent;
      this.order[0] = lastOrder;
      this.siftDown(0);
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    const a = this.events[i]!.at;
    const b = this.events[j]!.at;
    return a < b || (a === b && this.order[i]! < this.order[j]!);
  }

  private swap(i: number, j: number): void {
    const e = this.events[i]!;
    this.events[i] = this.events[j]!;
    this.events[j] = e;
    const o = this.order[i]!;
    this.order[i] = this.order[j]!;
    this.order[j] = o;
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    const n = this.events.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.before(left, smallest)) smallest = left;
      if (right < n && this.before(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap.js';
import { SimulationClock } from './simulation-clock.js';

describe('EventHeap', () => {
  it('fires in (time, scheduling order) order, like a stable sort, for any schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const heap = new EventHeap();
        const fired: number[] = [];
        times.forEach((at, index) => heap.schedule({ at, fire: () => fired.push(index) }));
        expect(heap.fireUntil(Infinity)).toBe(times.length);
        const expected = times.map((at, index) => ({ at, index })).sort((a, b) => a.at - b.at || a.index - b.index);
        expect(fired).toEqual(expected.map((e) => e.index));
      }),
    );
  });

  it('keeps that order when events are scheduled while others fire, through growth and emptying', () => {
    // Each step schedules an event at now + delay, or fires up to now + advance; a plain array
    // sorted stably by time is the reference for what fires and in what order.
    const step = fc.oneof(fc.record({ delay: fc.integer({ min: 0, max: 40 }) }), fc.record({ advance: fc.integer({ min: 0, max: 30 }) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const heap = new EventHeap();
        const fired: number[] = [];
        let pending: { at: number; id: number }[] = [];
        const expected: number[] = [];
        let now = 0;
        let id = 0;
        for (const s of steps) {
          if ('delay' in s) {
            const event = { at: now + s.delay, id: id++ };
            pending.push(event);
            heap.schedule({ at: event.at, fire: () => fired.push(event.id) });
          } else {
            now += s.advance;
            const due = pending.filter((e) => e.at <= now).sort((a, b) => a.at - b.at || a.id - b.id);
            pending = pending.filter((e) => e.at > now);
            expected.push(...due.map((e) => e.id));
            expect(heap.fireUntil(now)).toBe(due.length);
          }
          expect(heap.size).toBe(pending.length);
          expect(heap.nextAt()).toBe(pending.length === 0 ? Infinity : Math.min(...pending.map((e) => e.at)));
        }
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('fires only what is due and lets events schedule more', () => {
    const heap = new EventHeap();
    const log: string[] = [];
    heap.schedule({ at: 10, fire: () => heap.schedule({ at: 12, fire: () => log.push('chained') }) });
    heap.schedule({ at: 20, fire: () => log.push('late') });
    expect(heap.fireUntil(15)).toBe(2);
    expect(log).toEqual(['chained']);
    expect(heap.nextAt()).toBe(20);
    expect(heap.size).toBe(1);
    expect(() => heap.schedule({ at: NaN, fire: () => undefined })).toThrow(RangeError);
  });
});

describe('SimulationClock', () => {
  it('moves only forward', () => {
    const clock = new SimulationClock();
    clock.advance(5);
    clock.advanceTo(3);
    expect(clock.now).toBe(5);
    clock.advanceTo(9);
    expect(clock.now).toBe(9);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

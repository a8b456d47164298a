import { describe, expect, it } from 'vitest';
import { PriorityRoundRobin } from './scheduler.js';

const proc = (pid: number, priority: number) => ({ pid, priority });

describe('PriorityRoundRobin', () => {
  it('runs the highest priority first and rotates equal priorities', () => {
    const s = new PriorityRoundRobin<{ pid: number; priority: number }>();
    const low = proc(1, 1);
    const a = proc(2, 5);
    const b = proc(3, 5);
    [low, a, b].forEach((p) => s.enqueue(p));
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const p = s.next()!;
      order.push(p.pid);
      if (p.priority === 5) s.enqueue(p);
    }
    expect(order).toEqual([2, 3, 2, 3]);
    expect(s.hasHigherThan(1)).toBe(true);
    expect(s.remove(a)).toBe(true);
    expect(s.remove(b)).toBe(true);
    expect(s.next()).toBe(low);
    expect(s.next()).toBeNull();
    expect(s.ready).toBe(0);
  });
});

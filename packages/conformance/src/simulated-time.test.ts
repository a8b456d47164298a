import { describe, expect, it } from 'vitest';
import { SimulatedTime } from './simulated-time.js';

describe('SimulatedTime', () => {
  it('fires events in time order, ties in scheduling order, moving the clock to each', () => {
    const time = new SimulatedTime();
    const fired: string[] = [];
    const at = (when: number, name: string) => time.schedule({ at: when, fire: () => fired.push(`${name}@${time.now}`) });
    at(30, 'c');
    at(10, 'a');
    at(30, 'd');
    at(20, 'b');
    expect(time.nextAt()).toBe(10);
    expect(time.fireUntil(20)).toBe(2);
    expect(time.runUntilIdle()).toBe(2);
    expect(fired).toEqual(['a@10', 'b@20', 'c@30', 'd@30']);
    expect(time.nextAt()).toBe(Infinity);
  });

  it('lets an event schedule another and refuses to run backward', () => {
    const time = new SimulatedTime();
    const seen: number[] = [];
    time.schedule({ at: 5, fire: () => time.schedule({ at: 8, fire: () => seen.push(time.now) }) });
    time.runUntilIdle();
    expect(seen).toEqual([8]);
    time.advance(2);
    expect(time.now).toBe(10);
    expect(() => time.advance(-1)).toThrow(RangeError);
  });
});

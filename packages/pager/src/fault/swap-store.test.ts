import { describe, expect, it } from 'vitest';
import { ConfigurationError, SwapExhaustedError } from '@pagelab/contracts';
import { SwapStore } from './swap-store.js';
import { PagerTestClock as FakeClock, pagerTestCosts as costs } from '@pagelab/conformance';

describe('SwapStore', () => {
  it('hands out the lowest free slot and refuses when full', () => {
    const store = new SwapStore({ pageSize: 16, slots: 3, clock: new FakeClock(), costs });
    expect([store.allocateSlot(), store.allocateSlot(), store.allocateSlot()]).toEqual([0, 1, 2]);
    expect(() => store.allocateSlot()).toThrow(SwapExhaustedError);
    store.freeSlot(2);
    store.freeSlot(0);
    expect(store.usedSlots).toBe(1);
    expect(store.allocateSlot()).toBe(0);
    expect(store.allocateSlot()).toBe(2);
  });

  it('round-trips a page and charges latency plus per-byte time per transfer', () => {
    const clock = new FakeClock();
    const store = new SwapStore({ pageSize: 16, slots: 2, clock, costs });
    const slot = store.allocateSlot();
    const empty = new Uint8Array(16).fill(9);
    store.readPage(slot, empty);
    expect(empty.every((b) => b === 0)).toBe(true);
    store.writePage(slot, Uint8Array.from({ length: 16 }, (_, i) => i));
    const back = new Uint8Array(16);
    store.readPage(slot, back);
    expect(Array.from(back)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(clock.now).toBe(3 * (costs.swapLatency + 16 * costs.swapPerByte));
    expect([store.reads, store.writes]).toEqual([2, 1]);
  });

  it('rejects unallocated slots, wrong sizes and bad configurations', () => {
    const store = new SwapStore({ pageSize: 16, slots: 2, clock: new FakeClock(), costs });
    expect(() => store.readPage(0, new Uint8Array(16))).toThrow(RangeError);
    const slot = store.allocateSlot();
    expect(() => store.writePage(slot, new Uint8Array(8))).toThrow(RangeError);
    store.freeSlot(slot);
    expect(() => store.freeSlot(slot)).toThrow(RangeError);
    expect(() => new SwapStore({ pageSize: 24, slots: 2, clock: new FakeClock(), costs })).toThrow(ConfigurationError);
  });
});

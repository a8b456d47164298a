import { describe, expect, it } from 'vitest';
import { AccessKind, FrameState, MappingError, NothingEvictableError, PinReason, SwapExhaustedError } from '@pagelab/contracts';
import type { ReplacementScope } from '@pagelab/contracts';
import { policyFactory } from '../policies/registry.js';
import { FaultService } from './pager.js';
import { SwapStore } from './swap-store.js';
import { PagerTestClock as FakeClock, pagerTestCosts as costs } from '@pagelab/conformance';
import { FakeFrameTable, FakeImages, FakeMmu, memory } from './__fixtures__/fake-machine.js';

const PAGE = 64;

function machine(options: { frames: number; slots?: number; scope?: ReplacementScope; lockFreshPages?: boolean; policy?: string }) {
  const clock = new FakeClock();
  const mmu = new FakeMmu();
  const frames = new FakeFrameTable(options.frames);
  const ram = memory(options.frames, PAGE);
  const store = new SwapStore({ pageSize: PAGE, slots: options.slots ?? 64, clock, costs });
  const pager = new FaultService(
    { mmu, frames, memory: ram, store, contents: new FakeImages(), clock, costs },
    {
      policy: policyFactory(options.policy ?? 'fifo'),
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.lockFreshPages ? { lockFreshPages: true } : {}),
    },
  );
  mmu.reserve(1, 0, 64);
  mmu.reserve(2, 0, 64);
  const bytesOf = (frame: number) => ram.bytes.subarray(frame * PAGE, (frame + 1) * PAGE);
  return { clock, mmu, frames, ram, store, pager, bytesOf };
}

describe('the fault path', () => {
  it('zero-fills a fresh data page, maps it, flushes its TLB entry and charges the clock', () => {
    const { pager, mmu, frames, clock, bytesOf, ram } = machine({ frames: 2 });
    ram.bytes.fill(0xee);
    const frame = pager.handleFault(1, 20, AccessKind.Write);
    expect(mmu.frameOf(1, 20)).toBe(frame);
    expect(frames.ownerAddressSpace(frame)).toBe(1);
    expect(frames.ownerPage(frame)).toBe(20);
    expect(bytesOf(frame).every((b) => b === 0)).toBe(true);
    expect(mmu.tlbFlushes).toContain('1:20');
    expect(clock.now).toBe(costs.faultService + costs.zeroFillPerByte * PAGE);
    expect(pager.statistics).toMatchObject({ faults: 1, freeFrameFaults: 1, zeroFills: 1, evictions: 0, cycles: clock.now });
  });

  it('copies a text page from the program image', () => {
    const { pager, bytesOf, clock } = machine({ frames: 2 });
    const frame = pager.handleFault(2, 3, AccessKind.Fetch);
    expect(bytesOf(frame).every((b) => b === 2 * 16 + 3)).toBe(true);
    expect(clock.now).toBe(costs.faultService + costs.copyPerByte * PAGE);
    expect(pager.statistics.imageLoads).toBe(1);
  });

  it('writes a dirty victim to swap and brings its bytes back on the next fault', () => {
    const { pager, mmu, bytesOf, store, clock } = machine({ frames: 1 });
    const first = pager.handleFault(1, 20, AccessKind.Write);
    bytesOf(first).set(Array.from({ length: PAGE }, (_, i) => i + 1));
    mmu.touch(1, 20, true);
    const before = clock.now;
    const second = pager.handleFault(1, 21, AccessKind.Read);
    expect(second).toBe(first);
    expect(mmu.frameOf(1, 20)).toBe(-1);
    expect(mmu.tlbFlushes).toContain('1:20');
    expect(store.writes).toBe(1);
    const swapCost = costs.swapLatency + costs.swapPerByte * PAGE;
    expect(clock.now - before).toBe(costs.faultService + swapCost + costs.zeroFillPerByte * PAGE);
    // Page 20 again: read back from swap, byte for byte.
    const third = pager.handleFault(1, 20, AccessKind.Read);
    expect(Array.from(bytesOf(third))).toEqual(Array.from({ length: PAGE }, (_, i) => i + 1));
    expect(pager.statistics).toMatchObject({ faults: 3, evictions: 2, writebacks: 1, swapIns: 1, zeroFills: 2 });
  });

  it('does not write back a clean victim, and reuses a clean page\'s swap copy', () => {
    const { pager, mmu, store } = machine({ frames: 1 });
    pager.handleFault(1, 20, AccessKind.Write);
    mmu.touch(1, 20, true);
    pager.handleFault(1, 21, AccessKind.Read); // 20 written out
    pager.handleFault(1, 20, AccessKind.Read); // 21 clean: no write; 20 from swap
    pager.handleFault(1, 21, AccessKind.Read); // 20 clean now, its swap copy still good: no write
    expect(store.writes).toBe(1);
    expect(pager.statistics.writebacks).toBe(1);
  });

  it('refuses a page that is not part of the address space', () => {
    const { pager } = machine({ frames: 1 });
    expect(() => pager.handleFault(1, 500, AccessKind.Read)).toThrow(MappingError);
  });

  it('returns the frame of a page that is already present', () => {
    const { pager, clock } = machine({ frames: 2 });
    const frame = pager.handleFault(1, 5, AccessKind.Read);
    const now = clock.now;
    expect(pager.handleFault(1, 5, AccessKind.Read)).toBe(frame);
    expect(clock.now).toBe(now);
  });
});

describe('evictability', () => {
  it('never evicts a pinned or wired frame', () => {
    const { pager, frames, mmu } = machine({ frames: 3, policy: 'clock' });
    frames.wire();
    const pinned = pager.handleFault(1, 1, AccessKind.Read);
    frames.pin(pinned, PinReason.Dma, 1, 0);
    for (let page = 2; page < 30; page++) {
      pager.handleFault(1, page, AccessKind.Read);
      expect(mmu.frameOf(1, 1)).toBe(pinned);
    }
    expect(frames.state(0)).toBe(FrameState.Wired);
  });

  it('raises NothingEvictableError when every frame is pinned or wired', () => {
    const { pager, frames } = machine({ frames: 2 });
    frames.wire();
    frames.pin(pager.handleFault(1, 1, AccessKind.Read), PinReason.Dma, 1, 0);
    expect(() => pager.handleFault(1, 2, AccessKind.Read)).toThrow(NothingEvictableError);
  });

  it('fails with SwapExhaustedError and changes nothing when a dirty victim has nowhere to go', () => {
    const { pager, mmu, frames, store } = machine({ frames: 1, slots: 0 });
    const frame = pager.handleFault(1, 20, AccessKind.Write);
    mmu.touch(1, 20, true);
    expect(() => pager.handleFault(1, 21, AccessKind.Read)).toThrow(SwapExhaustedError);
    expect(mmu.frameOf(1, 20)).toBe(frame);
    expect(frames.ownerPage(frame)).toBe(20);
    expect(store.usedSlots).toBe(0);
  });

  it('asks the frame table to drop hint locks under memory pressure', () => {
    const { pager, frames } = machine({ frames: 1 });
    pager.handleFault(1, 1, AccessKind.Read);
    frames.underPressure = true;
    pager.handleFault(1, 2, AccessKind.Read);
    expect(frames.hintDrops).toBe(1);
  });
});

describe('scope', () => {
  it('global replacement takes another address space\'s frame', () => {
    const { pager, mmu } = machine({ frames: 2, scope: 'global' });
    pager.handleFault(1, 1, AccessKind.Read);
    pager.handleFault(2, 1, AccessKind.Read);
    pager.handleFault(2, 2, AccessKind.Read); // FIFO: space 1's page is oldest
    expect(mmu.frameOf(1, 1)).toBe(-1);
    expect(mmu.frameOf(2, 1)).toBeGreaterThanOrEqual(0);
  });

  it('local replacement takes only the faulting address space\'s frames', () => {
    const { pager, mmu } = machine({ frames: 2, scope: 'local' });
    pager.handleFault(1, 1, AccessKind.Read);
    pager.handleFault(2, 1, AccessKind.Read);
    pager.handleFault(2, 2, AccessKind.Read);
    expect(mmu.frameOf(1, 1)).toBeGreaterThanOrEqual(0);
    expect(mmu.frameOf(2, 1)).toBe(-1);
  });

  it('local replacement lets an address space with no frame of its own take one globally', () => {
    const { pager, mmu } = machine({ frames: 2, scope: 'local' });
    pager.handleFault(1, 1, AccessKind.Read);
    pager.handleFault(1, 2, AccessKind.Read);
    expect(pager.handleFault(2, 1, AccessKind.Read)).toBeGreaterThanOrEqual(0);
    expect(mmu.frameOf(1, 1)).toBe(-1);
  });
});

describe('locking a fresh page until its process runs', () => {
  it('keeps a waiting process\'s new page from a faulting process until the owner is dispatched', () => {
    const { pager, mmu, frames } = machine({ frames: 3, lockFreshPages: true });
    // Process 2 (high priority) has two old pages; process 1 (low priority) faults page 9 in and waits.
    pager.handleFault(2, 1, AccessKind.Read);
    pager.handleFault(2, 2, AccessKind.Read);
    pager.onDispatch(2);
    const fresh = pager.handleFault(1, 9, AccessKind.Read);
    expect(frames.pinCount(fresh)).toBe(1);
    // Process 2 faults: the clean, unreferenced, fresh page would be the perfect victim, but it is locked.
    pager.handleFault(2, 3, AccessKind.Read);
    pager.onDispatch(2);
    expect(mmu.frameOf(1, 9)).toBe(fresh);
    expect(mmu.frameOf(2, 1)).toBe(-1);
    // Process 1 runs: the lock goes, and the page can be replaced again.
    pager.onDispatch(1);
    expect(frames.pinCount(fresh)).toBe(0);
    expect([...frames.pins.values()].filter((p) => p.reason === PinReason.FreshPageIn)).toHaveLength(0);
    expect(pager.statistics.freshPageLocks).toBe(4);
  });

  it('breaks fresh-page locks rather than fail when they alone leave nothing evictable', () => {
    const { pager, mmu } = machine({ frames: 2, lockFreshPages: true });
    pager.handleFault(1, 1, AccessKind.Read);
    pager.handleFault(2, 1, AccessKind.Read);
    expect(pager.handleFault(2, 2, AccessKind.Read)).toBeGreaterThanOrEqual(0);
    expect(mmu.frameOf(1, 1)).toBe(-1);
    expect(pager.statistics.freshPageLocksBroken).toBe(2);
  });

  it('is off by default', () => {
    const { pager, frames } = machine({ frames: 2 });
    expect(frames.pinCount(pager.handleFault(1, 1, AccessKind.Read))).toBe(0);
  });
});

describe('releasing', () => {
  it('frees an exiting address space\'s frames, swap slots and fresh-page locks', () => {
    const { pager, mmu, frames, store } = machine({ frames: 2, lockFreshPages: true });
    pager.handleFault(1, 20, AccessKind.Write);
    mmu.touch(1, 20, true);
    pager.onDispatch(1);
    pager.handleFault(1, 21, AccessKind.Write);
    pager.handleFault(1, 22, AccessKind.Write); // evicts 20 to swap
    expect(store.usedSlots).toBe(1);
    const mappings = [21, 22].map((page) => ({ page, frame: mmu.unmap(1, page) }));
    pager.releaseAddressSpace(1, mappings);
    expect(frames.states.every((s) => s === FrameState.Free)).toBe(true);
    expect(frames.pins.size).toBe(0);
    expect(store.usedSlots).toBe(0);
  });

  it('frees released pages and forgets their swap copies', () => {
    const { pager, mmu, frames, store } = machine({ frames: 1 });
    pager.handleFault(1, 20, AccessKind.Write);
    mmu.touch(1, 20, true);
    pager.handleFault(1, 21, AccessKind.Read);
    pager.releasePages(1, [{ page: 20, frame: -1 }].filter((m) => m.frame >= 0));
    pager.releasePages(1, [{ page: 21, frame: mmu.unmap(1, 21) }]);
    expect(frames.states[0]).toBe(FrameState.Free);
    expect(store.usedSlots).toBe(1); // page 20's copy stays until page 20 itself is released
  });

  it('quarantines a frame whose pin was never released: not freed, never a victim, counted', () => {
    const { pager, mmu, frames } = machine({ frames: 3, lockFreshPages: true });
    const leaked = pager.handleFault(1, 20, AccessKind.Write);
    const transfer = frames.pin(leaked, PinReason.Dma, 1, 0); // a DMA pin whose release is skipped
    pager.handleFault(1, 21, AccessKind.Write);
    pager.onDispatch(1);
    pager.releaseAddressSpace(1, [20, 21].map((page) => ({ page, frame: mmu.unmap(1, page) })));
    expect(frames.states[leaked]).toBe(FrameState.InUse);
    expect(frames.pins.get(transfer)?.frame).toBe(leaked);
    expect(frames.states.filter((s) => s === FrameState.Free)).toHaveLength(2);
    expect(pager.statistics.framesQuarantined).toBe(1);
    // The other two frames serve the next process; the quarantined one is never chosen.
    for (let page = 0; page < 6; page++) expect(pager.handleFault(2, page, AccessKind.Read)).not.toBe(leaked);
    pager.onDispatch(2);
    for (let page = 6; page < 9; page++) expect(pager.handleFault(2, page, AccessKind.Read)).not.toBe(leaked);
  });

  it('quarantines a leaked fresh-page lock the same way: the pager forgot it at dispatch, the frame table did not', () => {
    const { pager, mmu, frames } = machine({ frames: 2, lockFreshPages: true });
    const frame = pager.handleFault(1, 5, AccessKind.Read);
    const [id] = [...frames.pins.keys()];
    // The unlock at dispatch is skipped: the pager's fresh-lock list is emptied but the pin stays.
    const unpin = frames.unpin.bind(frames);
    frames.unpin = () => {};
    pager.onDispatch(1);
    frames.unpin = unpin;
    expect(frames.pins.has(id!)).toBe(true);
    pager.releaseAddressSpace(1, [{ page: 5, frame: mmu.unmap(1, 5) }]);
    expect(frames.states[frame]).toBe(FrameState.InUse);
    expect(pager.statistics.framesQuarantined).toBe(1);
  });
});

describe('sampling policies in a whole system', () => {
  it('LRU from referenced bits keeps the page the process keeps touching', () => {
    const { pager, mmu } = machine({ frames: 3, policy: 'lru' });
    for (let page = 1; page <= 3; page++) pager.handleFault(1, page, AccessKind.Read);
    for (let round = 4; round < 20; round++) {
      mmu.touch(1, 1, false);
      pager.onClockTick();
      pager.handleFault(1, round, AccessKind.Read);
      expect(mmu.frameOf(1, 1)).toBeGreaterThanOrEqual(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { AccessKind } from '@pagelab/contracts';
import { policyFactory } from '../policies/registry.js';
import { FaultService } from './pager.js';
import { SwapStore } from './swap-store.js';
import { PagerTestClock, pagerTestCosts as costs } from '@pagelab/conformance';
import { FakeFrameTable, FakeImages, FakeMmu, memory } from './__fixtures__/fake-machine.js';

const LOW = 1;
const HIGH = 2;

/**
 * The seeds' race, played by hand on a 4-frame machine under the clock policy: each round the
 * low-priority process faults a page in and waits; before it runs, the high-priority process
 * faults and uses its new page; then the low-priority process runs, uses its page (faulting
 * it in again if it was taken) and releases it. The test keeps its own ledger of every page-in and every use
 * and counts, from the MMU's mappings alone, the pages that vanished unused: that is the truth
 * the pager's counter must match.
 */
function race(rounds: number, lockFreshPages: boolean) {
  const clock = new PagerTestClock();
  const mmu = new FakeMmu();
  const frames = new FakeFrameTable(4);
  const store = new SwapStore({ pageSize: 64, slots: 64, clock, costs });
  const pager = new FaultService(
    { mmu, frames, memory: memory(4, 64), store, contents: new FakeImages(), clock, costs },
    { policy: policyFactory('clock'), lockFreshPages },
  );
  mmu.reserve(LOW, 0, 64);
  mmu.reserve(HIGH, 0, 64);

  /** Resident pages the test brought in, by `space:page`, with whether they were used since. */
  const ledger = new Map<string, { space: number; page: number; used: boolean }>();
  let wasted = 0;
  let refaults = 0;
  const settle = () => {
    for (const [key, entry] of ledger) {
      if (mmu.frameOf(entry.space, entry.page) >= 0) continue;
      if (!entry.used) wasted++;
      ledger.delete(key);
    }
  };
  const fault = (space: number, page: number) => {
    pager.handleFault(space, page, AccessKind.Read);
    ledger.set(`${space}:${page}`, { space, page, used: false });
    settle();
  };
  const use = (space: number, page: number) => {
    if (mmu.frameOf(space, page) < 0) {
      refaults++;
      fault(space, page);
    }
    mmu.touch(space, page, false);
    ledger.get(`${space}:${page}`)!.used = true;
  };

  // A process that runs uses its whole resident set, so the only unreferenced page at the
  // high-priority fault is the one the low-priority process has not run to use yet.
  const run = (space: number) => {
    pager.onDispatch(space);
    for (const entry of [...ledger.values()]) if (entry.space === space && mmu.frameOf(space, entry.page) >= 0) use(space, entry.page);
  };
  run(HIGH);
  for (const page of [1, 2, 3]) {
    fault(HIGH, page);
    use(HIGH, page);
  }
  for (let round = 0; round < rounds; round++) {
    run(LOW);
    fault(LOW, 30 + round);
    run(HIGH);
    fault(HIGH, 10 + round);
    use(HIGH, 10 + round);
    run(LOW);
    use(LOW, 30 + round);
    // Done with it (munmap): the low-priority process keeps one page at a time, so the fresh
    // page is its only one when the high-priority process faults.
    ledger.delete(`${LOW}:${30 + round}`);
    pager.releasePages(LOW, [{ page: 30 + round, frame: mmu.unmap(LOW, 30 + round) }]);
  }
  return { counted: pager.statistics.wastedPageIns, wasted, refaults, stats: pager.statistics };
}

describe('wasted page-ins', () => {
  it('counts each fresh page the high-priority process takes before its owner runs, as the ledger does', () => {
    for (const rounds of [1, 3, 7]) {
      const { counted, wasted, refaults, stats } = race(rounds, false);
      expect(wasted, `ledger, ${rounds} rounds`).toBe(rounds);
      expect(refaults, `low-priority refaults, ${rounds} rounds`).toBe(rounds);
      expect(counted, `pager, ${rounds} rounds`).toBe(wasted);
      expect(stats.wastedPageInsSelf, 'another process\'s faults took them all').toBe(0);
    }
  });

  it('counts none when fresh pages are locked, though the clock clears used pages\' bits before evicting them', () => {
    for (const rounds of [1, 3, 7]) {
      const { counted, wasted, refaults, stats } = race(rounds, true);
      expect(wasted, `ledger, ${rounds} rounds`).toBe(0);
      expect(refaults).toBe(0);
      expect(stats.evictions, 'pages were still evicted').toBeGreaterThan(0);
      expect(counted).toBe(0);
    }
  });

  it('counts a page its own process loses to its next fault as wasted by itself', () => {
    // One frame: an instruction that needs two pages faults the first in, is restarted, and
    // faults on the second before it ever reaches the first (the frame goes to the second).
    const clock = new PagerTestClock();
    const mmu = new FakeMmu();
    const frames = new FakeFrameTable(1);
    const store = new SwapStore({ pageSize: 64, slots: 8, clock, costs });
    const pager = new FaultService({ mmu, frames, memory: memory(1, 64), store, contents: new FakeImages(), clock, costs }, { policy: policyFactory('clock'), lockFreshPages: true });
    mmu.reserve(LOW, 0, 8);
    pager.onDispatch(LOW);
    pager.handleFault(LOW, 1, AccessKind.Read);
    pager.onDispatch(LOW);
    pager.handleFault(LOW, 2, AccessKind.Write);
    mmu.touch(LOW, 2, true);
    pager.handleFault(LOW, 3, AccessKind.Read);
    mmu.touch(LOW, 3, false);
    // Page 1 went unused (wasted, by its own process); page 2 was used before page 3 took it.
    expect(pager.statistics).toMatchObject({ evictions: 2, wastedPageIns: 1, wastedPageInsSelf: 1 });
  });

  it('does not count a page freed by its own process, used or not', () => {
    const { pager, mmu } = (() => {
      const clock = new PagerTestClock();
      const mmu = new FakeMmu();
      const frames = new FakeFrameTable(2);
      const store = new SwapStore({ pageSize: 64, slots: 8, clock, costs });
      const pager = new FaultService({ mmu, frames, memory: memory(2, 64), store, contents: new FakeImages(), clock, costs }, { policy: policyFactory('fifo') });
      mmu.reserve(LOW, 0, 8);
      return { pager, mmu };
    })();
    pager.handleFault(LOW, 1, AccessKind.Read);
    pager.releaseAddressSpace(LOW, [{ page: 1, frame: mmu.unmap(LOW, 1) }]);
    pager.handleFault(LOW, 2, AccessKind.Read);
    pager.handleFault(LOW, 3, AccessKind.Read);
    expect(pager.statistics.wastedPageIns).toBe(0);
  });
});

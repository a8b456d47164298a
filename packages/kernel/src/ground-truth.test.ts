import { describe, expect, it } from 'vitest';
import type { CorruptionEvent, FrameTable } from '@pagelab/contracts';
import { OwnershipWatch } from './ground-truth.js';
import { RunEventLog } from './event-log.js';

/** Just the owner lookups the watch uses, over plain arrays the test changes at will. */
function owners(count: number) {
  const space = new Int32Array(count).fill(-1);
  const page = new Int32Array(count).fill(-1);
  const table = {
    ownerAddressSpace: (f: number) => space[f]!,
    ownerPage: (f: number) => page[f]!,
  } as Pick<FrameTable, 'ownerAddressSpace' | 'ownerPage'> as FrameTable;
  return { space, page, table };
}

describe('OwnershipWatch', () => {
  it('says nothing while the target frames keep their owners', () => {
    const { space, page, table } = owners(8);
    space.set([1, 1], 2);
    page.set([40, 41], 2);
    const log = new RunEventLog();
    const watch = new OwnershipWatch(table, 256, log);
    watch.programmed(7, [{ address: 2 * 256 + 100, length: 300 }]);
    expect(watch.burst(7, 2 * 256 + 100, 156, 10)).toBe(0);
    expect(watch.burst(7, 3 * 256, 144, 20)).toBe(0);
    expect(log.count('corruption')).toBe(0);
  });

  it('reports a burst into a frame stolen mid-transfer, with both owners and the bytes', () => {
    const { space, page, table } = owners(8);
    space[5] = 1;
    page[5] = 12;
    const log = new RunEventLog();
    const watch = new OwnershipWatch(table, 256, log);
    watch.programmed(3, [{ address: 5 * 256, length: 256 }]);
    watch.burst(3, 5 * 256, 64, 100);
    space[5] = 2; // the pager evicted page 12 and gave the frame to process 2's page 99
    page[5] = 99;
    expect(watch.burst(3, 5 * 256 + 64, 64, 200)).toBe(64);
    expect(log.events).toEqual([
      { kind: 'corruption', at: 200, frame: 5, intended: { addressSpace: 1, page: 12 }, actual: { addressSpace: 2, page: 99 }, bytes: 64 } satisfies CorruptionEvent,
    ]);
    expect(watch.bytesCorrupted).toBe(64);
  });

  it('reports a burst into a frame that was freed, and splits a burst across frames', () => {
    const { space, page, table } = owners(4);
    space.set([1, 1], 0);
    page.set([0, 1], 0);
    const log = new RunEventLog();
    const watch = new OwnershipWatch(table, 256, log);
    watch.programmed(1, [{ address: 0, length: 512 }]);
    space[1] = -1;
    page[1] = -1;
    expect(watch.burst(1, 200, 100, 5)).toBe(44);
    expect((log.events[0] as CorruptionEvent).actual).toBeNull();
    expect(() => watch.burst(99, 0, 1, 0)).toThrow(/never programmed/);
  });
});

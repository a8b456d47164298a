import { expect } from 'vitest';
import {
  FrameState,
  KERNEL_ADDRESS_SPACE,
  PinReason,
  PinStatus,
  type ConfigurationError,
  type FrameStateError,
  type LockQuotaError,
  type FrameTable,
  type FrameTableFactory,
  type FrameTableOptions,
  type LockQuota,
} from '@pagelab/contracts';
import { expectErrorCode } from './error-codes.js';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

/** Runs `action` and returns what it throws, failing the test if it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected an error, but the call returned');
}

/** Allocates `count` frames for consecutive pages of `addressSpace`. */
function allocateMany(table: FrameTable, addressSpace: number, count: number): number[] {
  return Array.from({ length: count }, (_, page) => table.allocate(addressSpace, page));
}

/**
 * The frame-table contract, as cases for an in-process runner (`pagelab conform frame-table`)
 * or vitest. It checks ownership and states, pin counts and their errors, evictability, both
 * quota modes (refusals, ignored hints, hints dropped under pressure) and the leak audit.
 *
 * @param subject the implementation's name in the report
 * @param factory builds a table from its options (frame count, quota)
 */
export function frameTableConformanceSuite(subject: string, factory: FrameTableFactory): ConformanceSuite {
  const build = (frameCount = 8, quota?: Partial<LockQuota>): FrameTable => {
    const options: FrameTableOptions = quota === undefined ? { frameCount } : { frameCount, quota };
    return factory(options);
  };
  const cases: ConformanceCase[] = [];
  const check = (name: string, run: () => void): void => void cases.push({ name, run });

  // options
  check('starts with every frame free and the default quota', () => {
    const table = build(8);
    expect(table.frameCount, 'table.frameCount').toBe(8);
    expect(table.freeFrames, 'table.freeFrames').toBe(8);
    expect(table.evictableCount, 'table.evictableCount').toBe(0);
    expect(table.quota, 'table.quota').toEqual({ mode: 'refuse', perAddressSpace: Infinity, global: Infinity, pressureThreshold: 0 });
    for (let frame = 0; frame < 8; frame++) {
      expect(table.state(frame), 'table.state(frame)').toBe(FrameState.Free);
      expect(table.owner(frame), 'table.owner(frame)').toBeNull();
      expect(table.ownerAddressSpace(frame), 'table.ownerAddressSpace(frame)').toBe(-1);
    }
  });

  check('rejects a frame count that is not a positive integer, naming the field', () => {
    for (const frameCount of [0, -1, 2.5]) {
      const error = thrownBy(() => factory({ frameCount }));
      expectErrorCode(error, 'CONFIGURATION', `frameCount ${frameCount}`);
      expect((error as ConfigurationError).field, 'the field the error names').toBe('frameCount');
    }
  });

  check('rejects bad quota values, naming the field', () => {
    const bad: [Partial<LockQuota>, string][] = [
      [{ mode: 'maybe' as 'hint' }, 'quota.mode'],
      [{ perAddressSpace: -1 }, 'quota.perAddressSpace'],
      [{ global: 1.5 }, 'quota.global'],
      [{ pressureThreshold: -2 }, 'quota.pressureThreshold'],
    ];
    for (const [quota, field] of bad) {
      const error = thrownBy(() => build(4, quota));
      expectErrorCode(error, 'CONFIGURATION', `quota ${JSON.stringify(quota)}`);
      expect((error as ConfigurationError).field, 'the field the error names').toBe(field);
    }
  });

  check('treats frame numbers outside the table as a RangeError', () => {
    const table = build(4);
    expect(() => table.state(4)).toThrow(RangeError);
    expect(() => table.pinCount(-1)).toThrow(RangeError);
  });

  // ownership
  check('gives each allocation its own frame, clean and evictable, until none is free', () => {
    const table = build(4);
    const frames = allocateMany(table, 1, 4);
    expect(new Set(frames).size, 'distinct frames handed out').toBe(4);
    for (const [page, frame] of frames.entries()) {
      expect(table.state(frame), 'table.state(frame)').toBe(FrameState.InUse);
      expect(table.owner(frame), 'table.owner(frame)').toEqual({ addressSpace: 1, page });
      expect(table.ownerPage(frame), 'table.ownerPage(frame)').toBe(page);
      expect(table.isDirty(frame), 'table.isDirty(frame)').toBe(false);
      expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(true);
    }
    expect(table.freeFrames, 'table.freeFrames').toBe(0);
    expect(table.allocate(1, 99), 'table.allocate(1, 99)').toBe(-1);
    expect(table.allocateWired(), 'table.allocateWired()').toBe(-1);
  });

  check('wires kernel frames: owned by the kernel, never evictable', () => {
    const table = build(4);
    const frame = table.allocateWired();
    expect(table.state(frame), 'table.state(frame)').toBe(FrameState.Wired);
    expect(table.owner(frame), 'table.owner(frame)').toEqual({ addressSpace: KERNEL_ADDRESS_SPACE, page: frame });
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
    expect(table.evictableCount, 'table.evictableCount').toBe(0);
  });

  check('frees frames back to the pool and refuses to free a free frame', () => {
    const table = build(2);
    const frame = table.allocate(1, 0);
    table.setDirty(frame, true);
    table.free(frame);
    expect(table.state(frame), 'table.state(frame)').toBe(FrameState.Free);
    expect(table.owner(frame), 'table.owner(frame)').toBeNull();
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
    expect(table.freeFrames, 'table.freeFrames').toBe(2);
    expectErrorCode(thrownBy(() => table.free(frame)), 'FRAME_STATE', 'free() of a free frame');
    const again = table.allocate(2, 5);
    expect(table.isDirty(again), 'table.isDirty(again)').toBe(false);
  });

  check('reassigns an evicted frame to a new page and clears dirty', () => {
    const table = build(2);
    const frame = table.allocate(1, 0);
    table.setDirty(frame, true);
    table.reassign(frame, 2, 7);
    expect(table.owner(frame), 'table.owner(frame)').toEqual({ addressSpace: 2, page: 7 });
    expect(table.isDirty(frame), 'table.isDirty(frame)').toBe(false);
    const wired = table.allocateWired();
    expectErrorCode(thrownBy(() => table.reassign(wired, 2, 8)), 'FRAME_STATE', 'reassign() of a wired frame');
  });

  // pins
  check('refuses to pin a free frame', () => {
    const table = build(2);
    const error = thrownBy(() => table.pin(0, PinReason.Dma, 1, 0));
    expectErrorCode(error, 'FRAME_STATE', 'pin() of a free frame');
    expect((error as FrameStateError).frame, 'the frame the error names').toBe(0);
  });

  check('counts pins: a frame stays pinned until its last pin is released', () => {
    const table = build(2);
    const frame = table.allocate(1, 0);
    const first = table.pin(frame, PinReason.Dma, 1, 10);
    const second = table.pin(frame, PinReason.UserLock, 1, 20);
    expect(second, 'the handle of a second pin on the frame (must differ from the first)').not.toBe(first);
    expect(table.pinCount(frame), 'table.pinCount(frame)').toBe(2);
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
    table.unpin(first, 30);
    expect(table.pinCount(frame), 'table.pinCount(frame)').toBe(1);
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
    table.unpin(second, 40);
    expect(table.pinCount(frame), 'table.pinCount(frame)').toBe(0);
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(true);
  });

  check('refuses to release a handle twice, and rejects a handle never handed out', () => {
    const table = build(2);
    const frame = table.allocate(1, 0);
    const pin = table.pin(frame, PinReason.Kernel, KERNEL_ADDRESS_SPACE, 0);
    table.unpin(pin, 1);
    const twice = thrownBy(() => table.unpin(pin, 2));
    expectErrorCode(twice, 'FRAME_STATE', 'unpin() of a released handle');
    expect((twice as FrameStateError).frame, 'the frame the error names').toBe(frame);
    expect(table.pinCount(frame), 'table.pinCount(frame)').toBe(0);
    expectErrorCode(thrownBy(() => table.unpin(pin + 1000, 3)), 'UNKNOWN_PIN', 'unpin() of a handle never handed out');
  });

  check('refuses to free or reassign a frame with a held pin', () => {
    const table = build(2);
    const frame = table.allocate(1, 0);
    table.pin(frame, PinReason.FreshPageIn, 1, 0);
    expectErrorCode(thrownBy(() => table.free(frame)), 'FRAME_STATE', 'free() of a pinned frame');
    expectErrorCode(thrownBy(() => table.reassign(frame, 2, 0)), 'FRAME_STATE', 'reassign() of a pinned frame');
    expect(table.owner(frame), 'table.owner(frame)').toEqual({ addressSpace: 1, page: 0 });
  });

  check('remembers who pinned a frame, why and when, until the pin is released', () => {
    const table = build(2);
    const frame = table.allocate(3, 0);
    const pin = table.pin(frame, PinReason.UserLock, 3, 1234);
    expect(table.pinRecord(pin), 'table.pinRecord(pin)').toEqual({ id: pin, frame, reason: PinReason.UserLock, addressSpace: 3, pinnedAt: 1234, counted: true, status: PinStatus.Held });
    expect(table.outstandingPins().map((p) => p.id)).toEqual([pin]);
    table.unpin(pin, 2000);
    expect(table.pinRecord(pin), 'table.pinRecord(pin)').toBeNull();
    expect(table.outstandingPins(), 'table.outstandingPins()').toEqual([]);
  });

  check('keeps a wired frame unevictable when its pins are released', () => {
    const table = build(2);
    const frame = table.allocateWired();
    const pin = table.pin(frame, PinReason.Kernel, KERNEL_ADDRESS_SPACE, 0);
    table.unpin(pin, 1);
    expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
  });

  // evictable frames
  check('lists exactly the in-use frames with no held pin, skipping pinned and wired ones', () => {
    const table = build(70);
    const frames = allocateMany(table, 1, 60);
    const wired = [table.allocateWired(), table.allocateWired()];
    const pinned = frames.filter((frame) => frame % 3 === 0 || (frame >= 32 && frame < 64));
    for (const frame of pinned) table.pin(frame, PinReason.Dma, 1, 0);
    const expected = frames.filter((frame) => !pinned.includes(frame)).sort((a, b) => a - b);
    expect([...table.evictableFrames()], '[...table.evictableFrames()]').toEqual(expected);
    expect(table.evictableCount, 'table.evictableCount').toBe(expected.length);
    const scanned: number[] = [];
    for (let frame = table.nextEvictable(0); frame >= 0; frame = table.nextEvictable(frame + 1)) scanned.push(frame);
    expect(scanned).toEqual(expected);
    for (const frame of wired) expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(false);
    expect(table.nextEvictable(70), 'table.nextEvictable(70)').toBe(-1);
  });

  // quota: refuse mode
  check('refuses a lock past the per-address-space limit', () => {
    const table = build(8, { mode: 'refuse', perAddressSpace: 2 });
    const frames = allocateMany(table, 1, 4);
    table.pin(frames[0]!, PinReason.UserLock, 1, 0);
    table.pin(frames[1]!, PinReason.Dma, 1, 0);
    const error = thrownBy(() => table.pin(frames[2]!, PinReason.Dma, 1, 0));
    expectErrorCode(error, 'LOCK_QUOTA', 'pin() past the per-address-space limit');
    expect((error as LockQuotaError).quota, 'the quota the error names').toBe('address-space');
    expect((error as LockQuotaError).limit, 'the limit the error names').toBe(2);
    expect(table.pinCount(frames[2]!), 'table.pinCount(frames[2]!)').toBe(0);
    expect(table.lockedBy(1), 'table.lockedBy(1)').toBe(2);
    expect(table.pinStats.refused, 'table.pinStats.refused').toBe(1);
    table.pin(frames[3]!, PinReason.Dma, 2, 0);
  });

  check('refuses a lock past the global limit', () => {
    const table = build(8, { mode: 'refuse', global: 3 });
    const frames = allocateMany(table, 1, 5);
    table.pin(frames[0]!, PinReason.Dma, 1, 0);
    table.pin(frames[1]!, PinReason.Dma, 2, 0);
    table.pin(frames[2]!, PinReason.Dma, 3, 0);
    const error = thrownBy(() => table.pin(frames[3]!, PinReason.Dma, 4, 0));
    expect((error as LockQuotaError).quota, 'the quota the error names').toBe('global');
    expect(table.lockedTotal, 'table.lockedTotal').toBe(3);
  });

  check('never counts the kernel’s own pins or fresh page-in locks against the quota', () => {
    const table = build(8, { mode: 'refuse', perAddressSpace: 0, global: 0 });
    const frame = table.allocate(1, 0);
    table.pin(frame, PinReason.Kernel, KERNEL_ADDRESS_SPACE, 0);
    table.pin(frame, PinReason.FreshPageIn, 1, 0);
    table.pin(frame, PinReason.Dma, KERNEL_ADDRESS_SPACE, 0);
    expect(table.pinCount(frame), 'table.pinCount(frame)').toBe(3);
    expect(table.lockedTotal, 'table.lockedTotal').toBe(0);
    expectErrorCode(thrownBy(() => table.pin(frame, PinReason.UserLock, 1, 0)), 'LOCK_QUOTA', 'a user lock past a zero quota');
  });

  check('gives quota back when a lock is released, and never drops locks', () => {
    const table = build(4, { mode: 'refuse', perAddressSpace: 1, pressureThreshold: 10 });
    const [a, b] = allocateMany(table, 1, 2) as [number, number];
    const pin = table.pin(a, PinReason.UserLock, 1, 0);
    table.unpin(pin, 1);
    table.pin(b, PinReason.UserLock, 1, 2);
    expect(table.underPressure, 'table.underPressure').toBe(false);
    expect(table.dropHintLocks(3), 'table.dropHintLocks(3)').toBe(0);
    expect(table.pinCount(b), 'table.pinCount(b)').toBe(1);
  });

  // quota: hint mode
  check('accepts a lock past the limit as an ignored hint: a handle, but the frame stays evictable', () => {
    const table = build(8, { mode: 'hint', perAddressSpace: 1 });
    const [a, b] = allocateMany(table, 1, 2) as [number, number];
    table.pin(a, PinReason.UserLock, 1, 0);
    const hint = table.pin(b, PinReason.UserLock, 1, 5);
    expect(table.pinRecord(hint)?.status, 'table.pinRecord(hint)?.status').toBe(PinStatus.Ignored);
    expect(table.pinCount(b), 'table.pinCount(b)').toBe(0);
    expect(table.isEvictable(b), 'table.isEvictable(b)').toBe(true);
    expect(table.pinStats.ignored, 'table.pinStats.ignored').toBe(1);
    table.unpin(hint, 6);
    expect(table.pinStats.released, 'table.pinStats.released').toBe(1);
  });

  check('ignores new hints and drops held ones when free frames run low', () => {
    const table = build(8, { mode: 'hint', pressureThreshold: 3 });
    const frames = allocateMany(table, 1, 4);
    const held = frames.map((frame) => table.pin(frame, PinReason.Dma, 1, 0));
    const kernel = table.pin(frames[0]!, PinReason.Kernel, KERNEL_ADDRESS_SPACE, 0);
    expect(table.underPressure, 'table.underPressure').toBe(false);
    allocateMany(table, 2, 2); // 2 free < 3
    expect(table.underPressure, 'table.underPressure').toBe(true);
    const late = table.allocate(3, 0);
    expect(table.pinRecord(table.pin(late, PinReason.UserLock, 3, 9))?.status, 'table.pinRecord(table.pin(late, PinReason.UserLock, 3, 9))?.status').toBe(PinStatus.Ignored);

    expect(table.dropHintLocks(10), 'table.dropHintLocks(10)').toBe(4);
    expect(table.lockedTotal, 'table.lockedTotal').toBe(0);
    for (const pin of held) expect(table.pinRecord(pin)?.status, 'table.pinRecord(pin)?.status').toBe(PinStatus.Dropped);
    expect(table.pinCount(frames[0]!), 'table.pinCount(frames[0]!)').toBe(1); // the kernel's pin is no hint
    for (const frame of frames.slice(1)) expect(table.isEvictable(frame), 'table.isEvictable(frame)').toBe(true);
    expect(table.pinStats.dropped, 'table.pinStats.dropped').toBe(4);
    for (const pin of held) table.unpin(pin, 11);
    table.unpin(kernel, 11);
    expect(table.pinCount(frames[0]!), 'table.pinCount(frames[0]!)').toBe(0);
  });

  // audit
  check('balances acquired against released at rest', () => {
    const table = build(4);
    const frame = table.allocate(1, 0);
    const pins = [table.pin(frame, PinReason.Dma, 1, 0), table.pin(frame, PinReason.Dma, 1, 0)];
    const during = table.audit(5, { longLockLimit: 100, isLiveAddressSpace: () => true });
    expect(during.outstanding, 'during.outstanding').toBe(2);
    for (const pin of pins) table.unpin(pin, 6);
    const rest = table.audit(7, { longLockLimit: 100, isLiveAddressSpace: () => true });
    expect(rest.outstanding, 'rest.outstanding').toBe(0);
    expect(rest.stats.acquired, 'rest.stats.acquired').toBe(rest.stats.released);
    expect(rest.longHeld, 'rest.longHeld').toEqual([]);
    expect(rest.orphaned, 'rest.orphaned').toEqual([]);
  });

  check('names frames locked too long, oldest first, with who, why and when', () => {
    const table = build(4);
    const [a, b, c] = allocateMany(table, 1, 3) as [number, number, number];
    table.pin(a, PinReason.UserLock, 1, 100);
    table.pin(b, PinReason.Dma, 1, 50);
    table.pin(c, PinReason.Dma, 1, 900);
    const report = table.audit(1000, { longLockLimit: 500, isLiveAddressSpace: () => true });
    expect(report.at, 'report.at').toBe(1000);
    expect(report.longHeld.map((f) => [f.pin.frame, f.pin.reason, f.pin.addressSpace, f.pin.pinnedAt, f.heldFor])).toEqual([
      [b, PinReason.Dma, 1, 50, 950],
      [a, PinReason.UserLock, 1, 100, 900],
    ]);
  });

  check('names frames still locked for an address space that no longer exists', () => {
    const table = build(4);
    const [a, b] = allocateMany(table, 1, 2) as [number, number];
    table.pin(a, PinReason.Dma, 7, 10);
    table.pin(b, PinReason.Dma, 8, 10);
    table.pin(b, PinReason.Kernel, KERNEL_ADDRESS_SPACE, 10);
    const report = table.audit(20, { longLockLimit: 1000, isLiveAddressSpace: (space) => space === 8 });
    expect(report.orphaned.map((f) => [f.pin.frame, f.pin.addressSpace])).toEqual([[a, 7]]);
    expect(report.orphaned[0]?.heldFor, 'report.orphaned[0]?.heldFor').toBe(10);
  });
  return { seam: 'frame-table', subject, cases };
}

/**
 * Registers the frame-table suite with vitest. Call it from a test file of the package under test:
 *
 * ```ts
 * describeFrameTableConformance('my-frame-table', (options) => new MyFrameTable(options));
 * ```
 */
export function describeFrameTableConformance(subject: string, factory: FrameTableFactory): void {
  describeConformanceSuite('FrameTable', frameTableConformanceSuite(subject, factory));
}

import { describe, expect, it } from 'vitest';
import { FrameStateError, PinReason, type PinRecord } from '@pagelab/contracts';
import { createFrameTable } from './frame-table.js';

describe('the leak audit', () => {
  it('names every held pin no one will release: orphaned ones and those the caller disowns, oldest first, with frame, reason, holder and age', () => {
    const table = createFrameTable({ frameCount: 6 });
    const a = table.allocate(1, 10);
    const b = table.allocate(1, 11);
    const c = table.allocate(2, 20);
    const d = table.allocate(3, 30);
    // Space 1's DMA pin whose transfer is over (the caller disowns it), space 1's live fresh
    // lock, space 2's DMA pin of a dead address space, and space 3's pin released properly.
    const stale = table.pin(a, PinReason.Dma, 1, 100);
    table.pin(b, PinReason.FreshPageIn, 1, 300);
    table.pin(c, PinReason.Dma, 2, 200);
    table.unpin(table.pin(d, PinReason.Dma, 3, 150), 160);
    const disowned = (pin: PinRecord) => (pin.id === stale ? 'no transfer holds it' : null);
    const audit = table.audit(1_000, { longLockLimit: 10_000, isLiveAddressSpace: (space) => space !== 2, disowned });
    expect(audit.leaked?.map((l) => [l.pin.frame, l.pin.reason, l.pin.addressSpace, l.heldFor, l.why])).toEqual([
      [a, PinReason.Dma, 1, 900, 'no transfer holds it'],
      [c, PinReason.Dma, 2, 800, 'its address space 2 no longer exists'],
    ]);
    expect(audit.orphaned.map((f) => f.pin.frame)).toEqual([c]);
    expect(audit.outstanding).toBe(3);
  });

  it('without a disowned callback reports only the orphaned pins as leaked', () => {
    const table = createFrameTable({ frameCount: 2 });
    const frame = table.allocate(1, 0);
    table.pin(frame, PinReason.Dma, 1, 0);
    expect(table.audit(5, { longLockLimit: 0, isLiveAddressSpace: () => true }).leaked).toEqual([]);
    expect(table.audit(5, { longLockLimit: 0, isLiveAddressSpace: () => false }).leaked?.map((l) => l.heldFor)).toEqual([5]);
  });

  it('keeps a leaked frame out of use: it cannot be freed or reassigned, and is never evictable', () => {
    const table = createFrameTable({ frameCount: 2 });
    const frame = table.allocate(1, 0);
    table.pin(frame, PinReason.FreshPageIn, 1, 0);
    expect(() => table.free(frame)).toThrow(FrameStateError);
    expect(() => table.reassign(frame, 2, 0)).toThrow(FrameStateError);
    expect(table.isEvictable(frame)).toBe(false);
    expect(table.evictableCount).toBe(0);
  });
});

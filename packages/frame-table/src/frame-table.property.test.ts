import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameState, KERNEL_ADDRESS_SPACE, LockQuotaError, PinReason, PinStatus, type LockQuota } from '@pagelab/contracts';
import { createFrameTable, type TypedFrameTable } from './frame-table.js';

const FRAMES = 10;

type Step =
  | { kind: 'allocate'; space: number; page: number }
  | { kind: 'wire' }
  | { kind: 'free'; pick: number }
  | { kind: 'reassign'; pick: number; space: number; page: number }
  | { kind: 'pin'; pick: number; reason: PinReason; space: number }
  | { kind: 'unpin'; pick: number }
  | { kind: 'drop' };

const space = fc.integer({ min: 1, max: 3 });
const pick = fc.nat();
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('allocate' as const), space, page: fc.integer({ min: 0, max: 50 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wire' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('free' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reassign' as const), pick, space, page: fc.integer({ min: 0, max: 50 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pin' as const),
      pick,
      reason: fc.constantFrom(PinReason.Dma, PinReason.UserLock, PinReason.Kernel, PinReason.FreshPageIn),
      space: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unpin' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const) }) },
);

const quota: fc.Arbitrary<LockQuota> = fc.record({
  mode: fc.constantFrom('refuse' as const, 'hint' as const),
  perAddressSpace: fc.integer({ min: 0, max: 4 }),
  global: fc.integer({ min: 0, max: 6 }),
  pressureThreshold: fc.integer({ min: 0, max: FRAMES }),
});

/** Checks the invariants every state must keep, from the outside. */
function checkInvariants(table: TypedFrameTable, heldByFrame: Map<number, number>, limits: LockQuota): void {
  let free = 0;
  for (let frame = 0; frame < FRAMES; frame++) {
    const state = table.state(frame);
    const pins = table.pinCount(frame);
    expect(pins).toBeGreaterThanOrEqual(0);
    expect(pins).toBe(heldByFrame.get(frame) ?? 0);
    if (state === FrameState.Free) {
      free++;
      expect(table.owner(frame)).toBeNull();
      expect(pins).toBe(0);
    }
    expect(table.isEvictable(frame)).toBe(state === FrameState.InUse && pins === 0);
  }
  expect(table.freeFrames).toBe(free);
  expect(table.evictableCount).toBe([...table.evictableFrames()].length);
  if (limits.mode === 'refuse') {
    expect(table.lockedTotal).toBeLessThanOrEqual(limits.global);
    for (let s = 1; s <= 3; s++) expect(table.lockedBy(s)).toBeLessThanOrEqual(limits.perAddressSpace);
  }
}

describe('frame table under random operation sequences', () => {
  it('never hands out an owned frame, keeps pin counts exact and non-negative, keeps refuse-mode quotas, balances at rest', () => {
    fc.assert(
      fc.property(quota, fc.array(step, { minLength: 10, maxLength: 150, size: 'max' }), (limits, steps) => {
        const table = createFrameTable({ frameCount: FRAMES, quota: limits });
        const handles: number[] = [];
        const heldByFrame = new Map<number, number>();
        const adjust = (frame: number, by: number) => heldByFrame.set(frame, (heldByFrame.get(frame) ?? 0) + by);
        let now = 0;
        for (const s of steps) {
          now += 10;
          const target = (n: number) => n % FRAMES;
          switch (s.kind) {
            case 'allocate':
            case 'wire': {
              const freeBefore = table.freeFrames;
              const statesBefore = Array.from({ length: FRAMES }, (_, f) => table.state(f));
              const frame = s.kind === 'allocate' ? table.allocate(s.space, s.page) : table.allocateWired();
              if (freeBefore === 0) expect(frame).toBe(-1);
              else {
                expect(table.freeFrames).toBe(freeBefore - 1);
                // No frame is owned twice: only a free frame can be handed out.
                expect(statesBefore[frame]).toBe(FrameState.Free);
              }
              break;
            }
            case 'free': {
              const frame = target(s.pick);
              const ok = table.state(frame) !== FrameState.Free && table.pinCount(frame) === 0;
              if (ok) table.free(frame);
              else expect(() => table.free(frame)).toThrow();
              break;
            }
            case 'reassign': {
              const frame = target(s.pick);
              const ok = table.state(frame) === FrameState.InUse && table.pinCount(frame) === 0;
              if (ok) table.reassign(frame, s.space, s.page);
              else expect(() => table.reassign(frame, s.space, s.page)).toThrow();
              break;
            }
            case 'pin': {
              const frame = target(s.pick);
              const owner = s.reason === PinReason.Kernel ? KERNEL_ADDRESS_SPACE : s.space;
              if (table.state(frame) === FrameState.Free) {
                expect(() => table.pin(frame, s.reason, owner, now)).toThrow();
                break;
              }
              try {
                const id = table.pin(frame, s.reason, owner, now);
                handles.push(id);
                if (table.pinRecord(id)?.status === PinStatus.Held) adjust(frame, 1);
              } catch (error) {
                expect(error).toBeInstanceOf(LockQuotaError);
                expect(limits.mode).toBe('refuse');
              }
              break;
            }
            case 'unpin': {
              if (handles.length === 0) break;
              const [id] = handles.splice(s.pick % handles.length, 1) as [number];
              const record = table.pinRecord(id)!;
              table.unpin(id, now);
              if (record.status === PinStatus.Held) adjust(record.frame, -1);
              expect(() => table.unpin(id, now)).toThrow();
              break;
            }
            case 'drop': {
              const wasUnderPressure = table.underPressure;
              const held = table.outstandingPins().filter((p) => p.counted && p.status === PinStatus.Held);
              const dropped = table.dropHintLocks(now);
              if (limits.mode === 'hint') {
                expect(dropped).toBe(held.length);
                for (const pin of held) adjust(pin.frame, -1);
                // Under pressure no hint may survive a drop, and none is held any more.
                if (wasUnderPressure) expect(table.lockedTotal).toBe(0);
              } else {
                expect(dropped).toBe(0);
              }
              break;
            }
          }
          checkInvariants(table, heldByFrame, limits);
        }
        // At rest: every handle released, every pin count back to zero, the ledger balanced.
        for (const id of handles) table.unpin(id, now);
        const audit = table.audit(now, { longLockLimit: 0, isLiveAddressSpace: () => true });
        expect(audit.outstanding).toBe(0);
        expect(audit.stats.acquired).toBe(audit.stats.released);
        for (let frame = 0; frame < FRAMES; frame++) expect(table.pinCount(frame)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('under pressure in hint mode, new hint locks hold nothing and a drop leaves no hint lock held', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: FRAMES }), fc.integer({ min: 1, max: FRAMES }), (threshold, used) => {
        const table = createFrameTable({ frameCount: FRAMES, quota: { mode: 'hint', pressureThreshold: threshold } });
        const frames = Array.from({ length: used }, (_, page) => table.allocate(1, page));
        const pins = frames.map((frame) => table.pin(frame, PinReason.UserLock, 1, 0));
        const pressure = FRAMES - used < threshold;
        expect(table.underPressure).toBe(pressure);
        if (pressure) {
          for (const pin of pins) expect(table.pinRecord(pin)?.status).toBe(PinStatus.Ignored);
          table.dropHintLocks(1);
          expect(table.lockedTotal).toBe(0);
          for (const frame of frames) expect(table.isEvictable(frame)).toBe(true);
        } else {
          expect(table.lockedTotal).toBe(used);
        }
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessKind, FaultCause, MappingError, Translation } from '@pagelab/contracts';
import { createMmu } from './mmu.js';

const PAGE_SIZE = 256;
const PAGES = 8;
const FRAMES = 12;

/** What the page table of one address space should hold, kept in plain maps. */
interface ModelPage {
  frame: number; // -1 when not present
  protection: number;
  referenced: boolean;
  modified: boolean;
}

type Step =
  | { kind: 'map'; space: number; page: number; frame: number; protection: number }
  | { kind: 'unmap'; space: number; page: number }
  | { kind: 'reserve'; space: number; page: number; protection: number }
  | { kind: 'release'; space: number; page: number }
  | { kind: 'protect'; space: number; page: number; protection: number }
  | { kind: 'clear'; space: number; page: number }
  | { kind: 'flush'; space: number }
  | { kind: 'access'; space: number; page: number; offset: number; access: AccessKind };

const space = fc.integer({ min: 0, max: 1 });
const page = fc.integer({ min: 0, max: PAGES - 1 });
const protection = fc.integer({ min: 0, max: 7 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('map' as const), space, page, frame: fc.integer({ min: 0, max: FRAMES - 1 }), protection }),
  fc.record({ kind: fc.constant('unmap' as const), space, page }),
  fc.record({ kind: fc.constant('reserve' as const), space, page, protection }),
  fc.record({ kind: fc.constant('release' as const), space, page }),
  fc.record({ kind: fc.constant('protect' as const), space, page, protection }),
  fc.record({ kind: fc.constant('clear' as const), space, page }),
  fc.record({ kind: fc.constant('flush' as const), space }),
  fc.record({
    kind: fc.constant('access' as const),
    space,
    page,
    offset: fc.integer({ min: 0, max: PAGE_SIZE - 1 }),
    access: fc.constantFrom(AccessKind.Read, AccessKind.Write, AccessKind.Fetch),
  }),
);

describe('MMU against a model page table (random operation sequences, a tiny TLB)', () => {
  it('translates, faults and keeps R/M bits exactly as the model says; a page never has two frames', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 200, size: 'max' }), fc.constantFrom([4, 1] as const, [4, 2] as const, [8, 8] as const), (steps, [tlbEntries, tlbWays]) => {
        const mmu = createMmu({ frameCount: FRAMES, pageSize: PAGE_SIZE, addressWidth: 24, tlbEntries, tlbWays });
        const ids = [mmu.createAddressSpace(), mmu.createAddressSpace()];
        const model = [new Map<number, ModelPage>(), new Map<number, ModelPage>()];
        for (const s of steps) {
          const id = ids[s.space]!;
          const pages = model[s.space]!;
          switch (s.kind) {
            case 'map': {
              const current = pages.get(s.page);
              if (current !== undefined && current.frame >= 0) {
                expect(() => mmu.map(id, s.page, s.frame, s.protection)).toThrow(MappingError);
              } else {
                mmu.map(id, s.page, s.frame, s.protection);
                pages.set(s.page, { frame: s.frame, protection: s.protection, referenced: false, modified: false });
              }
              break;
            }
            case 'unmap': {
              const current = pages.get(s.page);
              expect(mmu.unmap(id, s.page)).toBe(current?.frame ?? -1);
              if (current !== undefined) Object.assign(current, { frame: -1, referenced: false, modified: false });
              break;
            }
            case 'reserve': {
              mmu.reserve(id, s.page, 1, s.protection);
              const current = pages.get(s.page);
              if (current === undefined) pages.set(s.page, { frame: -1, protection: s.protection, referenced: false, modified: false });
              else current.protection = s.protection;
              break;
            }
            case 'release':
              mmu.release(id, s.page, 1);
              pages.delete(s.page);
              break;
            case 'protect': {
              const current = pages.get(s.page);
              if (current === undefined) expect(() => mmu.protect(id, s.page, s.protection)).toThrow(MappingError);
              else {
                mmu.protect(id, s.page, s.protection);
                current.protection = s.protection;
              }
              break;
            }
            case 'clear': {
              mmu.clearReferenced(id, s.page);
              mmu.clearModified(id, s.page);
              const current = pages.get(s.page);
              if (current !== undefined) Object.assign(current, { referenced: false, modified: false });
              break;
            }
            case 'flush':
              mmu.flushTlbAddressSpace(id);
              break;
            case 'access': {
              const address = s.page * PAGE_SIZE + s.offset;
              const result = mmu.translate(id, address, s.access);
              const current = pages.get(s.page);
              if (current === undefined) {
                expect(result).toBe(Translation.Fault);
                expect(mmu.lastFault.cause).toBe(FaultCause.Unmapped);
              } else if ((current.protection & (1 << s.access)) === 0) {
                expect(result).toBe(Translation.Fault);
                expect(mmu.lastFault.cause).toBe(FaultCause.Protection);
              } else if (current.frame < 0) {
                expect(result).toBe(Translation.Fault);
                expect(mmu.lastFault.cause).toBe(FaultCause.NotPresent);
              } else {
                expect(result).toBe(current.frame * PAGE_SIZE + s.offset);
                current.referenced = true;
                if (s.access === AccessKind.Write) current.modified = true;
              }
              break;
            }
          }
          if (s.kind === 'flush') continue;
          const entry = mmu.entry(id, s.page);
          const expected = pages.get(s.page);
          expect(entry === null ? null : { frame: entry.frame, protection: entry.protection, referenced: entry.referenced, modified: entry.modified }).toEqual(
            expected === undefined ? null : expected,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

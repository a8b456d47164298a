import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessKind, BusFault, Protection, type Bus, type Mmu } from '@pagelab/contracts';
import { createMmu, createPhysicalMemory } from './index.js';

const PAGE_SIZE = 256;
const PAGES = 12;
const FRAMES = 16;
/** Pages 0..9 are mapped; 10 is reserved but not present; 11 is not valid at all. */
const MAPPED = 10;

/** One CPU reference: its size, its address (any alignment, so some straddle two pages), its kind. */
interface Reference {
  readonly size: 1 | 2 | 4;
  readonly address: number;
  readonly access: AccessKind;
}

/** A TLB shape: entries a power of two from 1 to 32, ways a power of two dividing it. */
const tlbShape = fc.integer({ min: 0, max: 5 }).chain((e) => fc.tuple(fc.constant(2 ** e), fc.integer({ min: 0, max: e }).map((w) => 2 ** w)));

const reference: fc.Arbitrary<Reference> = fc.oneof(
  fc.record({ size: fc.constantFrom(1 as const, 2 as const, 4 as const), address: fc.integer({ min: 0, max: PAGES * PAGE_SIZE - 1 }), access: fc.constantFrom(AccessKind.Read, AccessKind.Write) }),
  fc.record({ size: fc.constant(2 as const), address: fc.integer({ min: 0, max: PAGES * PAGE_SIZE - 1 }), access: fc.constant(AccessKind.Fetch) }),
);

/** Two address spaces over the same layout, mapped to distinct frames. */
function machine(tlbEntries: number, tlbWays: number): { mmu: Mmu; spaces: number[]; buses: Bus[] } {
  const mmu = createMmu({ frameCount: FRAMES * 2, pageSize: PAGE_SIZE, addressWidth: 24, tlbEntries, tlbWays });
  const memory = createPhysicalMemory(FRAMES * 2, PAGE_SIZE);
  const spaces = [mmu.createAddressSpace(), mmu.createAddressSpace()];
  spaces.forEach((space, s) => {
    mmu.reserve(space, 0, MAPPED + 1, Protection.All);
    for (let page = 0; page < MAPPED; page++) mmu.map(space, page, s * FRAMES + page, Protection.All);
  });
  return { mmu, spaces, buses: spaces.map((space) => mmu.busFor(space, memory)) };
}

/** Runs one reference through a bus; true if it faulted. */
function throughBus(bus: Bus, { size, address, access }: Reference): boolean {
  try {
    if (access === AccessKind.Fetch) bus.fetch16(address);
    else if (access === AccessKind.Write) {
      if (size === 1) bus.write8(address, 0x5a);
      else if (size === 2) bus.write16(address, 0x5a5a);
      else bus.write32(address, 0x5a5a5a5a);
    } else if (size === 1) bus.read8(address);
    else if (size === 2) bus.read16(address);
    else bus.read32(address);
    return false;
  } catch (error) {
    if (error instanceof BusFault) return true;
    throw error;
  }
}

/**
 * The same reference as an MMU does it: one translation for each page it touches, in order,
 * stopping at the first that faults.
 */
function throughTranslate(mmu: Mmu, space: number, { size, address, access }: Reference): boolean {
  if (mmu.translate(space, address, access) < 0) return true;
  const last = address + size - 1;
  if (Math.floor(last / PAGE_SIZE) === Math.floor(address / PAGE_SIZE)) return false;
  return mmu.translate(space, Math.floor(last / PAGE_SIZE) * PAGE_SIZE, access) < 0;
}

describe('MmuBus TLB statistics', () => {
  it('a 1-entry TLB alternating two pages misses every time, through the bus as through translate', () => {
    // Code on one page, data on another: the CPU's own pattern, one access kind per page.
    const bus = machine(1, 1);
    const direct = machine(1, 1);
    for (let i = 0; i < 1000; i++) {
      bus.buses[0]!.fetch16(0x010);
      bus.buses[0]!.read16(0x110);
      direct.mmu.translate(direct.spaces[0]!, 0x010, AccessKind.Fetch);
      direct.mmu.translate(direct.spaces[0]!, 0x110, AccessKind.Read);
    }
    expect(bus.mmu.tlbStats).toEqual({ hits: 0, misses: 2000, flushes: 0 });
    expect(direct.mmu.tlbStats).toEqual({ hits: 0, misses: 2000, flushes: 0 });
  });

  it('a TLB entry evicted by another page is not reused for the evicted page by any access kind', () => {
    const { mmu, buses } = machine(1, 1);
    const bus = buses[0]!;
    bus.fetch16(0x000); // page 0 cached
    bus.read16(0x100); // page 1 evicts page 0
    bus.fetch16(0x002); // page 0 again: must miss
    bus.fetch16(0x004); // now a hit
    expect(mmu.tlbStats).toEqual({ hits: 1, misses: 3, flushes: 0 });
  });

  it('counts a straddling reference once per page it touches', () => {
    const { mmu, buses } = machine(4, 4);
    buses[0]!.write32(0x0fe, 0x11223344); // pages 0 and 1: two misses
    expect(buses[0]!.read32(0x0fe)).toBe(0x11223344); // two hits
    expect(mmu.tlbStats).toEqual({ hits: 2, misses: 2, flushes: 0 });
  });

  it('equals the statistics of translate for the same references, under random TLB shapes, flushes and faults', () => {
    type Step = { kind: 'ref'; space: number; ref: Reference } | { kind: 'flushPage'; space: number; page: number } | { kind: 'evict'; space: number; page: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 20, arbitrary: fc.record({ kind: fc.constant('ref' as const), space: fc.integer({ min: 0, max: 1 }), ref: reference }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('flushPage' as const), space: fc.integer({ min: 0, max: 1 }), page: fc.integer({ min: 0, max: MAPPED - 1 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('evict' as const), space: fc.integer({ min: 0, max: 1 }), page: fc.integer({ min: 0, max: MAPPED - 1 }) }) },
    );
    fc.assert(
      fc.property(tlbShape, fc.array(step, { minLength: 1, maxLength: 300 }), ([entries, ways], steps) => {
        const viaBus = machine(entries, ways);
        const viaTranslate = machine(entries, ways);
        for (const s of steps) {
          if (s.kind === 'ref') {
            const faulted = throughBus(viaBus.buses[s.space]!, s.ref);
            expect(faulted).toBe(throughTranslate(viaTranslate.mmu, viaTranslate.spaces[s.space]!, s.ref));
          } else {
            // The pager's eviction: unmap (which invalidates the entry) and map it again elsewhere.
            for (const m of [viaBus, viaTranslate]) {
              const space = m.spaces[s.space]!;
              if (s.kind === 'flushPage') m.mmu.flushTlbPage(space, s.page);
              else m.mmu.map(space, s.page, m.mmu.unmap(space, s.page), Protection.All);
            }
          }
          expect(viaBus.mmu.tlbStats).toEqual(viaTranslate.mmu.tlbStats);
        }
        for (let page = 0; page <= MAPPED; page++) {
          for (const s of [0, 1]) expect(viaBus.mmu.entry(viaBus.spaces[s]!, page)).toEqual(viaTranslate.mmu.entry(viaTranslate.spaces[s]!, page));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes only compulsory misses when a fully associative TLB holds every page touched', () => {
    const mappedOnly = reference.filter((r) => r.address + r.size <= MAPPED * PAGE_SIZE);
    fc.assert(
      fc.property(fc.array(fc.record({ space: fc.integer({ min: 0, max: 1 }), ref: mappedOnly }), { minLength: 1, maxLength: 300 }), (refs) => {
        const { mmu, buses } = machine(32, 32);
        const touched = new Set<string>();
        let translations = 0;
        for (const { space, ref } of refs) {
          expect(throughBus(buses[space]!, ref)).toBe(false);
          const first = Math.floor(ref.address / PAGE_SIZE);
          const last = Math.floor((ref.address + ref.size - 1) / PAGE_SIZE);
          for (let page = first; page <= last; page++) touched.add(`${space}:${page}`);
          translations += last - first + 1;
        }
        expect(mmu.tlbStats).toEqual({ hits: translations - touched.size, misses: touched.size, flushes: 0 });
      }),
      { numRuns: 200 },
    );
  });
});

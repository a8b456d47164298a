import { expect } from 'vitest';
import {
  AccessKind,
  BusFault,
  FaultCause,
  Protection,
  Translation,
  type ConfigurationError,
  type Mmu,
  type MmuFactory,
  type MmuOptions,
  type PhysicalMemory,
} from '@pagelab/contracts';
import { expectThrowsCode } from './error-codes.js';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

/** RAM for a bus under test, built here so the suite needs nothing from the implementation. */
function memoryFor(mmu: Mmu): PhysicalMemory {
  return { bytes: new Uint8Array(mmu.frameCount * mmu.pageSize), frameCount: mmu.frameCount, pageSize: mmu.pageSize };
}

/** Runs `action` and returns the BusFault it throws (failing the test if it throws anything else, or nothing). */
function busFaultOf(action: () => unknown): BusFault {
  try {
    action();
  } catch (thrown) {
    // The 68000 core recognises a bus fault by its class, so it must be the contracts' BusFault.
    expect(thrown, 'what the bus threw').toBeInstanceOf(BusFault);
    return thrown as BusFault;
  }
  throw new Error('expected a BusFault, but the reference completed');
}

/**
 * The MMU contract, as cases for an in-process runner (`pagelab conform mmu`) or vitest. It
 * checks the rules written on the `Mmu` interface: translation and its three fault causes,
 * referenced/modified bits, TLB invalidation on every mapping change, the 24-bit address
 * mode, option checking, and the `Bus` that `busFor` returns.
 *
 * @param subject the implementation's name in the report
 * @param factory builds an MMU from its options (frames, page size, address width, TLB shape)
 */
export function mmuConformanceSuite(subject: string, factory: MmuFactory): ConformanceSuite {
  const build = (options: Partial<MmuOptions> = {}): Mmu => factory({ frameCount: 16, ...options });
  const cases: ConformanceCase[] = [];
  const check = (name: string, run: () => void): void => void cases.push({ name, run });

  // options
  check('defaults to 4 KiB pages and 32-bit addresses', () => {
    const mmu = build();
    expect(mmu.pageSize, 'mmu.pageSize').toBe(4096);
    expect(mmu.pageShift, 'mmu.pageShift').toBe(12);
    expect(mmu.addressWidth, 'mmu.addressWidth').toBe(32);
    expect(mmu.pagesPerAddressSpace, 'mmu.pagesPerAddressSpace').toBe(2 ** 20);
    expect(mmu.frameCount, 'mmu.frameCount').toBe(16);
  });

  check('accepts every power-of-two page size from 256 B to 64 KiB, in both address widths', () => {
    for (let pageSize = 256; pageSize <= 65536; pageSize *= 2) {
      for (const addressWidth of [24, 32] as const) {
        const mmu = build({ pageSize, addressWidth });
        expect(mmu.pagesPerAddressSpace, 'mmu.pagesPerAddressSpace').toBe(2 ** addressWidth / pageSize);
      }
    }
  });

  for (const pageSize of [128, 1000, 131072, 0, -4096]) {
    check(`rejects page size ${pageSize} with a ConfigurationError on pageSize`, () => {
      const error = expectThrowsCode(() => build({ pageSize }), 'CONFIGURATION', `pageSize ${pageSize}`);
      expect((error as ConfigurationError).field, 'the field the error names').toBe('pageSize');
    });
  }

  check('rejects an address width other than 24 or 32, naming the field', () => {
    const options = { frameCount: 4, addressWidth: 16 } as unknown as MmuOptions;
    expect(() => factory(options)).toThrow(expect.objectContaining({ field: 'addressWidth' }) as Error);
  });

  check('rejects a frame count of zero, naming the field', () => {
    expect(() => build({ frameCount: 0 })).toThrow(expect.objectContaining({ field: 'frameCount' }) as Error);
  });

  // address spaces
  check('hands out distinct positive ids and forgets destroyed ones', () => {
    const mmu = build();
    const a = mmu.createAddressSpace();
    const b = mmu.createAddressSpace();
    expect(a).toBeGreaterThan(0);
    expect(b).not.toBe(a);
    expect(mmu.hasAddressSpace(a), 'mmu.hasAddressSpace(a)').toBe(true);
    mmu.destroyAddressSpace(a);
    expect(mmu.hasAddressSpace(a), 'mmu.hasAddressSpace(a)').toBe(false);
    expect(mmu.createAddressSpace(), 'mmu.createAddressSpace()').not.toBe(a);
  });

  check('reports the present pages of a destroyed address space so their frames can be freed', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 3, 7, Protection.ReadWrite);
    mmu.map(space, 900, 2, Protection.Read);
    mmu.reserve(space, 10, 4, Protection.Read);
    const present = [...mmu.destroyAddressSpace(space)].sort((x, y) => x.page - y.page);
    expect(present).toEqual([
      { page: 3, frame: 7 },
      { page: 900, frame: 2 },
    ]);
  });

  check('throws a MappingError for an address space that does not exist', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.destroyAddressSpace(space);
    expectThrowsCode(() => mmu.map(space, 0, 0, Protection.Read), 'MAPPING', 'mmu.map(space, 0, 0, Protection.Read)');
    expectThrowsCode(() => mmu.translate(space, 0, AccessKind.Read), 'MAPPING', 'mmu.translate(space, 0, AccessKind.Read)');
    expectThrowsCode(() => mmu.destroyAddressSpace(space), 'MAPPING', 'mmu.destroyAddressSpace(space)');
    expectThrowsCode(() => mmu.flushTlbAddressSpace(space), 'MAPPING', 'mmu.flushTlbAddressSpace(space)');
  });

  check('keeps address spaces apart: the same page can map different frames', () => {
    const mmu = build();
    const a = mmu.createAddressSpace();
    const b = mmu.createAddressSpace();
    mmu.map(a, 1, 4, Protection.Read);
    mmu.map(b, 1, 9, Protection.Read);
    expect(mmu.translate(a, 0x1010, AccessKind.Read), 'mmu.translate(a, 0x1010, AccessKind.Read)').toBe(4 * 4096 + 0x10);
    expect(mmu.translate(b, 0x1010, AccessKind.Read), 'mmu.translate(b, 0x1010, AccessKind.Read)').toBe(9 * 4096 + 0x10);
    expect(mmu.translate(a, 0x1010, AccessKind.Read), 'mmu.translate(a, 0x1010, AccessKind.Read)').toBe(4 * 4096 + 0x10);
  });

  // mapping
  check('translates a mapped address to frame * pageSize + offset', () => {
    const mmu = build({ pageSize: 1024 });
    const space = mmu.createAddressSpace();
    mmu.map(space, 5, 3, Protection.All);
    expect(mmu.translate(space, 5 * 1024 + 77, AccessKind.Read), 'mmu.translate(space, 5 * 1024 + 77, AccessKind.Read)').toBe(3 * 1024 + 77);
    expect(mmu.frameOf(space, 5), 'mmu.frameOf(space, 5)').toBe(3);
    expect(mmu.entry(space, 5), 'mmu.entry(space, 5)').toEqual({ page: 5, frame: 3, present: true, protection: Protection.All, referenced: true, modified: false });
  });

  check('refuses to map a present page again (a page maps to one frame)', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 1, 1, Protection.Read);
    expectThrowsCode(() => mmu.map(space, 1, 2, Protection.Read), 'MAPPING', 'mmu.map(space, 1, 2, Protection.Read)');
    expect(mmu.frameOf(space, 1), 'mmu.frameOf(space, 1)').toBe(1);
  });

  check('refuses frame and page numbers out of range', () => {
    const mmu = build({ addressWidth: 24 });
    const space = mmu.createAddressSpace();
    expectThrowsCode(() => mmu.map(space, 0, 16, Protection.Read), 'MAPPING', 'mmu.map(space, 0, 16, Protection.Read)');
    expectThrowsCode(() => mmu.map(space, 0, -1, Protection.Read), 'MAPPING', 'mmu.map(space, 0, -1, Protection.Read)');
    expectThrowsCode(() => mmu.map(space, mmu.pagesPerAddressSpace, 0, Protection.Read), 'MAPPING', 'mmu.map(space, mmu.pagesPerAddressSpace, 0, Protection.Read)');
    expectThrowsCode(() => mmu.reserve(space, mmu.pagesPerAddressSpace - 1, 2, Protection.Read), 'MAPPING', 'mmu.reserve(space, mmu.pagesPerAddressSpace - 1, 2, Protection.Read)');
  });

  check('lets two pages share one frame (shared memory)', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 1, 6, Protection.Read);
    mmu.map(space, 2, 6, Protection.Read);
    expect(mmu.translate(space, 0x2004, AccessKind.Read), 'mmu.translate(space, 0x2004, AccessKind.Read)').toBe(mmu.translate(space, 0x1004, AccessKind.Read));
  });

  check('gives no entry for an invalid page and reports a reserved page as valid but not present', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    expect(mmu.entry(space, 8), 'mmu.entry(space, 8)').toBeNull();
    mmu.reserve(space, 8, 1, Protection.ReadExecute);
    expect(mmu.entry(space, 8), 'mmu.entry(space, 8)').toEqual({ page: 8, frame: -1, present: false, protection: Protection.ReadExecute, referenced: false, modified: false });
    expect(mmu.frameOf(space, 8), 'mmu.frameOf(space, 8)').toBe(-1);
  });

  // faults
  check('tells unmapped, not-present and protection faults apart', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.reserve(space, 2, 1, Protection.ReadWrite);
    mmu.map(space, 3, 0, Protection.Read);

    expect(mmu.translate(space, 0x1000, AccessKind.Read), 'mmu.translate(space, 0x1000, AccessKind.Read)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Unmapped);

    expect(mmu.translate(space, 0x2abc, AccessKind.Write), 'mmu.translate(space, 0x2abc, AccessKind.Write)').toBe(Translation.Fault);
    expect({ ...mmu.lastFault }).toEqual({ cause: FaultCause.NotPresent, addressSpace: space, address: 0x2abc, page: 2, access: AccessKind.Write });

    expect(mmu.translate(space, 0x3000, AccessKind.Write), 'mmu.translate(space, 0x3000, AccessKind.Write)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Protection);
  });

  check('reports a forbidden access to a not-present page as a protection fault', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.reserve(space, 0, 1, Protection.Read);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Protection);
  });

  check('requires Execute to fetch, Read to read and Write to write', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadWrite);
    mmu.map(space, 1, 1, Protection.Execute);
    expect(mmu.translate(space, 0, AccessKind.Fetch), 'mmu.translate(space, 0, AccessKind.Fetch)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Protection);
    expect(mmu.translate(space, 0x1000, AccessKind.Fetch), 'mmu.translate(space, 0x1000, AccessKind.Fetch)').toBe(4096);
    expect(mmu.translate(space, 0x1000, AccessKind.Read), 'mmu.translate(space, 0x1000, AccessKind.Read)').toBe(Translation.Fault);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(0);
  });

  check('changes no bit when a translation faults', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.Read);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(Translation.Fault);
    expect(mmu.isReferenced(space, 0), 'mmu.isReferenced(space, 0)').toBe(false);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(false);
  });

  check('makes a released page unmapped', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 4, 2, Protection.Read);
    mmu.translate(space, 0x4000, AccessKind.Read);
    expect(mmu.release(space, 4, 1), 'mmu.release(space, 4, 1)').toEqual([{ page: 4, frame: 2 }]);
    expect(mmu.translate(space, 0x4000, AccessKind.Read), 'mmu.translate(space, 0x4000, AccessKind.Read)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Unmapped);
  });

  // referenced and modified bits
  check('sets referenced on any access and modified on a write, TLB hit or miss', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadWrite);
    mmu.translate(space, 0, AccessKind.Read);
    expect(mmu.isReferenced(space, 0), 'mmu.isReferenced(space, 0)').toBe(true);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(false);
    mmu.clearReferenced(space, 0);
    mmu.translate(space, 4, AccessKind.Read); // the entry is in the TLB now
    expect(mmu.isReferenced(space, 0), 'mmu.isReferenced(space, 0)').toBe(true);
    mmu.translate(space, 8, AccessKind.Write);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(true);
    mmu.clearModified(space, 0);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(false);
    mmu.translate(space, 12, AccessKind.Write);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(true);
  });

  check('clears both bits on unmap and starts a fresh mapping clean', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadWrite);
    mmu.translate(space, 0, AccessKind.Write);
    expect(mmu.unmap(space, 0), 'mmu.unmap(space, 0)').toBe(0);
    mmu.map(space, 0, 1, Protection.ReadWrite);
    expect(mmu.isReferenced(space, 0), 'mmu.isReferenced(space, 0)').toBe(false);
    expect(mmu.isModified(space, 0), 'mmu.isModified(space, 0)').toBe(false);
  });

  // TLB
  check('counts a miss, then hits, and a miss again after a page flush', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.Read);
    const before = mmu.tlbStats;
    mmu.translate(space, 0, AccessKind.Read);
    mmu.translate(space, 2, AccessKind.Read);
    mmu.translate(space, 4, AccessKind.Read);
    const warm = mmu.tlbStats;
    expect(warm.misses - before.misses, 'TLB misses for three reads of one page').toBe(1);
    expect(warm.hits - before.hits, 'TLB hits for three reads of one page').toBe(2);
    mmu.flushTlbPage(space, 0);
    mmu.translate(space, 0, AccessKind.Read);
    const after = mmu.tlbStats;
    expect(after.misses - warm.misses, 'TLB misses after flushTlbPage').toBe(1);
    expect(after.flushes - warm.flushes, 'flushes counted by flushTlbPage').toBe(1);
  });

  check('misses again after an address-space flush and after a full flush', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.Read);
    mmu.translate(space, 0, AccessKind.Read);
    mmu.flushTlbAddressSpace(space);
    const start = mmu.tlbStats.misses;
    mmu.translate(space, 0, AccessKind.Read);
    expect(mmu.tlbStats.misses - start, 'TLB misses since the flush').toBe(1);
    mmu.flushTlb();
    mmu.translate(space, 0, AccessKind.Read);
    expect(mmu.tlbStats.misses - start, 'TLB misses since the flush').toBe(2);
  });

  check('never reaches an unmapped frame through a stale entry', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 5, Protection.Read);
    expect(mmu.translate(space, 0, AccessKind.Read), 'mmu.translate(space, 0, AccessKind.Read)').toBe(5 * 4096);
    mmu.unmap(space, 0);
    expect(mmu.translate(space, 0, AccessKind.Read), 'mmu.translate(space, 0, AccessKind.Read)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.NotPresent);
    mmu.map(space, 0, 6, Protection.Read);
    expect(mmu.translate(space, 0, AccessKind.Read), 'mmu.translate(space, 0, AccessKind.Read)').toBe(6 * 4096);
  });

  check('never grants an old protection through a stale entry', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadWrite);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(0);
    mmu.protect(space, 0, Protection.Read);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Protection);
    mmu.reserve(space, 0, 1, Protection.ReadWrite);
    expect(mmu.translate(space, 0, AccessKind.Write), 'mmu.translate(space, 0, AccessKind.Write)').toBe(0);
  });

  check('translates correctly when far more pages are in use than the TLB holds', () => {
    for (const [tlbEntries, tlbWays] of [
      [4, 1],
      [8, 2],
      [16, 16],
    ] as const) {
      const mmu = factory({ frameCount: 64, pageSize: 256, tlbEntries, tlbWays });
      const spaces = [mmu.createAddressSpace(), mmu.createAddressSpace()];
      const frameOf = new Map<string, number>();
      let frame = 0;
      for (const space of spaces) {
        for (let page = 0; page < 32; page++) {
          mmu.map(space, page * 3, frame, Protection.Read);
          frameOf.set(`${space}:${page * 3}`, frame++);
        }
      }
      for (let step = 0; step < 2000; step++) {
        const space = spaces[step % 2]!;
        const page = ((step * 7919) % 32) * 3;
        const offset = (step * 13) % 256;
        expect(mmu.translate(space, page * 256 + offset, AccessKind.Read), 'mmu.translate(space, page * 256 + offset, AccessKind.Read)').toBe(frameOf.get(`${space}:${page}`)! * 256 + offset);
      }
    }
  });

  // 24-bit addresses
  check('ignores the top byte of a virtual address', () => {
    const mmu = build({ addressWidth: 24 });
    const space = mmu.createAddressSpace();
    mmu.map(space, 1, 2, Protection.Read);
    expect(mmu.translate(space, 0xff001004, AccessKind.Read), 'mmu.translate(space, 0xff001004, AccessKind.Read)').toBe(2 * 4096 + 4);
    expect(mmu.translate(space, 0x00001004, AccessKind.Read), 'mmu.translate(space, 0x00001004, AccessKind.Read)').toBe(2 * 4096 + 4);
  });

  check('uses the whole address at 32 bits', () => {
    const mmu = build({ addressWidth: 32 });
    const space = mmu.createAddressSpace();
    mmu.map(space, 1, 2, Protection.Read);
    expect(mmu.translate(space, 0x01001004, AccessKind.Read), 'mmu.translate(space, 0x01001004, AccessKind.Read)').toBe(Translation.Fault);
    expect(mmu.lastFault.cause, 'mmu.lastFault.cause').toBe(FaultCause.Unmapped);
    mmu.map(space, 0xfffff, 3, Protection.Read);
    expect(mmu.translate(space, 0xfffffffe, AccessKind.Read), 'mmu.translate(space, 0xfffffffe, AccessKind.Read)').toBe(3 * 4096 + 4094);
  });

  // bus
  check('reads and writes big-endian bytes, words and longs through the page table', () => {
    const mmu = build();
    const memory = memoryFor(mmu);
    const space = mmu.createAddressSpace();
    mmu.map(space, 2, 5, Protection.All);
    const bus = mmu.busFor(space, memory);
    bus.write32(0x2010, 0x12345678);
    expect([...memory.bytes.subarray(5 * 4096 + 0x10, 5 * 4096 + 0x14)], '[...memory.bytes.subarray(5 * 4096 + 0x10, 5 * 4096 + 0x14)]').toEqual([0x12, 0x34, 0x56, 0x78]);
    expect(bus.read32(0x2010), 'bus.read32(0x2010)').toBe(0x12345678);
    expect(bus.read16(0x2012), 'bus.read16(0x2012)').toBe(0x5678);
    expect(bus.fetch16(0x2010), 'bus.fetch16(0x2010)').toBe(0x1234);
    expect(bus.read8(0x2013), 'bus.read8(0x2013)').toBe(0x78);
    bus.write16(0x2020, 0xbeef);
    bus.write8(0x2022, 0x7f);
    expect(bus.read32(0x2020), 'bus.read32(0x2020)').toBe(0xbeef7f00);
    bus.write32(0x2030, 0xffffffff);
    expect(bus.read32(0x2030), 'bus.read32(0x2030)').toBe(0xffffffff);
    expect(mmu.isModified(space, 2), 'mmu.isModified(space, 2)').toBe(true);
  });

  check('throws a BusFault with the cause, access and size, and changes no memory', () => {
    const mmu = build();
    const memory = memoryFor(mmu);
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadExecute);
    mmu.reserve(space, 1, 1, Protection.ReadWrite);
    const bus = mmu.busFor(space, memory);

    const write = busFaultOf(() => bus.write16(0x10, 0xffff));
    expect({ ...write }).toEqual({ address: 0x10, access: AccessKind.Write, size: 2, cause: FaultCause.Protection });
    expect(memory.bytes.every((b) => b === 0)).toBe(true);

    const read = busFaultOf(() => bus.read32(0x1000));
    expect(read.cause, 'read.cause').toBe(FaultCause.NotPresent);
    expect(read.access, 'read.access').toBe(AccessKind.Read);

    const fetch = busFaultOf(() => bus.fetch16(0x5000));
    expect(fetch.cause, 'fetch.cause').toBe(FaultCause.Unmapped);
    expect(fetch.access, 'fetch.access').toBe(AccessKind.Fetch);
  });

  check('faults a long that crosses into a missing page on its second word, before writing anything', () => {
    const mmu = build();
    const memory = memoryFor(mmu);
    const space = mmu.createAddressSpace();
    mmu.map(space, 0, 0, Protection.ReadWrite);
    mmu.reserve(space, 1, 1, Protection.ReadWrite);
    const bus = mmu.busFor(space, memory);
    const fault = busFaultOf(() => bus.write32(0x0ffe, 0xaabbccdd));
    expect(fault.address, 'fault.address').toBe(0x1000);
    expect(fault.cause, 'fault.cause').toBe(FaultCause.NotPresent);
    expect(memory.bytes[0x0ffe], 'memory.bytes[0x0ffe]').toBe(0);
    expect(memory.bytes[0x0fff], 'memory.bytes[0x0fff]').toBe(0);

    mmu.map(space, 1, 3, Protection.ReadWrite);
    bus.write32(0x0ffe, 0xaabbccdd);
    expect(bus.read32(0x0ffe), 'bus.read32(0x0ffe)').toBe(0xaabbccdd);
    expect([memory.bytes[0x0ffe], memory.bytes[0x0fff], memory.bytes[3 * 4096], memory.bytes[3 * 4096 + 1]]).toEqual([0xaa, 0xbb, 0xcc, 0xdd]);
  });

  check('refuses memory whose page size differs from the MMU page size', () => {
    const mmu = build();
    const space = mmu.createAddressSpace();
    const memory: PhysicalMemory = { bytes: new Uint8Array(16 * 1024), frameCount: 16, pageSize: 1024 };
    expect(() => mmu.busFor(space, memory)).toThrow(expect.objectContaining({ field: 'memory.pageSize' }) as Error);
  });
  return { seam: 'mmu', subject, cases };
}

/**
 * Registers the MMU suite with vitest. Call it from a test file of the package under test:
 *
 * ```ts
 * describeMmuConformance('my-mmu', (options) => new MyMmu(options));
 * ```
 */
export function describeMmuConformance(subject: string, factory: MmuFactory): void {
  describeConformanceSuite('Mmu', mmuConformanceSuite(subject, factory));
}

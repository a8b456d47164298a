import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Protection } from '@pagelab/contracts';
import { createMmu, createPhysicalMemory } from './index.js';

const PAGE_SIZE = 256;
const PAGES = 8;

/** A bus over 8 pages mapped to frames in reverse order, so crossing a page boundary jumps in RAM. */
function reversedBus() {
  const mmu = createMmu({ frameCount: PAGES, pageSize: PAGE_SIZE, addressWidth: 24, tlbEntries: 2, tlbWays: 1 });
  const space = mmu.createAddressSpace();
  for (let page = 0; page < PAGES; page++) mmu.map(space, page, PAGES - 1 - page, Protection.All);
  return mmu.busFor(space, createPhysicalMemory(PAGES, PAGE_SIZE));
}

describe('MmuBus', () => {
  it('behaves like flat big-endian memory for every size and alignment, across page boundaries', () => {
    const write = fc.record({
      size: fc.constantFrom(1, 2, 4),
      address: fc.integer({ min: 0, max: PAGES * PAGE_SIZE - 4 }),
      value: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 60, size: 'max' }), (writes) => {
        const bus = reversedBus();
        const flat = new DataView(new ArrayBuffer(PAGES * PAGE_SIZE));
        for (const { size, address, value } of writes) {
          if (size === 1) {
            bus.write8(address, value);
            flat.setUint8(address, value & 0xff);
          } else if (size === 2) {
            bus.write16(address, value);
            flat.setUint16(address, value & 0xffff);
          } else {
            bus.write32(address, value);
            flat.setUint32(address, value);
          }
          expect(bus.read32(address)).toBe(flat.getUint32(address));
          expect(bus.read16(address)).toBe(flat.getUint16(address));
          expect(bus.fetch16(address + 1)).toBe(flat.getUint16(address + 1));
          expect(bus.read8(address + 3)).toBe(flat.getUint8(address + 3));
        }
      }),
    );
  });
});

describe("MmuBus's page window", () => {
  it('answers where each reference lands, as the bus reads it, and -1 where the bus would fault', () => {
    const mmu = createMmu({ frameCount: PAGES, pageSize: PAGE_SIZE, addressWidth: 24, tlbEntries: 2, tlbWays: 1 });
    const space = mmu.createAddressSpace();
    mmu.reserve(space, 0, PAGES + 1, Protection.All);
    for (let page = 0; page < PAGES; page++) mmu.map(space, page, PAGES - 1 - page, Protection.All);
    const memory = createPhysicalMemory(PAGES, PAGE_SIZE);
    const bus = mmu.busFor(space, memory);
    const window = bus.pages!;
    for (let address = 0; address < PAGES * PAGE_SIZE; address += 37) {
      bus.write8(address, address & 0xff);
      expect(window.bytes[window.readAt(address)]).toBe(bus.read8(address));
      expect(window.peekAt(address)).toBe(window.fetchAt(address));
    }
    // A page that is valid but not present: every answer is -1, and peeking marks nothing.
    const absent = PAGES * PAGE_SIZE + 4;
    expect([window.fetchAt(absent), window.readAt(absent), window.writeAt(absent), window.peekAt(absent)]).toEqual([-1, -1, -1, -1]);
    mmu.clearReferenced(space, 0);
    expect(window.peekAt(8)).toBeGreaterThanOrEqual(0);
    expect(mmu.entry(space, 0)!.referenced).toBe(false);
    window.fetchAt(8);
    expect(mmu.entry(space, 0)!.referenced).toBe(true);
  });

  it("is one class's methods for every address space, so code optimised against one window keeps for the next", () => {
    const first = reversedBus().pages!;
    const second = reversedBus().pages!;
    expect(first).not.toBe(second);
    for (const method of ['fetchAt', 'readAt', 'writeAt', 'peekAt']) expect(Reflect.get(first, method)).toBe(Reflect.get(second, method));
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIoStrategy } from '@pagelab/io-buffers';
import {
  AccessKind,
  PinReason,
  Protection,
  TransferDirection,
  type FrameTable,
  type IoBufferStrategy,
  type IoStrategyName,
} from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import { defaultParts } from './default-parts.js';
import { KernelIoServices } from './io-services.js';
import type { SyntheticSpec } from './synthetic.js';
import { UserMemory } from './user-memory.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const readsum = readFileSync(join(fixtures, 'bin', 'readsum.elf'));
const readsumExpected = readFileSync(join(fixtures, 'bin', 'readsum.expected'), 'utf8');
const input = readFileSync(join(fixtures, 'input.txt'));

/** The seeds' race with synthetic processes (a reader sleeping on DMA, a hog faulting), with a part replaced if asked. */
function race(io: IoStrategyName, replace: Parameters<typeof createSystem>[1] = {}) {
  const system = createSystem(
    { frames: 24, pageSize: 4096, policy: 'clock', io, restart: 'none', bounceFrames: 4, timeSlice: 200, costs: { diskSeek: 5_000, diskPerByte: 8, swapLatency: 2_000 } },
    replace,
  );
  system.addFile('/data', Uint8Array.from({ length: 4 * 4096 }, (_, i) => (i * 13) & 0xff));
  const reader: SyntheticSpec = { pattern: 'loop', pages: 8, workingSet: 4, references: 4000, io: { every: 500, bytes: 4 * 4096, file: '/data' } };
  system.spawnSynthetic({ name: 'reader', spec: reader, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 60, references: 20_000, writeFraction: 0.3 }, priority: 5 });
  return { system, report: system.run() };
}

/** A strategy that does the real work of `inner` but reports that it cost nothing. */
function lying(inner: IoBufferStrategy): IoBufferStrategy {
  const zero = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  return { name: inner.name, specificationVersion: inner.specificationVersion, begin: (...a) => inner.begin(...a), finish: (...a) => inner.finish(...a), costs: zero };
}

describe('the kernel measures the I/O figures itself', () => {
  it('counts the bytes it copies, whatever the strategy says', () => {
    const { report } = race('bounce', { ioStrategy: (name, options) => lying(createIoStrategy(name, options)) });
    // 4,000 references with a read every 500: eight reads of four pages, all copied.
    expect(report.io.bytesCopied).toBe(8 * 4 * 4096);
    expect(report.statistics.bytesCopied).toBe(8 * 4 * 4096);
    expect(report.io.copyCycles).toBe(8 * 4 * 4096 * 3);
  });

  it('takes pinned frame-cycles from the pins the frame table held, whatever the strategy says', () => {
    const held = new Map<number, number>();
    let frameCycles = 0;
    let dmaPins = 0;
    // Watches the frame table from outside: every DMA pin's grant and release time.
    const watched = (options: Parameters<typeof defaultParts.createFrameTable>[0]): FrameTable => {
      const table = defaultParts.createFrameTable(options);
      const pin = table.pin.bind(table);
      const unpin = table.unpin.bind(table);
      table.pin = (frame, reason, addressSpace, now) => {
        const id = pin(frame, reason, addressSpace, now);
        if (reason === PinReason.Dma) {
          held.set(id, now);
          dmaPins++;
        }
        return id;
      };
      table.unpin = (id, now) => {
        const since = held.get(id);
        if (since !== undefined) frameCycles += now - since;
        held.delete(id);
        unpin(id, now);
      };
      return table;
    };
    const { report } = race('pin', { createFrameTable: watched, ioStrategy: (name, options) => lying(createIoStrategy(name, options)) });
    expect(frameCycles).toBeGreaterThan(0);
    expect(report.io.pinnedFrameCycles).toBe(frameCycles);
    expect(report.statistics.pinnedFrameCycles).toBe(frameCycles);
    expect(report.io.dmaPins).toBe(dmaPins);
    expect(report.io.bytesCopied).toBe(0);
  });

  it('counts hint pins the frame table ignored as holding nothing', () => {
    const system = createSystem({ frames: 24, io: 'pin', restart: 'none', bounceFrames: 4, lockQuota: { mode: 'hint', perAddressSpace: 1 } });
    system.addFile('/data', new Uint8Array(3 * 4096));
    system.spawnSynthetic({ name: 'reader', spec: { pattern: 'sequential', pages: 3, references: 6, io: { every: 4, bytes: 3 * 4096, file: '/data' } } });
    const report = system.run();
    // One read of three pages (at the fourth reference, once all three are in); the quota of one lets one pin hold and the other two are hints ignored.
    expect(report.io.dmaPins).toBe(3);
    expect(report.io.dmaPinsIgnored).toBe(2);
    expect(report.io.pinnedFrameCycles).toBeGreaterThan(0);
  });
});

describe('IoServices.checkRange', () => {
  it('validates a user range from the page table without faulting it in or setting a bit', () => {
    const system = createSystem({ frames: 16, io: 'bounce', restart: 'none' });
    const bouncePool = [system.frames.allocateWired()];
    const user = new UserMemory(system.mmu, (addressSpace, page, access) => system.pager.handleFault(addressSpace, page, access), system.memory);
    const services = new KernelIoServices(user, system.frames, system.memory, system.clock, bouncePool, 3);
    const space = system.mmu.createAddressSpace();
    system.mmu.reserve(space, 0x10, 4, Protection.ReadWrite);
    system.mmu.reserve(space, 0x20, 1, Protection.Read);
    const buffer = { addressSpace: space, address: 0x10 * 4096 + 100, length: 3 * 4096 };
    expect(services.checkRange(buffer, TransferDirection.DeviceToMemory)).toBe(true);
    expect(system.pager.statistics.faults).toBe(0);
    for (let page = 0x10; page < 0x14; page++) expect(system.mmu.entry(space, page)).toMatchObject({ present: false, referenced: false, modified: false });
    // A read needs writable pages; a write only readable ones; a range leaving the mapping is refused.
    const readOnly = { addressSpace: space, address: 0x20 * 4096, length: 16 };
    expect(services.checkRange(readOnly, TransferDirection.DeviceToMemory)).toBe(false);
    expect(services.checkRange(readOnly, TransferDirection.MemoryToDevice)).toBe(true);
    expect(services.checkRange({ ...buffer, length: 5 * 4096 }, TransferDirection.MemoryToDevice)).toBe(false);
    expect(system.pager.statistics.faults).toBe(0);
    // residentSegments is the one that touches: it faults every page in and marks it modified.
    expect(services.residentSegments(buffer, TransferDirection.DeviceToMemory)).toHaveLength(4);
    expect(system.pager.statistics.faults).toBe(4);
    expect(system.mmu.translate(space, buffer.address, AccessKind.Read)).toBeGreaterThanOrEqual(0);
    expect(system.mmu.entry(space, 0x11)).toMatchObject({ present: true, modified: true });
  });

  it('keeps bounce from faulting in a buffer the program never touches (a read at end of file)', () => {
    // readsum's 16 KiB buffer, from its symbol table, and the pages of it no other symbol shares.
    const pageSize = 4096;
    const symbols = elfSymbols(readsum);
    const buffer = symbols.get('buffer')!;
    const others = [...symbols.entries()].filter(([name, s]) => name !== 'buffer' && s.size > 0);
    const shared = (page: number) => others.some(([, s]) => s.value < (page + 1) * pageSize && s.value + s.size > page * pageSize);
    let onlyBuffer = 0;
    for (let page = Math.floor(buffer.value / pageSize); page <= Math.floor((buffer.value + buffer.size - 1) / pageSize); page++) if (!shared(page)) onlyBuffer++;
    expect(onlyBuffer).toBeGreaterThanOrEqual(3);
    const faults = (io: IoStrategyName) => {
      const system = createSystem({ frames: 48, pageSize, io, restart: 'hardware' });
      system.spawnProgram({ name: 'readsum', executable: readsum, stdin: new Uint8Array(0) });
      const report = system.run();
      expect(report.processes[0]!.stdout).toMatch(/^bytes 0 /);
      return { faults: report.statistics.pageFaults, writebacks: system.pager.statistics.writebacks };
    };
    // With empty input the program never touches its buffer: pin must fault it in to pin it, bounce need not.
    const pin = faults('pin');
    const bounce = faults('bounce');
    expect(pin.faults - bounce.faults).toBe(onlyBuffer);
    expect(bounce.writebacks).toBe(0);
  });
});

describe('a read larger than the bounce pool', () => {
  it.each([
    ['bounce', {}],
    ['hybrid', { lockQuota: { perAddressSpace: 1 } }],
  ] as const)('goes through %s in pool-sized pieces, with the output qemu-m68k printed', (io, extra) => {
    // An 8 KiB pool; readsum reads its 64 KiB input with 16 KiB reads, then one more that meets end of file.
    const system = createSystem({ frames: 32, io, restart: 'hardware', bounceFrames: 2, ...extra });
    system.spawnProgram({ name: 'readsum', executable: readsum, stdin: input });
    const report = system.run();
    expect(report.processes[0]!.killed).toBeNull();
    expect(report.processes[0]!.stdout).toBe(readsumExpected);
    const reads = Math.ceil(input.length / 16384) + 1;
    if (io === 'bounce') {
      expect(report.io.splitRequests).toBe(reads);
      // Two pieces for every full read; the read at end of file stops at its first, empty, piece.
      expect(report.io.pieces).toBe(2 * (reads - 1) + 1);
      expect(report.io.bytesCopied).toBe(input.length + Buffer.byteLength(readsumExpected));
    } else {
      expect(report.io.splitRequests).toBeGreaterThan(0);
      expect(report.io.pieces).toBeGreaterThan(report.io.splitRequests);
    }
    expect(system.frames.pinStats.acquired).toBe(system.frames.pinStats.released);
  });
});

/** Name, address and size of every symbol in a 32-bit big-endian ELF file's symbol table. */
function elfSymbols(elf: Uint8Array): Map<string, { value: number; size: number }> {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const sectionsAt = view.getUint32(32);
  const sectionSize = view.getUint16(46);
  const count = view.getUint16(48);
  const section = (i: number) => {
    const at = sectionsAt + i * sectionSize;
    return { type: view.getUint32(at + 4), offset: view.getUint32(at + 16), size: view.getUint32(at + 20), link: view.getUint32(at + 24) };
  };
  const symbols = new Map<string, { value: number; size: number }>();
  for (let i = 0; i < count; i++) {
    const table = section(i);
    if (table.type !== 2) continue; // SHT_SYMTAB
    const strings = section(table.link);
    for (let at = table.offset; at < table.offset + table.size; at += 16) {
      let end = strings.offset + view.getUint32(at);
      const start = end;
      while (elf[end] !== 0) end++;
      const name = new TextDecoder().decode(elf.subarray(start, end));
      if (name !== '') symbols.set(name, { value: view.getUint32(at + 4), size: view.getUint32(at + 8) });
    }
  }
  if (symbols.size === 0) throw new Error('the ELF file has no symbol table');
  return symbols;
}

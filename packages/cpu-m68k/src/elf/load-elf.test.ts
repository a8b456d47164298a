import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ElfFormatError, Protection } from '@pagelab/contracts';
import { copyImage, loadElf } from './load-elf.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/out/${name}`, import.meta.url))));

interface SegmentSpec {
  type?: number;
  vaddr: number;
  data: number[];
  memsz?: number;
  flags?: number;
}

/** Builds a minimal big-endian ELF32 executable: header, program headers, then segment data. */
function makeElf(segments: SegmentSpec[], patch: (view: DataView) => void = () => {}): Uint8Array {
  const phoff = 52;
  let offset = phoff + 32 * segments.length;
  const size = offset + segments.reduce((n, s) => n + s.data.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1]);
  view.setUint16(16, 2); // ET_EXEC
  view.setUint16(18, 4); // EM_68K
  view.setUint32(20, 1);
  view.setUint32(24, segments[0]?.vaddr ?? 0);
  view.setUint32(28, phoff);
  view.setUint16(40, 52);
  view.setUint16(42, 32);
  view.setUint16(44, segments.length);
  segments.forEach((s, i) => {
    const at = phoff + 32 * i;
    view.setUint32(at, s.type ?? 1);
    view.setUint32(at + 4, offset);
    view.setUint32(at + 8, s.vaddr);
    view.setUint32(at + 12, s.vaddr);
    view.setUint32(at + 16, s.data.length);
    view.setUint32(at + 20, s.memsz ?? s.data.length);
    view.setUint32(at + 24, s.flags ?? 5);
    bytes.set(s.data, offset);
    offset += s.data.length;
  });
  patch(view);
  return bytes;
}

function refusal(file: Uint8Array): string {
  try {
    loadElf(file, 'prog.elf');
  } catch (e) {
    expect(e).toBeInstanceOf(ElfFormatError);
    const err = e as ElfFormatError;
    expect(err.code).toBe('ELF_FORMAT');
    expect(err.message).not.toContain('\n');
    return err.message;
  }
  throw new Error('loadElf accepted the file');
}

describe('loadElf', () => {
  it('loads a fixture: text and data segments, entry, break, protections', () => {
    const image = loadElf(fixture('sort.elf'), 'sort.elf');
    expect(image.entry).toBe(0x1000);
    expect(image.segments.map((s) => s.vaddr)).toEqual([0x1000, 0x2000]);
    const [text, data] = image.segments;
    expect(text?.protection).toBe(Protection.ReadExecute);
    expect(data?.protection).toBe(Protection.ReadWrite);
    // The data segment is all bss here: no file bytes, memory to zero.
    expect(data?.bytes.length).toBe(0);
    expect(data?.memsz).toBeGreaterThan(0);
    expect(image.breakAddress).toBe(0x2000 + (data?.memsz ?? 0));
    // The first instruction is the start-up's `jsr _cstart` (0x4eb9, absolute long).
    expect((text?.bytes[0] ?? 0) * 256 + (text?.bytes[1] ?? 0)).toBe(0x4eb9);
  });

  it('zeroes the bss when copying, even over stale memory', () => {
    const image = loadElf(makeElf([{ vaddr: 0x1000, data: [1, 2, 3, 4], memsz: 16, flags: 6 }]), 'x');
    const memory = new Uint8Array(0x2000).fill(0xee);
    copyImage(image, memory);
    expect([...memory.subarray(0x1000, 0x1010)]).toEqual([1, 2, 3, 4, ...new Array<number>(12).fill(0)]);
    expect(memory[0x1010]).toBe(0xee);
    expect(image.breakAddress).toBe(0x1010);
  });

  it('skips program headers that are not PT_LOAD', () => {
    const image = loadElf(makeElf([{ vaddr: 0x1000, data: [0x4e, 0x71] }, { type: 4, vaddr: 0, data: [9, 9] }]), 'x');
    expect(image.segments).toHaveLength(1);
  });

  it('refuses a file that is not ELF', () => {
    expect(refusal(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toBe('prog.elf: not an ELF file (bad magic number)');
    expect(refusal(new Uint8Array(0))).toMatch(/bad magic/);
  });

  it('refuses a 64-bit ELF', () => {
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint8(4, 2)))).toMatch(/not a 32-bit ELF file \(ELFCLASS64\)/);
  });

  it('refuses little-endian', () => {
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint8(5, 1)))).toMatch(/wrong endianness: little-endian/);
  });

  it('refuses another machine, naming it', () => {
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint16(18, 62)))).toMatch(/wrong machine: x86-64/);
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint16(18, 999)))).toMatch(/wrong machine: machine 999/);
  });

  it('refuses objects and shared objects', () => {
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint16(16, 1)))).toMatch(/not an executable: a relocatable object/);
    expect(refusal(makeElf([{ vaddr: 0x1000, data: [0, 0] }], (v) => v.setUint16(16, 3)))).toMatch(/not an executable: a shared object/);
  });

  it('refuses truncated files: header, program headers, segment data', () => {
    const good = makeElf([{ vaddr: 0x1000, data: [1, 2, 3, 4, 5, 6] }]);
    expect(refusal(good.subarray(0, 40))).toMatch(/truncated ELF header \(40 bytes, need 52\)/);
    expect(refusal(good.subarray(0, 60))).toMatch(/truncated file: program headers end at 84/);
    expect(refusal(good.subarray(0, good.length - 2))).toMatch(/truncated file: segment 0 needs bytes/);
  });

  it('refuses a segment outside the 24-bit address space', () => {
    expect(refusal(makeElf([{ vaddr: 0xfffff0, data: [0, 0], memsz: 0x20 }]))).toMatch(/segment 0 at 0xfffff0\.\.0x1000010 lies outside the 0x1000000-byte address space/);
  });

  it('refuses overlapping segments', () => {
    const file = makeElf([
      { vaddr: 0x1000, data: [0, 0], memsz: 0x100 },
      { vaddr: 0x1080, data: [0, 0], flags: 6 },
    ]);
    expect(refusal(file)).toMatch(/overlapping segments: 0x1000\.\.0x1100 and 0x1080\.\.0x1082/);
  });

  it('refuses a file with nothing to load', () => {
    expect(refusal(makeElf([{ type: 4, vaddr: 0, data: [1] }]))).toMatch(/no PT_LOAD segments/);
  });
});

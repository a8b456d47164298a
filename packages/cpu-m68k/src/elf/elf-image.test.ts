import { describe, expect, it } from 'vitest';
import { ElfFormatError, Protection } from '@pagelab/contracts';
import { loadElfImage } from './elf-image.js';

interface SegmentSpec {
  address: number;
  bytes: number[];
  memorySize: number;
  flags: number;
  type?: number;
}

/** Builds a big-endian ELF32 executable for the 68000 with the given segments (file layout: header, program headers, data). */
function buildElf(segments: SegmentSpec[], entry = 0x1000, patch: (view: DataView) => void = () => undefined): Uint8Array {
  const headers = 52 + 32 * segments.length;
  const total = headers + segments.reduce((n, s) => n + s.bytes.length, 0);
  const file = new Uint8Array(total);
  const view = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1]);
  view.setUint16(16, 2);
  view.setUint16(18, 4);
  view.setUint32(20, 1);
  view.setUint32(24, entry);
  view.setUint32(28, 52);
  view.setUint16(40, 52);
  view.setUint16(42, 32);
  view.setUint16(44, segments.length);
  let offset = headers;
  segments.forEach((s, i) => {
    const at = 52 + 32 * i;
    view.setUint32(at, s.type ?? 1);
    view.setUint32(at + 4, offset);
    view.setUint32(at + 8, s.address);
    view.setUint32(at + 12, s.address);
    view.setUint32(at + 16, s.bytes.length);
    view.setUint32(at + 20, s.memorySize);
    view.setUint32(at + 24, s.flags);
    file.set(s.bytes, offset);
    offset += s.bytes.length;
  });
  patch(view);
  return file;
}

const text: SegmentSpec = { address: 0x1000, bytes: [0x4e, 0x71, 0x4e, 0x75], memorySize: 4, flags: 5 };
const data: SegmentSpec = { address: 0x2000, bytes: [1, 2, 3], memorySize: 0x100, flags: 6 };

const refusal = (file: Uint8Array) => {
  try {
    loadElfImage(file, 'prog.elf');
  } catch (error) {
    expect(error).toBeInstanceOf(ElfFormatError);
    const message = (error as ElfFormatError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an ElfFormatError');
};

describe('loadElfImage', () => {
  it('reads the entry point and the loadable segments with their protections and bss', () => {
    const image = loadElfImage(buildElf([data, text, { address: 0, bytes: [], memorySize: 0, flags: 4, type: 4 }]), 'prog.elf');
    expect(image.entry).toBe(0x1000);
    expect(image.segments.map((s) => [s.address, [...s.bytes], s.memorySize, s.protection])).toEqual([
      [0x1000, [0x4e, 0x71, 0x4e, 0x75], 4, Protection.ReadExecute],
      [0x2000, [1, 2, 3], 0x100, Protection.ReadWrite],
    ]);
    expect(image.breakAddress).toBe(0x2100);
  });

  it.each([
    ['not an ELF', new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'prog.elf: not an ELF file (no \\x7fELF magic)'],
    ['truncated header', buildElf([text]).subarray(0, 30), 'prog.elf: truncated: 30 bytes, shorter than the 52-byte ELF header'],
    ['64-bit', buildElf([text], 0x1000, (v) => v.setUint8(4, 2)), 'prog.elf: not a 32-bit ELF (class 2); the 68000 needs ELFCLASS32'],
    ['little-endian', buildElf([text], 0x1000, (v) => v.setUint8(5, 1)), 'prog.elf: wrong endianness: little-endian, the 68000 is big-endian'],
    ['x86-64', buildElf([text], 0x1000, (v) => v.setUint16(18, 62)), 'prog.elf: wrong machine: x86-64 (62), expected Motorola 68000 (4)'],
    ['relocatable', buildElf([text], 0x1000, (v) => v.setUint16(16, 1)), 'prog.elf: not an executable: it is a relocatable object, expected a static executable (ET_EXEC)'],
  ])('refuses %s with a one-line reason', (_what, file, message) => {
    expect(refusal(file)).toBe(message);
  });

  it('refuses truncated program headers and segments', () => {
    const whole = buildElf([text, data]);
    expect(refusal(whole.subarray(0, 60))).toMatch(/^prog\.elf: truncated: program headers end at byte 116, the file has 60$/);
    expect(refusal(whole.subarray(0, whole.length - 1))).toMatch(/^prog\.elf: truncated: segment 1 \(0x2000\.\.0x2100\) needs file bytes up to \d+/);
  });

  it('refuses segments outside the 24-bit address space, overlapping, or larger on file than in memory', () => {
    expect(refusal(buildElf([text, { ...data, address: 0xffff80 }]))).toBe('prog.elf: segment 1 (0xffff80..0x1000080) lies outside the 24-bit address space (limit 0x1000000)');
    expect(refusal(buildElf([text, { ...data, address: 0x1002 }]))).toBe('prog.elf: segments at 0x1000 and 0x1002 overlap');
    expect(refusal(buildElf([text, { ...data, memorySize: 2 }]))).toBe('prog.elf: segment 1 (0x2000..0x2002): 3 file bytes do not fit its memory size of 2');
  });

  it('refuses an entry point outside executable code', () => {
    expect(refusal(buildElf([text, data], 0x2000))).toBe('prog.elf: entry point 0x2000 is not inside an executable segment');
    expect(refusal(buildElf([{ ...text, flags: 0 }, data], 0x1000, (v) => v.setUint32(52 + 24, 4)))).toMatch(/not inside an executable segment/);
  });
});

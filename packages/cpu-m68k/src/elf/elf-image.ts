import { ElfFormatError, Protection } from '@pagelab/contracts';

/** One loadable segment of an executable: file bytes at a virtual address, zero-filled up to `memorySize`. */
export interface ElfSegment {
  /** Virtual address of the segment's first byte. */
  readonly address: number;
  /** The bytes the file holds for it (a view into the file; the rest up to `memorySize` is bss). */
  readonly bytes: Uint8Array;
  /** Its size in memory: at least `bytes.length`. */
  readonly memorySize: number;
  /** What its pages allow, from the segment's R/W/X flags. */
  readonly protection: Protection;
}

/** A static 68000 executable, ready to be copied into memory or demand-paged. */
export interface ElfImage {
  /** Where execution starts. */
  readonly entry: number;
  /** The PT_LOAD segments, in address order. */
  readonly segments: readonly ElfSegment[];
  /** The first address past the highest segment: where a heap (brk) starts. */
  readonly breakAddress: number;
}

/** Options for {@link loadElfImage}. */
export interface ElfLoadOptions {
  /** The size of the address space segments must fit in (default 16 MiB, the 68000's 24 bits). */
  readonly addressSpaceSize?: number;
}

const machineNames: Readonly<Record<number, string>> = {
  2: 'SPARC',
  3: 'Intel 80386',
  4: 'Motorola 68000',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC 64',
  22: 'IBM S/390',
  40: 'ARM',
  42: 'SuperH',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
};

const typeNames: Readonly<Record<number, string>> = { 0: 'no file type', 1: 'a relocatable object', 3: 'a shared object', 4: 'a core dump' };

const PT_LOAD = 1;
const headerSize = 52;

/**
 * Reads a static, big-endian, 32-bit ELF executable for the 68000 (EM_68K) and returns its
 * entry point and loadable segments. Anything else is refused with an `ElfFormatError` whose
 * one-line message says why: not an ELF file, not 32-bit, wrong endianness, not an
 * executable, wrong machine (named), truncated, a segment outside the address space,
 * overlapping segments, or an entry point outside executable code.
 */
export function loadElfImage(file: Uint8Array, source: string, options: ElfLoadOptions = {}): ElfImage {
  const limit = options.addressSpaceSize ?? 0x100_0000;
  const fail = (message: string): never => {
    throw new ElfFormatError(source, message);
  };
  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    return fail('not an ELF file (no \\x7fELF magic)');
  }
  if (file.length < headerSize) return fail(`truncated: ${file.length} bytes, shorter than the ${headerSize}-byte ELF header`);
  if (file[4] !== 1) return fail(`not a 32-bit ELF (class ${file[4]}); the 68000 needs ELFCLASS32`);
  if (file[5] !== 2) return fail(`wrong endianness: ${file[5] === 1 ? 'little-endian' : `data encoding ${file[5]}`}, the 68000 is big-endian`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = view.getUint16(16);
  const machine = view.getUint16(18);
  if (machine !== 4) return fail(`wrong machine: ${machineNames[machine] ?? 'unknown'} (${machine}), expected Motorola 68000 (4)`);
  if (type !== 2) return fail(`not an executable: it is ${typeNames[type] ?? `type ${type}`}, expected a static executable (ET_EXEC)`);
  const entry = view.getUint32(24);
  const programHeaders = view.getUint32(28);
  const entrySize = view.getUint16(42);
  const count = view.getUint16(44);
  if (count === 0) return fail('no program headers: nothing to load');
  if (entrySize < 32) return fail(`program header entries of ${entrySize} bytes, expected at least 32`);
  if (programHeaders + count * entrySize > file.length) {
    return fail(`truncated: program headers end at byte ${programHeaders + count * entrySize}, the file has ${file.length}`);
  }
  const segments: ElfSegment[] = [];
  for (let i = 0; i < count; i++) {
    const at = programHeaders + i * entrySize;
    if (view.getUint32(at) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4);
    const address = view.getUint32(at + 8);
    const fileSize = view.getUint32(at + 16);
    const memorySize = view.getUint32(at + 20);
    const flags = view.getUint32(at + 24);
    const name = `segment ${i} (0x${hex(address)}..0x${hex(address + memorySize)})`;
    if (offset + fileSize > file.length) return fail(`truncated: ${name} needs file bytes up to ${offset + fileSize}, the file has ${file.length}`);
    if (fileSize > memorySize) return fail(`${name}: ${fileSize} file bytes do not fit its memory size of ${memorySize}`);
    if (address + memorySize > limit) return fail(`${name} lies outside the ${limit === 0x100_0000 ? '24-bit ' : ''}address space (limit 0x${hex(limit)})`);
    if (memorySize === 0) continue;
    const protection = (((flags & 4) !== 0 ? Protection.Read : 0) | ((flags & 2) !== 0 ? Protection.Write : 0) | ((flags & 1) !== 0 ? Protection.Execute : 0)) as Protection;
    segments.push({ address, bytes: file.subarray(offset, offset + fileSize), memorySize, protection });
  }
  if (segments.length === 0) return fail('no loadable (PT_LOAD) segments');
  segments.sort((a, b) => a.address - b.address);
  for (let i = 1; i < segments.length; i++) {
    const before = segments[i - 1]!;
    const after = segments[i]!;
    if (before.address + before.memorySize > after.address) {
      return fail(`segments at 0x${hex(before.address)} and 0x${hex(after.address)} overlap`);
    }
  }
  const code = segments.find((s) => entry >= s.address && entry < s.address + s.memorySize);
  if (code === undefined || (code.protection & Protection.Execute) === 0) {
    return fail(`entry point 0x${hex(entry)} is not inside an executable segment`);
  }
  if ((entry & 1) !== 0) return fail(`entry point 0x${hex(entry)} is odd; 68000 instructions are word-aligned`);
  const last = segments[segments.length - 1]!;
  return { entry, segments, breakAddress: last.address + last.memorySize };
}

function hex(value: number): string {
  return (value >>> 0).toString(16);
}

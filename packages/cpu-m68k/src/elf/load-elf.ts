/**
 * A loader for static, big-endian ELF32 executables for the 68000 (EM_68K), the kind the
 * fixtures' build produces. It reads only what a static program needs (the ELF header and
 * the PT_LOAD program headers) and refuses anything else with a one-line reason.
 */
import { ElfFormatError, Protection } from '@pagelab/contracts';

/** One loadable segment, ready to copy into memory. */
export interface ElfSegment {
  /** The virtual address of the segment's first byte. */
  readonly vaddr: number;
  /** The bytes from the file (`p_filesz` of them); the rest up to `memsz` is zero (bss). */
  readonly bytes: Uint8Array;
  /** The size in memory; at least `bytes.length`. */
  readonly memsz: number;
  /** The page protection its `p_flags` ask for (read/write/execute bits). */
  readonly protection: Protection;
}

/** What the loader found in an executable. */
export interface ElfImage {
  /** The loadable segments, in ascending address order. */
  readonly segments: readonly ElfSegment[];
  /** The entry point (`e_entry`). */
  readonly entry: number;
  /** The initial program break: the end of the highest segment (`vaddr + memsz`). */
  readonly breakAddress: number;
}

/** Options for {@link loadElf}. */
export interface LoadElfOptions {
  /** The size of the address space in bytes; segments must fit below it. Default 2^24 (the 68000's 24-bit bus). */
  readonly addressSpaceSize?: number;
}

const EM_68K = 4;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

/** Machine numbers worth naming in an error message (`e_machine`). */
const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC',
  3: 'Intel 80386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  42: 'SuperH',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
};

const TYPE_NAMES: Record<number, string> = { 0: 'no file type', 1: 'a relocatable object', 3: 'a shared object or PIE', 4: 'a core dump' };

const hex = (v: number): string => `0x${v.toString(16)}`;

/**
 * Parses a static big-endian ELF32 68000 executable.
 *
 * @param file the whole file
 * @param source where it came from (a path), used in error messages
 * @throws ElfFormatError when the file is not such an executable, with the reason
 */
export function loadElf(file: Uint8Array, source: string, options: LoadElfOptions = {}): ElfImage {
  const limit = options.addressSpaceSize ?? 0x100_0000;
  const fail = (message: string): never => {
    throw new ElfFormatError(source, message);
  };

  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    fail('not an ELF file (bad magic number)');
  }
  if (file.length < 6) fail(`truncated ELF header (${file.length} bytes, need 52)`);
  if (file[4] !== 1) fail(file[4] === 2 ? 'not a 32-bit ELF file (ELFCLASS64)' : `not a 32-bit ELF file (class ${file[4]})`);
  if (file[5] !== 2) fail(file[5] === 1 ? 'wrong endianness: little-endian, the 68000 is big-endian' : `wrong endianness (data encoding ${file[5]})`);
  if (file.length < 52) fail(`truncated ELF header (${file.length} bytes, need 52)`);

  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = view.getUint16(16);
  const machine = view.getUint16(18);
  if (machine !== EM_68K) {
    fail(`wrong machine: ${MACHINE_NAMES[machine] ?? `machine ${machine}`}, expected Motorola 68000 (EM_68K)`);
  }
  if (type !== ET_EXEC) fail(`not an executable: ${TYPE_NAMES[type] ?? `type ${type}`}`);

  const entry = view.getUint32(24);
  const phoff = view.getUint32(28);
  const phentsize = view.getUint16(42);
  const phnum = view.getUint16(44);
  if (phnum === 0) fail('no program headers: nothing to load');
  if (phentsize < 32) fail(`program header entries are ${phentsize} bytes, need 32`);
  if (phoff + phnum * phentsize > file.length) {
    fail(`truncated file: program headers end at ${phoff + phnum * phentsize}, file is ${file.length} bytes`);
  }

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4);
    const vaddr = view.getUint32(at + 8);
    const filesz = view.getUint32(at + 16);
    const memsz = view.getUint32(at + 20);
    const flags = view.getUint32(at + 24);
    if (filesz > memsz) fail(`segment ${i} has more file bytes (${filesz}) than memory bytes (${memsz})`);
    if (offset + filesz > file.length) {
      fail(`truncated file: segment ${i} needs bytes ${offset}..${offset + filesz}, file is ${file.length} bytes`);
    }
    if (vaddr + memsz > limit) {
      fail(`segment ${i} at ${hex(vaddr)}..${hex(vaddr + memsz)} lies outside the ${hex(limit)}-byte address space`);
    }
    let protection = Protection.None;
    if ((flags & PF_R) !== 0) protection |= Protection.Read;
    if ((flags & PF_W) !== 0) protection |= Protection.Write;
    if ((flags & PF_X) !== 0) protection |= Protection.Execute;
    segments.push({ vaddr, bytes: file.subarray(offset, offset + filesz), memsz, protection });
  }
  if (segments.length === 0) fail('no PT_LOAD segments: nothing to load');

  segments.sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1] as ElfSegment;
    const cur = segments[i] as ElfSegment;
    if (prev.memsz > 0 && cur.memsz > 0 && cur.vaddr < prev.vaddr + prev.memsz) {
      fail(`overlapping segments: ${hex(prev.vaddr)}..${hex(prev.vaddr + prev.memsz)} and ${hex(cur.vaddr)}..${hex(cur.vaddr + cur.memsz)}`);
    }
  }
  const last = segments[segments.length - 1] as ElfSegment;
  return { segments, entry, breakAddress: last.vaddr + last.memsz };
}

/**
 * Copies the image into a flat memory (byte `i` of `memory` is address `i`): file bytes, then
 * zeros up to each segment's `memsz` (the bss must be zero even if the memory was reused).
 */
export function copyImage(image: ElfImage, memory: Uint8Array): void {
  for (const seg of image.segments) {
    memory.set(seg.bytes, seg.vaddr);
    memory.fill(0, seg.vaddr + seg.bytes.length, seg.vaddr + seg.memsz);
  }
}

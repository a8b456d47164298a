/**
 * @packageDocumentation
 * Loading static 68000 ELF executables.
 */
export { loadElf, copyImage, type ElfImage, type ElfSegment, type LoadElfOptions } from './load-elf.js';

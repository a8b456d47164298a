/**
 * @packageDocumentation
 * Loading static 68000 ELF executables.
 */
export { loadElfImage, type ElfImage, type ElfLoadOptions, type ElfSegment } from './elf-image.js';
export { copyImage } from './copy-image.js';

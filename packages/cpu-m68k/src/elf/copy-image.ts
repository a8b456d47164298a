import type { ElfImage } from './elf-image.js';

/**
 * Copies a loaded image into a flat memory (byte `i` of `memory` is address `i`): each
 * segment's file bytes, then zeros up to its memory size, because the bss must read as zero
 * even when the memory held something before.
 */
export function copyImage(image: ElfImage, memory: Uint8Array): void {
  for (const seg of image.segments) {
    memory.set(seg.bytes, seg.address);
    memory.fill(0, seg.address + seg.bytes.length, seg.address + seg.memorySize);
  }
}

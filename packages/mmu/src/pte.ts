/**
 * The packed page-table entry: one unsigned 32-bit word per virtual page.
 *
 * Packing the whole entry into one word lets a page table be a `Uint32Array` and lets the
 * translate path set the referenced/modified bits with a single `|=`.
 *
 *   bits 0..2  protection (Protection.Read | Write | Execute)
 *   bit  3     valid: the page belongs to the address space
 *   bit  4     present: the page has a frame
 *   bit  5     referenced
 *   bit  6     modified
 *   bits 8..31 frame number (so at most 2^24 frames)
 *
 * An all-zero word is an invalid page, so a freshly zeroed table is an empty one.
 */
export const PTE_PROTECTION = 0x7;
export const PTE_VALID = 0x8;
export const PTE_PRESENT = 0x10;
export const PTE_REFERENCED = 0x20;
export const PTE_MODIFIED = 0x40;
export const PTE_FRAME_SHIFT = 8;

/** The largest frame count a packed entry can name. */
export const MAX_FRAMES = 1 << 24;

/** The frame number a packed entry holds (meaningful only when present). */
export function pteFrame(entry: number): number {
  return entry >>> PTE_FRAME_SHIFT;
}

/** The 68000's address space is 24 bits: the user stack sits at its top. */
export const addressSpaceTop = 0x0100_0000;

/** Bytes of user stack reserved below the top of the address space. */
export const stackBytes = 64 * 1024;

/** Where a synthetic process's pages start. */
export const syntheticBase = 0x0010_0000;

/** How many pages of `pageSize` bytes a synthetic process may own: from its base to the stack. */
export function syntheticPageLimit(pageSize: number): number {
  return Math.floor((addressSpaceTop - syntheticBase - stackBytes) / pageSize);
}

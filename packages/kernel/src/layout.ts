/** The 68000's address space is 24 bits: the user stack sits at its top. */
export const addressSpaceTop = 0x0100_0000;

/** Bytes of user stack reserved below the top of the address space. */
export const stackBytes = 64 * 1024;

import type { AccessKind, AccessSize, FaultCause } from './access.js';

/**
 * The memory a CPU sees: every instruction fetch and operand reference goes through it.
 *
 * Addresses are virtual (the bus translates them, or is flat and does not). Values are
 * unsigned: `read8` returns 0..255, `read16` 0..65535, `read32` 0..2^32-1. Word and long
 * accesses are big-endian, as on the 68000. A CPU checks alignment itself before it calls
 * the bus (an odd word address is an address error, not a bus fault).
 *
 * A reference that cannot complete throws a {@link BusFault}: the CPU catches it, abandons
 * the instruction where it stands, and reports a fault frame. Implementations must not
 * change memory when they throw.
 */
export interface Bus {
  /** Reads one byte of data. */
  read8(address: number): number;
  /** Reads one big-endian word of data. */
  read16(address: number): number;
  /** Reads one big-endian long of data (on a 68000: two word cycles, high word first). */
  read32(address: number): number;
  /** Writes one byte of data. */
  write8(address: number, value: number): void;
  /** Writes one big-endian word of data. */
  write16(address: number, value: number): void;
  /** Writes one big-endian long of data (on a 68000: two word cycles, high word first). */
  write32(address: number, value: number): void;
  /** Reads one word of the instruction stream (an opcode or an extension word). */
  fetch16(address: number): number;
  /**
   * Optional: where this bus's references land in physical memory, page by page, so a CPU
   * (pagelab's translator and its interpreter alike) can make them itself instead of calling
   * the bus for each one. A bus that leaves it out is always called: one that must see every
   * reference (a tracer, a fault injector) leaves it out.
   */
  readonly pages?: PageWindow;
}

/**
 * A bus's address space seen as physical memory, one page at a time. A CPU asks once where a
 * page is, for fetching, reading or writing, and then reaches the bytes there itself, until
 * its `run` returns or its mode changes. So an answer must stay good while the CPU runs: whoever
 * changes mappings, protections or the referenced and modified bits does so between runs
 * (as a kernel does, between time slices and after faults). Where a reference would fault,
 * the CPU calls the bus, which takes the fault.
 */
export interface PageWindow {
  /** The physical memory the bus's pages map into. */
  readonly bytes: Uint8Array;
  /** The page size in bytes: what one answer covers. */
  readonly pageSize: number;
  /**
   * Makes the effects on the machine of an instruction fetch at `address` (the page's
   * referenced bit) and returns the physical address in {@link PageWindow.bytes} it reads; or
   * -1 where that fetch would fault, and then changes nothing but statistics.
   */
  fetchAt(address: number): number;
  /** As {@link PageWindow.fetchAt}, for a data read. */
  readAt(address: number): number;
  /** As {@link PageWindow.fetchAt}, for a data write (referenced and modified). */
  writeAt(address: number): number;
  /**
   * Where a fetch at `address` would land if it were made now, or -1 where its page is not
   * present; with no effect at all, not even on statistics. The translator reads code ahead
   * with it: code it has not run yet must not look referenced.
   */
  peekAt(address: number): number;
}

/**
 * Thrown by a {@link Bus} when a memory reference cannot complete.
 *
 * It is a control-flow signal on a hot path, not a user error, so it deliberately does not
 * extend `Error` (no stack trace is captured on every page fault). The CPU turns it into a
 * fault frame; nothing outside the CPU should ever see one escape.
 */
export class BusFault {
  /**
   * @param address the virtual address of the reference that failed (for a long access that
   *   crosses into a missing page, the address of the word that failed)
   * @param access what the reference was doing
   * @param size the size of the reference in bytes
   * @param cause why it failed
   */
  constructor(
    readonly address: number,
    readonly access: AccessKind,
    readonly size: AccessSize,
    readonly cause: FaultCause,
  ) {}
}

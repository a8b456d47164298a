/**
 * What a memory reference was doing when it was made. The MMU checks protection against it,
 * the CPU reports it in a fault frame, and traces record it.
 */
export const AccessKind = {
  /** A data read (an operand load). */
  Read: 0,
  /** A data write (an operand store). */
  Write: 1,
  /** An instruction-stream read: an opcode or one of its extension words. */
  Fetch: 2,
} as const;
/** One of the {@link AccessKind} values. */
export type AccessKind = (typeof AccessKind)[keyof typeof AccessKind];

/** Why a memory reference could not complete. */
export const FaultCause = {
  /** The page is valid for the address space but has no frame right now: the pager must bring it in. */
  NotPresent: 0,
  /** The page is present, but the access is not allowed (a write to a read-only page, say). */
  Protection: 1,
  /** The address is not part of the address space at all: a wild pointer. */
  Unmapped: 2,
  /** A 68000 word or long access at an odd address (group-0 address error). */
  AddressError: 3,
  /** An injected or external bus error with no paging meaning (used by fault-injection tests). */
  BusError: 4,
} as const;
/** One of the {@link FaultCause} values. */
export type FaultCause = (typeof FaultCause)[keyof typeof FaultCause];

/** Page protection bits, combined with `|`. */
export const Protection = {
  None: 0,
  Read: 1,
  Write: 2,
  Execute: 4,
  ReadWrite: 3,
  ReadExecute: 5,
  All: 7,
} as const;
/** Any combination of the {@link Protection} bits (`Write | Execute`, 6, has no name but is allowed). */
export type Protection = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The size in bytes of one memory reference: a byte, a 68000 word or a long. */
export type AccessSize = 1 | 2 | 4;

/**
 * The brand every pagelab error carries. It is a registered symbol, so two copies of
 * `@pagelab/contracts` in one program (a lab's part built against another 0.x minor) agree on it
 * where `instanceof` would not.
 */
const pagelabErrorBrand: unique symbol = Symbol.for('@pagelab/contracts/error');

/**
 * Every error pagelab raises for bad input or an impossible request derives from this class.
 *
 * `code` is a stable machine-readable name (`ELF_FORMAT`, `NOTHING_EVICTABLE`, ...); the message
 * is one line that names what was wrong, written for the person who made the mistake. The CLIs
 * print `error: <message>` and exit non-zero for these, and never a stack trace.
 */
export class PagelabError extends Error {
  /** A stable identifier for the kind of error. */
  readonly code: string;
  /** The brand {@link isPagelabError} looks for: shared by every copy of this package. */
  readonly [pagelabErrorBrand] = true;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The codes pagelab's own errors use. A lab's code may throw a `PagelabError` with its own code. */
export type PagelabErrorCode =
  | 'CONFIGURATION'
  | 'ELF_FORMAT'
  | 'TRACE_FORMAT'
  | 'SCENARIO'
  | 'NOTHING_EVICTABLE'
  | 'FRAME_STATE'
  | 'LOCK_QUOTA'
  | 'SWAP_EXHAUSTED'
  | 'BAD_ADDRESS'
  | 'SPECIFICATION_MISMATCH'
  | 'FRAME_FORMAT'
  | (string & {});

/**
 * True when `value` is a pagelab error (from any copy of this package), and, when `code` is
 * given, one with that code. Use it instead of `instanceof`, which fails across package copies.
 */
export function isPagelabError(value: unknown, code?: PagelabErrorCode): value is PagelabError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[pagelabErrorBrand] !== true) return false;
  return code === undefined || (value as PagelabError).code === code;
}

/** A configuration that cannot work: zero frames, a page size that is not a power of two, an unknown policy name. */
export class ConfigurationError extends PagelabError {
  /** The configuration field that was wrong, as a dotted path (`frames`, `io.poolBuffers`). */
  readonly field: string;

  constructor(field: string, message: string) {
    super('CONFIGURATION', `${field}: ${message}`);
    this.field = field;
  }
}

/** A file that is not what it claims to be. Subclasses say which format. */
export class InputFormatError extends PagelabError {
  /** Where the bad input came from (a path, or a name such as `<stdin>`). */
  readonly source: string;

  constructor(code: string, source: string, message: string) {
    super(code, `${source}: ${message}`);
    this.source = source;
  }
}

/** An executable the ELF loader refuses: not ELF, wrong machine or endianness, truncated, a segment out of range. */
export class ElfFormatError extends InputFormatError {
  constructor(source: string, message: string) {
    super('ELF_FORMAT', source, message);
  }
}

/** A malformed line in a page-reference or lackey trace. */
export class TraceFormatError extends InputFormatError {
  /** The 1-based line number of the bad line. */
  readonly line: number;

  constructor(source: string, line: number, message: string) {
    super('TRACE_FORMAT', `${source}:${line}`, message);
    this.line = line;
  }
}

/** A scenario file whose content does not match its schema. */
export class ScenarioError extends InputFormatError {
  /** The JSON path of the offending field (`processes[1].priority`). */
  readonly field: string;

  constructor(source: string, field: string, message: string) {
    super('SCENARIO', source, `${field}: ${message}`);
    this.field = field;
  }
}

/** The pager needed a victim but every frame in scope is pinned or wired. */
export class NothingEvictableError extends PagelabError {
  constructor(message: string) {
    super('NOTHING_EVICTABLE', message);
  }
}

/** A frame operation that does not fit the frame's state: pinning a free frame, unpinning one that is not pinned. */
export class FrameStateError extends PagelabError {
  /** The frame number concerned. */
  readonly frame: number;

  constructor(frame: number, message: string) {
    super('FRAME_STATE', `frame ${frame}: ${message}`);
    this.frame = frame;
  }
}

/** A lock request refused because it would exceed a per-address-space or the global lock quota (`refuse` mode). */
export class LockQuotaError extends PagelabError {
  /** Which quota was hit. */
  readonly quota: 'address-space' | 'global';
  /** The limit that applied, in frames. */
  readonly limit: number;

  constructor(quota: 'address-space' | 'global', limit: number, message: string) {
    super('LOCK_QUOTA', message);
    this.quota = quota;
    this.limit = limit;
  }
}

/** The backing store has no free slot for a page that must be written out. */
export class SwapExhaustedError extends PagelabError {
  constructor(message: string) {
    super('SWAP_EXHAUSTED', message);
  }
}

/** A user pointer that does not lie in the caller's address space (the kernel turns it into -EFAULT). */
export class BadAddressError extends PagelabError {
  /** The offending virtual address. */
  readonly address: number;

  constructor(address: number, message: string) {
    super('BAD_ADDRESS', message);
    this.address = address;
  }
}

/** A replacement package implements a contract version the kernel cannot use. */
export class SpecificationMismatchError extends PagelabError {
  constructor(message: string) {
    super('SPECIFICATION_MISMATCH', message);
  }
}

/**
 * A saved continuation the CPU cannot resume from: changed, truncated, or not one it saved
 * (the 68010's RTE takes a format error for such a frame).
 */
export class FrameFormatError extends PagelabError {
  constructor(message: string) {
    super('FRAME_FORMAT', `continuation frame: ${message}`);
  }
}

// The defaults and limits of trace runs, apart from the code that uses them, so that
// `pager-sim --help` can print them without loading the simulator.

/** Page size when none is given: 4 KiB, as on x86-64 and in the oracles. */
export const DEFAULT_PAGE_SIZE = 4096;

/**
 * Most frames a trace run may simulate: 4,194,304 (16 GiB of 4 KiB pages). The simulator keeps
 * per-frame tables, so the limit bounds the memory a mistyped count can ask for.
 */
export const MAX_TRACE_FRAMES = 1 << 22;

/**
 * Most references storage is reserved for ahead of reading a whole trace (OPT): 2^27, OPT's own
 * limit. A longer trace still grows the buffer until OPT's check refuses it.
 */
export const MAX_RESERVED_REFERENCES = 1 << 27;

/** References between two clock ticks when none is given: what NFU, aging and working set sample at. */
export const DEFAULT_TICK_INTERVAL = 1000;

/** The trace formats `pager-sim` reads. */
export type TraceFormat = 'pages' | 'lackey';

/** The trace formats, for argument checking and help. */
export const traceFormats: readonly TraceFormat[] = ['pages', 'lackey'];

import { TraceFormatError } from '@pagelab/contracts';
import type { PageIdTable } from './page-ids.js';
import { WRITE_FLAG, type ReferenceBuffer } from './reference-buffer.js';

/** The trace formats `pager-sim` reads. */
export type TraceFormat = 'pages' | 'lackey';

/** The trace formats, for argument checking and help. */
export const traceFormats: readonly TraceFormat[] = ['pages', 'lackey'];

/** Largest integer a double holds exactly; page numbers and addresses must stay below it. */
const EXACT_LIMIT = 2 ** 53;

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const ZERO = 48;
const NINE = 57;

/** What a parser does with a malformed line. */
export interface BadLinePolicy {
  /** True: count bad lines and go on; false: throw `TraceFormatError` at the first one. */
  readonly skipBadLines: boolean;
  /** The name used in error messages (the file path). */
  readonly source: string;
}

/** Counts by kind of reference, as a lackey trace distinguishes them. */
export interface ReferenceKindCounts {
  instructionFetches: number;
  loads: number;
  stores: number;
  modifies: number;
}

/**
 * A line-oriented trace parser. It is fed complete lines, chunk by chunk, straight from the
 * bytes read (no string per line), and appends dense page ids to a {@link ReferenceBuffer}.
 */
export abstract class TraceParser {
  /** Lines consumed so far (the number of the last line seen). */
  line = 0;
  /** Malformed lines skipped (only with `skipBadLines`). */
  badLines = 0;
  readonly kinds: ReferenceKindCounts = { instructionFetches: 0, loads: 0, stores: 0, modifies: 0 };

  constructor(
    protected readonly pageIds: PageIdTable,
    protected readonly out: ReferenceBuffer,
    private readonly badLinePolicy: BadLinePolicy,
  ) {}

  /** Parses the lines in `bytes[start, end)`; the last line may lack its newline only at end of input. */
  parse(bytes: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end) {
      this.line++;
      const next = this.parseLine(bytes, i, end);
      if (next >= 0) {
        i = next;
        continue;
      }
      let lineEnd = bytes.indexOf(NL, i);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      const contentEnd = lineEnd > i && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
      this.badLine(bytes, i, contentEnd, this.problem);
      i = lineEnd + 1;
    }
  }

  /**
   * Parses the line starting at `start` (no further than `end`) in one pass over its bytes,
   * its line break included. Returns the index just past the line, or -1 with
   * {@link problem} set when the line is malformed.
   */
  protected abstract parseLine(bytes: Uint8Array, start: number, end: number): number;

  /** What was wrong with the last malformed line. */
  protected problem = '';

  /** Reports a malformed line from `parseLine`: sets {@link problem} and returns -1. */
  protected bad(problem: string): number {
    this.problem = problem;
    return -1;
  }

  /** Reports a line that is longer than the reader can hold. */
  lineTooLong(limit: number): never {
    throw new TraceFormatError(this.badLinePolicy.source, this.line + 1, `line longer than ${limit} bytes`);
  }

  private badLine(bytes: Uint8Array, start: number, end: number, problem: string): void {
    if (this.badLinePolicy.skipBadLines) {
      this.badLines++;
      return;
    }
    const shown = Buffer.from(bytes.subarray(start, Math.min(end, start + 60))).toString('latin1');
    const ellipsis = end - start > 60 ? '...' : '';
    throw new TraceFormatError(this.badLinePolicy.source, this.line, `${problem}: ${JSON.stringify(shown + ellipsis)}`);
  }
}

function skipBlanks(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
  return i;
}

/**
 * The index just past the line break when only blanks (and a CR) are left on the line at
 * `i`, else -1. The last line of the input may end without a break.
 */
function endOfLine(bytes: Uint8Array, i: number, end: number): number {
  i = skipBlanks(bytes, i, end);
  if (i < end && bytes[i] === CR) i++;
  if (i === end) return end;
  return bytes[i] === NL ? i + 1 : -1;
}

/** The index just past the line break of the line containing `i`. */
function skipLine(bytes: Uint8Array, i: number, end: number): number {
  const lineEnd = bytes.indexOf(NL, i);
  return lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
}

/**
 * One decimal page number per line (the format of OSTEP's paging simulator). Blank lines and
 * lines starting with `#` are ignored; spaces around the number are allowed. Every reference
 * is a read.
 */
export class PageNumberParser extends TraceParser {
  protected parseLine(bytes: Uint8Array, start: number, end: number): number {
    let i = skipBlanks(bytes, start, end);
    if (i < end && bytes[i] === HASH) return skipLine(bytes, i, end);
    const blank = endOfLine(bytes, i, end);
    if (blank >= 0) return blank;
    let page = 0;
    const digitsStart = i;
    while (i < end) {
      const c = bytes[i] as number;
      if (c < ZERO || c > NINE) break;
      page = page * 10 + (c - ZERO);
      i++;
    }
    if (i === digitsStart) return this.bad('expected a page number');
    if (page >= EXACT_LIMIT) return this.bad('page number too large');
    const next = endOfLine(bytes, i, end);
    if (next < 0) return this.bad('unexpected text after the page number');
    this.kinds.loads++;
    this.out.push(this.pageIds.idOf(page), 0);
    return next;
  }
}

/**
 * Valgrind lackey output (`valgrind --tool=lackey --trace-mem=yes`): `I  addr,size` for an
 * instruction fetch, ` L addr,size` a load, ` S addr,size` a store, ` M addr,size` a modify
 * (a load then a store: two references, the second a write). Addresses are hexadecimal, sizes
 * decimal. Lines starting with `=` are Valgrind's own (`==pid== ...`) and are skipped, as are
 * blank lines. An access that straddles a page boundary references every page it touches.
 */
export class LackeyParser extends TraceParser {
  private readonly pageScale: number;

  constructor(pageIds: PageIdTable, out: ReferenceBuffer, badLines: BadLinePolicy, pageSize: number) {
    super(pageIds, out, badLines);
    // Exact for a power of two: multiplying by it is dividing by the page size.
    this.pageScale = 1 / pageSize;
  }

  protected parseLine(bytes: Uint8Array, start: number, end: number): number {
    const first = bytes[start] as number;
    let kind: number;
    let i: number;
    if (first === 73 /* I */) {
      kind = 73;
      i = start + 1;
    } else if (first === SPACE && start + 1 < end && bytes[start + 1] !== SPACE && bytes[start + 1] !== TAB) {
      kind = bytes[start + 1] as number;
      if (kind !== 76 /* L */ && kind !== 83 /* S */ && kind !== 77 /* M */) {
        // A line of one space is blank, not bad.
        const blank = endOfLine(bytes, start, end);
        return blank >= 0 ? blank : this.bad('expected I, L, S or M');
      }
      i = start + 2;
    } else if (first === EQUALS) {
      return skipLine(bytes, start, end);
    } else {
      const blank = endOfLine(bytes, start, end);
      return blank >= 0 ? blank : this.bad('expected I, L, S or M');
    }
    const afterKind = i;
    i = skipBlanks(bytes, i, end);
    if (i === afterKind) return this.bad('expected a space after the access kind');
    let address = 0;
    const hexStart = i;
    while (i < end) {
      const c = bytes[i] as number;
      let digit: number;
      if (c >= ZERO && c <= NINE) digit = c - ZERO;
      else if (c >= 97 && c <= 102) digit = c - 87;
      else if (c >= 65 && c <= 70) digit = c - 55;
      else break;
      address = address * 16 + digit;
      i++;
    }
    if (i === hexStart) return this.bad('expected a hexadecimal address');
    if (address >= EXACT_LIMIT) return this.bad('address too large');
    if (i >= end || bytes[i] !== COMMA) return this.bad('expected "," after the address');
    i++;
    let size = 0;
    const sizeStart = i;
    while (i < end) {
      const c = bytes[i] as number;
      if (c < ZERO || c > NINE) break;
      size = size * 10 + (c - ZERO);
      i++;
    }
    if (i === sizeStart || i - sizeStart > 9) return this.bad('expected a decimal size');
    const next = endOfLine(bytes, i, end);
    if (next < 0) return this.bad('unexpected text after the size');

    const firstPage = Math.floor(address * this.pageScale);
    const lastPage = Math.floor((address + (size > 0 ? size - 1 : 0)) * this.pageScale);
    const pageIds = this.pageIds;
    const out = this.out;
    switch (kind) {
      case 73:
        this.kinds.instructionFetches++;
        for (let page = firstPage; page <= lastPage; page++) out.push(pageIds.idOf(page), 0);
        break;
      case 76:
        this.kinds.loads++;
        for (let page = firstPage; page <= lastPage; page++) out.push(pageIds.idOf(page), 0);
        break;
      case 83:
        this.kinds.stores++;
        for (let page = firstPage; page <= lastPage; page++) out.push(pageIds.idOf(page), WRITE_FLAG);
        break;
      default:
        this.kinds.modifies++;
        for (let page = firstPage; page <= lastPage; page++) out.push(pageIds.idOf(page), 0);
        for (let page = firstPage; page <= lastPage; page++) out.push(pageIds.idOf(page), WRITE_FLAG);
        break;
    }
    return next;
  }
}

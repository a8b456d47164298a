import { TraceFormatError } from '@pagelab/contracts';
import type { PageIdTable } from './page-ids.js';
import { WRITE_FLAG, type ReferenceBuffer } from './reference-buffer.js';

export { traceFormats, type TraceFormat } from './limits.js';

/**
 * Largest access a lackey line may describe, in bytes. Valgrind's largest single accesses
 * (vector loads, xsave areas) are a few KiB; a bigger size is a corrupt line, and expanding it
 * would push one reference per page it spans.
 */
export const MAX_LACKEY_ACCESS_BYTES = 65536;

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

/** 1 for the kind bytes of a lackey line (`I`, `L`, `S`, `M`), 0 for every other byte. */
const IS_KIND = new Uint8Array(256);
IS_KIND[73] = 1;
IS_KIND[76] = 1;
IS_KIND[83] = 1;
IS_KIND[77] = 1;
/** Entries of the parser's page-id cache, less one (a power of two less one). */
const PAGE_CACHE_MASK = 1023;
/** The flags of a kind's (last) reference: stores and modifies write. */
const KIND_FLAG = new Uint8Array(256);
KIND_FLAG[83] = WRITE_FLAG;
KIND_FLAG[77] = WRITE_FLAG;

/** The value of each hexadecimal digit byte; -1 for every other byte. */
const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let c = ZERO; c <= NINE; c++) HEX_DIGIT[c] = c - ZERO;
for (let c = 0; c < 6; c++) {
  HEX_DIGIT[97 + c] = 10 + c;
  HEX_DIGIT[65 + c] = 10 + c;
}

/**
 * The value of each pair of hexadecimal digit bytes, indexed by the first byte times 256 plus
 * the second; -1 when either is not a digit. Eight digits take four look-ups instead of eight.
 */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let a = 0; a < 256; a++) {
  const high = HEX_DIGIT[a] as number;
  if (high < 0) continue;
  for (let b = 0; b < 256; b++) {
    const low = HEX_DIGIT[b] as number;
    if (low >= 0) HEX_PAIR[(a << 8) | b] = (high << 4) | low;
  }
}

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
    while (i < end) i = this.parseOneLine(bytes, i, end);
  }

  /**
   * The driver of a parser with a fast path: `fastLines` takes the complete lines it can from
   * `i` on and returns where it stopped; the general path parses (or reports, or skips) the one
   * line there, and so on. The fast path lives in a small function of its own, so the optimised
   * code of its loop never contains the general path (which it has no type feedback for, and
   * would deoptimise on) and compiles quickly.
   */
  protected parseWithFastPath(bytes: Uint8Array, start: number, end: number): void {
    // Only complete lines go to the fast path.
    let fastEnd = end;
    if (end > start && bytes[end - 1] !== NL) {
      const lastNewline = bytes.lastIndexOf(NL, end - 1);
      fastEnd = lastNewline < start ? start : lastNewline + 1;
    }
    let i = start;
    while (i < fastEnd) {
      i = this.fastLines(bytes, i, fastEnd);
      if (i < fastEnd) i = this.parseOneLine(bytes, i, end);
    }
    // The last line of the input, when it has no newline.
    while (i < end) i = this.parseOneLine(bytes, i, end);
  }

  /**
   * Parses complete, well-formed lines of the commonest spelling from `start` (never past
   * `fastEnd`, which follows a newline) and returns the index of the first line it does not
   * take. Counts lines and appends references as the general path would. The base class takes
   * none.
   */
  protected fastLines(_bytes: Uint8Array, start: number, _fastEnd: number): number {
    return start;
  }

  /**
   * Parses (or reports, or skips, as the bad-line policy says) the one line starting at `i`
   * and counts it; returns the index just past it. The general path every format shares.
   */
  protected parseOneLine(bytes: Uint8Array, i: number, end: number): number {
    this.line++;
    const next = this.parseLine(bytes, i, end);
    if (next >= 0) return next;
    let lineEnd = bytes.indexOf(NL, i);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const contentEnd = lineEnd > i && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    this.badLine(bytes, i, contentEnd, this.problem);
    return lineEnd + 1;
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
  // A direct-mapped cache of page ids in front of the page-id table, as in the lackey parser.
  private readonly cachedPage = new Int32Array(PAGE_CACHE_MASK + 1).fill(-1);
  private readonly cachedId = new Int32Array(PAGE_CACHE_MASK + 1);

  /**
   * The hot path. A line that is only decimal digits (at most 15, so the value is exact and
   * below 2^53) ended by `\n` or `\r\n` is parsed here with everything in locals: page ids of
   * pages below 2^31 through a direct-mapped cache, references written straight into the
   * buffer's arrays. Every other line (blanks, comments, spaces, malformed lines, the last line
   * when it lacks its newline) goes, unconsumed, to the general {@link parseLine}, so what is
   * accepted, line numbers and errors are exactly the general path's (the property test in
   * `page-number-fast-path.test.ts` checks the two against each other).
   */
  override parse(bytes: Uint8Array, start: number, end: number): void {
    this.parseWithFastPath(bytes, start, end);
  }

  protected override fastLines(bytes: Uint8Array, start: number, fastEnd: number): number {
    const pageIds = this.pageIds;
    const out = this.out;
    const cachedPage = this.cachedPage;
    const cachedId = this.cachedId;
    let n = out.length;
    // A line the fast path takes is at least two bytes and makes one reference.
    out.ensureCapacity(n + ((fastEnd - start + 1) >> 1));
    const pages = out.pages;
    const flags = out.flags;
    let line = this.line;
    let taken = 0;
    let i = start;
    while (i < fastEnd) {
      fast: {
        let c = bytes[i] as number;
        let digit = c - ZERO;
        if (digit < 0 || digit > 9) break fast;
        let page = digit;
        let j = i + 1;
        c = bytes[j] as number;
        digit = c - ZERO;
        // Nine digits stay below 2^31: small-integer arithmetic for the usual page numbers.
        while (digit >= 0 && digit <= 9 && j - i < 9) {
          page = page * 10 + digit;
          c = bytes[++j] as number;
          digit = c - ZERO;
        }
        while (digit >= 0 && digit <= 9) {
          page = page * 10 + digit;
          c = bytes[++j] as number;
          digit = c - ZERO;
        }
        if (j - i > 15) break fast;
        if (c === CR) c = bytes[++j] as number;
        if (c !== NL) break fast;
        i = j + 1;
        line++;
        taken++;
        let id: number;
        if (page <= 0x7fffffff) {
          const entry = page & PAGE_CACHE_MASK;
          id = cachedId[entry] as number;
          if (page !== cachedPage[entry]) {
            id = pageIds.idOf(page);
            cachedPage[entry] = page;
            cachedId[entry] = id;
          }
        } else {
          id = pageIds.idOf(page);
        }
        pages[n] = id;
        flags[n] = 0;
        n++;
        continue;
      }
      // Not a line the fast path takes.
      break;
    }
    out.length = n;
    this.line = line;
    this.kinds.loads += taken;
    return i;
  }

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
  private readonly pageSize: number;
  /** log2 of the page size. */
  private readonly pageShift: number;
  /** 16 - log2(page size) for pages of 2 B to 64 KiB (the integer fast path), else -1. */
  private readonly shortShift: number;
  // A direct-mapped cache of page ids in front of the page-id table (indexed by the page's
  // low bits): fetches, stack and heap accesses interleave, and a table look-up costs more.
  private readonly cachedPage = new Int32Array(PAGE_CACHE_MASK + 1).fill(-1);
  private readonly cachedId = new Int32Array(PAGE_CACHE_MASK + 1);
  /** References the fast path counted, by kind byte; folded into {@link kinds} before parse returns. */
  private readonly kindCounts = new Int32Array(256);

  constructor(pageIds: PageIdTable, out: ReferenceBuffer, badLines: BadLinePolicy, pageSize: number) {
    super(pageIds, out, badLines);
    // Exact for a power of two: multiplying by it is dividing by the page size.
    this.pageScale = 1 / pageSize;
    this.pageSize = pageSize;
    const shift = Math.log2(pageSize);
    this.pageShift = Number.isInteger(shift) ? shift : 0;
    this.shortShift = Number.isInteger(shift) && shift >= 1 && shift <= 16 ? 16 - shift : -1;
  }

  /**
   * The hot path. Well-formed lines in Valgrind's own spelling (`I  addr,size` or
   * ` K addr,size`: spaces only, at least eight hex digits as lackey's %08lx writes them, the
   * size right before a `\n`, one page touched, a page number below 2^31) are parsed here in
   * one pass with everything in locals: eight hex digits decoded at once through a table and
   * integer arithmetic, page ids through a direct-mapped cache, references written straight
   * into the buffer's arrays, kinds counted in a typed array. Any other line (headers, blanks,
   * CRs, tabs, short addresses, straddling accesses, malformed lines, the last line when it
   * lacks its newline) goes, unconsumed, to the general {@link parseLine}, which accepts and
   * rejects exactly what it always has. The fast path accepts a subset of what that accepts and
   * produces the same references, so counts, line numbers and errors are unchanged (the
   * "lackey fast path" tests check it against the general path alone).
   */
  override parse(bytes: Uint8Array, start: number, end: number): void {
    this.parseWithFastPath(bytes, start, end);
  }

  protected override fastLines(bytes: Uint8Array, start: number, fastEnd: number): number {
    // It never reads past a line's '\n' except in the eight address bytes, which it only
    // looks at when they are in range.
    const scale = this.pageScale;
    const pageSize = this.pageSize;
    const pageShift = this.pageShift;
    const shortShift = this.shortShift;
    const offsetMask = pageSize - 1;
    const pageIds = this.pageIds;
    const out = this.out;
    const counts = this.kindCounts;
    const cachedPage = this.cachedPage;
    const cachedId = this.cachedId;
    let n = out.length;
    // Room for every reference the fast path can make from here: a line it takes is at least
    // 14 bytes (`I  ` or ` K `, eight digits, `,`, a digit, `\n`) and makes at most 2.
    out.ensureCapacity(n + Math.ceil((fastEnd - start) / 7));
    const pages = out.pages;
    const flags = out.flags;
    let line = this.line;
    let i = start;
    while (i < fastEnd) {
      fast: {
        // `I  addr,size` or ` K addr,size` (K one of L, S, M): byte 2 is a space either way.
        const first = bytes[i] as number;
        const kind = first === SPACE ? (bytes[i + 1] as number) : first;
        if (IS_KIND[kind] === 0 || bytes[i + 2] !== SPACE || (kind === 73 ? bytes[i + 1] !== SPACE : first !== SPACE)) break fast;
        let j = i + 3;
        while (bytes[j] === SPACE) j++;
        // Lackey writes at least eight hex digits (%08lx): decode them at once, then the rest.
        if (j + 8 >= fastEnd) break fast;
        const p0 = HEX_PAIR[((bytes[j] as number) << 8) | (bytes[j + 1] as number)] as number;
        const p1 = HEX_PAIR[((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number)] as number;
        const p2 = HEX_PAIR[((bytes[j + 4] as number) << 8) | (bytes[j + 5] as number)] as number;
        const p3 = HEX_PAIR[((bytes[j + 6] as number) << 8) | (bytes[j + 7] as number)] as number;
        if ((p0 | p1 | p2 | p3) < 0) break fast;
        const high = (p0 << 8) | p1;
        const low = (p2 << 8) | p3;
        j += 8;
        let c = bytes[j] as number;
        // Eight digits and pages of 2 B to 64 KiB: integer arithmetic, exact. Otherwise the
        // general path's own double arithmetic, for pages that fit in an int32.
        let page: number;
        let room: number;
        let address = 0;
        if (c === COMMA && shortShift >= 0) {
          page = (high << shortShift) | (low >>> pageShift);
          room = pageSize - (low & offsetMask);
        } else {
          address = high * 65536 + low;
          for (;;) {
            const digit = HEX_DIGIT[c] as number;
            if (digit < 0) break;
            address = address * 16 + digit;
            c = bytes[++j] as number;
          }
          if (c !== COMMA || address >= EXACT_LIMIT) break fast;
          const widePage = Math.floor(address * scale);
          if (widePage > 0x7fffffff) break fast;
          page = widePage | 0;
          room = -1;
        }
        // The size: usually one digit right before the newline.
        let size = (bytes[j + 1] as number) - ZERO;
        if (size < 0 || size > 9) break fast;
        if (bytes[j + 2] === NL) {
          j += 3;
        } else {
          const sizeStart = j + 1;
          j += 2;
          c = bytes[j] as number;
          while (c >= ZERO && c <= NINE) {
            size = size * 10 + (c - ZERO);
            c = bytes[++j] as number;
          }
          if (c !== NL || j - sizeStart > 9 || size > MAX_LACKEY_ACCESS_BYTES) break fast;
          j++;
        }
        // An access that leaves its page touches several: the general path lists them.
        if (room >= 0 ? size > room : size > 1 && Math.floor((address + size - 1) * scale) !== page) break fast;

        line++;
        i = j;
        const entry = page & PAGE_CACHE_MASK;
        let id = cachedId[entry] as number;
        if (page !== cachedPage[entry]) {
          id = pageIds.idOf(page);
          cachedPage[entry] = page;
          cachedId[entry] = id;
        }
        counts[kind] = (counts[kind] as number) + 1;
        pages[n] = id;
        if (kind === 77) {
          // A modify: a read, then a write.
          flags[n] = 0;
          n++;
          pages[n] = id;
        }
        flags[n] = KIND_FLAG[kind] as number;
        n++;
        continue;
      }
      // Not a line the fast path takes.
      break;
    }
    out.length = n;
    this.line = line;
    this.foldKindCounts();
    return i;
  }

  private foldKindCounts(): void {
    const counts = this.kindCounts;
    const kinds = this.kinds;
    kinds.instructionFetches += counts[73] as number;
    kinds.loads += counts[76] as number;
    kinds.stores += counts[83] as number;
    kinds.modifies += counts[77] as number;
    counts[73] = counts[76] = counts[83] = counts[77] = 0;
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
    if (size > MAX_LACKEY_ACCESS_BYTES) return this.bad(`access size ${size} is larger than the limit of ${MAX_LACKEY_ACCESS_BYTES} bytes`);
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

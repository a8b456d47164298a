import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputFormatError } from '@pagelab/contracts';
import type { ReferenceKindCounts, TraceFormat } from './formats.js';
import { MAX_RESERVED_REFERENCES } from './limits.js';
import type { PageIdTable } from './page-ids.js';
import { WRITE_FLAG, type ReferenceBuffer } from './reference-buffer.js';

/**
 * The first eight bytes of a binary trace: a non-ASCII first byte (no text trace starts with
 * it, so sniffing one byte tells the formats apart), a name, and CR LF / SUB bytes that a text
 * transfer would mangle, as PNG does.
 */
export const BINARY_TRACE_MAGIC: readonly number[] = [0x89, 0x50, 0x47, 0x54, 0x52, 0x0d, 0x0a, 0x1a];
/** The layout version this code writes and reads. */
export const BINARY_TRACE_VERSION = 1;
/** Bytes before the first reference. */
export const BINARY_TRACE_HEADER_BYTES = 64;
/** Most distinct pages a binary trace may hold: a reference packs its page id in 31 bits. */
export const MAX_BINARY_TRACE_PAGES = 0x7fffffff;

/** References read from the file at a time (4 bytes each): 1 MiB. */
const CHUNK_REFERENCES = 1 << 18;
const SOURCE_CODES: readonly TraceFormat[] = ['pages', 'lackey'];

/** A binary trace the reader refuses: not one, an unknown version, truncated, an id out of range. */
export class BinaryTraceError extends InputFormatError {
  constructor(source: string, message: string) {
    super('TRACE_FORMAT', source, message);
  }
}

/** What a binary trace's header says. */
export interface BinaryTraceHeader {
  /** The text format it was converted from. */
  readonly sourceFormat: TraceFormat;
  /** The page size lackey addresses were divided by (0 for a page-number trace). */
  readonly pageSize: number;
  readonly references: number;
  readonly distinctPages: number;
  readonly kinds: ReferenceKindCounts;
}

/** True when the file at `path` starts like a binary trace (its first byte is the magic's). */
export function looksLikeBinaryTrace(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const first = new Uint8Array(1);
    return readSync(fd, first, 0, 1, 0) === 1 && first[0] === BINARY_TRACE_MAGIC[0];
  } finally {
    closeSync(fd);
  }
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 4294967296;
}

function putU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
  view.setUint32(at + 4, Math.floor(value / 4294967296), true);
}

/** Checks and decodes the header in `bytes` (the file's first bytes) of a file of `fileBytes`. */
export function decodeBinaryTraceHeader(source: string, bytes: Uint8Array, fileBytes: number): BinaryTraceHeader {
  for (let i = 0; i < BINARY_TRACE_MAGIC.length; i++) {
    if (i >= bytes.length) throw new BinaryTraceError(source, `truncated: ${bytes.length} bytes, shorter than the ${BINARY_TRACE_MAGIC.length}-byte magic`);
    if (bytes[i] !== BINARY_TRACE_MAGIC[i]) throw new BinaryTraceError(source, 'bad magic: not a pagelab binary trace');
  }
  if (bytes.length < BINARY_TRACE_HEADER_BYTES) {
    throw new BinaryTraceError(source, `truncated: the header needs ${BINARY_TRACE_HEADER_BYTES} bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, BINARY_TRACE_HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== BINARY_TRACE_VERSION) {
    throw new BinaryTraceError(source, `unsupported version ${version} (this pager-sim reads version ${BINARY_TRACE_VERSION})`);
  }
  const sourceCode = view.getUint32(12, true);
  const sourceFormat = SOURCE_CODES[sourceCode];
  if (sourceFormat === undefined) throw new BinaryTraceError(source, `unknown source format code ${sourceCode} (known: 0 pages, 1 lackey)`);
  const pageSize = view.getUint32(16, true);
  if (sourceFormat === 'pages' ? pageSize !== 0 : pageSize === 0 || (pageSize & (pageSize - 1)) !== 0 || pageSize > 2 ** 30) {
    throw new BinaryTraceError(source, `bad page size ${pageSize} (0 for a page-number trace, else a power of two up to 2^30)`);
  }
  const distinctPages = view.getUint32(20, true);
  const references = u64(view, 24);
  if (distinctPages > MAX_BINARY_TRACE_PAGES) throw new BinaryTraceError(source, `bad page count ${distinctPages} (at most ${MAX_BINARY_TRACE_PAGES})`);
  if (references >= 2 ** 50) throw new BinaryTraceError(source, `bad reference count ${references}`);
  if (distinctPages > references) throw new BinaryTraceError(source, `bad header: ${distinctPages} distinct pages but only ${references} references`);
  const expected = BINARY_TRACE_HEADER_BYTES + 4 * references + 8 * distinctPages;
  if (fileBytes < expected) {
    throw new BinaryTraceError(source, `truncated: the header promises ${references} references and ${distinctPages} pages (${expected} bytes), the file has ${fileBytes}`);
  }
  if (fileBytes > expected) {
    throw new BinaryTraceError(source, `${fileBytes - expected} bytes of trailing data after the ${expected} bytes the header promises`);
  }
  return {
    sourceFormat,
    pageSize,
    references,
    distinctPages,
    kinds: { instructionFetches: u64(view, 32), loads: u64(view, 40), stores: u64(view, 48), modifies: u64(view, 56) },
  };
}

/**
 * Streams the binary trace at `path` into `out`, chunk by chunk (`afterChunk` runs after each;
 * the caller simulates and empties the buffer). The page table is read first, through
 * `pageIds`, so dense ids and page numbers are the ones the text trace gave. `keepAll`: the
 * caller keeps every reference in `out`, which is then sized once. Returns the header.
 */
export function streamBinaryTrace(
  path: string,
  pageIds: PageIdTable,
  out: ReferenceBuffer,
  afterChunk: () => void,
  keepAll = false,
): BinaryTraceHeader {
  const fd = openSync(path, 'r');
  try {
    const fileBytes = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(BINARY_TRACE_HEADER_BYTES, fileBytes));
    readFully(fd, head, 0);
    const header = decodeBinaryTraceHeader(path, head, fileBytes);
    readPageTable(fd, path, header, pageIds);
    // The caller keeps every reference (OPT): make room for all of them at once.
    if (keepAll) out.ensureCapacity(out.length + Math.min(header.references, MAX_RESERVED_REFERENCES));
    const distinct = header.distinctPages;
    const chunk = new Uint8Array(4 * CHUNK_REFERENCES);
    const words = new Uint32Array(chunk.buffer);
    const view = new DataView(chunk.buffer);
    const littleEndian = endianness() === 'LE';
    let done = 0;
    while (done < header.references) {
      const count = Math.min(CHUNK_REFERENCES, header.references - done);
      readFully(fd, chunk.subarray(0, 4 * count), BINARY_TRACE_HEADER_BYTES + 4 * done);
      const n = out.length;
      out.ensureCapacity(n + count);
      const pages = out.pages;
      const flags = out.flags;
      for (let k = 0; k < count; k++) {
        const word = littleEndian ? (words[k] as number) : view.getUint32(4 * k, true);
        const id = word >>> 1;
        if (id >= distinct) {
          throw new BinaryTraceError(path, `reference ${done + k}: page id ${id} is not below the page count ${distinct}`);
        }
        pages[n + k] = id;
        flags[n + k] = word & WRITE_FLAG;
      }
      out.length = n + count;
      done += count;
      afterChunk();
    }
    return header;
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  let got = 0;
  while (got < into.length) {
    const read = readSync(fd, into, got, into.length - got, position + got);
    if (read === 0) break;
    got += read;
  }
  // The header's sizes were checked against the file's: a short read means it changed under us.
  if (got < into.length) throw new Error(`short read: ${got} of ${into.length} bytes at ${position}`);
}

function readPageTable(fd: number, path: string, header: BinaryTraceHeader, pageIds: PageIdTable): void {
  if (pageIds.size !== 0) throw new Error('readPageTable needs an empty page-id table');
  const table = new Uint8Array(8 * header.distinctPages);
  readFully(fd, table, BINARY_TRACE_HEADER_BYTES + 4 * header.references);
  const view = new DataView(table.buffer);
  for (let id = 0; id < header.distinctPages; id++) {
    const page = u64(view, 8 * id);
    if (page >= 2 ** 53) throw new BinaryTraceError(path, `page table entry ${id}: page number ${page} is not below 2^53`);
    if (pageIds.idOf(page) !== id) throw new BinaryTraceError(path, `page table entry ${id}: page ${page} is listed twice`);
  }
}

/**
 * Writes a binary trace: the header, then references as they come (each a little-endian u32,
 * the dense page id shifted left once with the write flag in bit 0), then, at {@link finish},
 * the page table and the header's counts.
 */
export class BinaryTraceWriter {
  private readonly fd: number;
  /** References appended so far. */
  references = 0;
  private chunk = new Uint32Array(CHUNK_REFERENCES);
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, new Uint8Array(BINARY_TRACE_HEADER_BYTES));
  }

  /** Appends the references in `buffer`. */
  append(buffer: ReferenceBuffer): void {
    if (this.chunk.length < buffer.length) this.chunk = new Uint32Array(buffer.length);
    const words = this.chunk;
    const pages = buffer.pages;
    const flags = buffer.flags;
    for (let i = 0; i < buffer.length; i++) words[i] = (((pages[i] as number) << 1) | ((flags[i] as number) & WRITE_FLAG)) >>> 0;
    const bytes = new Uint8Array(words.buffer, 0, 4 * buffer.length);
    if (endianness() !== 'LE') {
      const view = new DataView(words.buffer);
      for (let i = 0; i < buffer.length; i++) view.setUint32(4 * i, words[i] as number, true);
    }
    writeAll(this.fd, bytes);
    this.references += buffer.length;
  }

  /**
   * Writes the page table of `pageIds` and the header (the text format the references came
   * from, its page size for lackey, the counts by kind), and closes the file. Returns its size.
   */
  finish(pageIds: PageIdTable, sourceFormat: TraceFormat, pageSize: number, kinds: ReferenceKindCounts): number {
    const distinct = pageIds.size;
    const table = new Uint8Array(8 * distinct);
    const tableView = new DataView(table.buffer);
    for (let id = 0; id < distinct; id++) putU64(tableView, 8 * id, pageIds.pageOf(id));
    writeAll(this.fd, table);
    const header = new Uint8Array(BINARY_TRACE_HEADER_BYTES);
    header.set(BINARY_TRACE_MAGIC);
    const view = new DataView(header.buffer);
    view.setUint32(8, BINARY_TRACE_VERSION, true);
    view.setUint32(12, SOURCE_CODES.indexOf(sourceFormat), true);
    view.setUint32(16, sourceFormat === 'pages' ? 0 : pageSize, true);
    view.setUint32(20, distinct, true);
    putU64(view, 24, this.references);
    putU64(view, 32, kinds.instructionFetches);
    putU64(view, 40, kinds.loads);
    putU64(view, 48, kinds.stores);
    putU64(view, 56, kinds.modifies);
    writeSync(this.fd, header, 0, header.length, 0);
    this.close();
    return BINARY_TRACE_HEADER_BYTES + 4 * this.references + table.length;
  }

  /** Closes the file without finishing it (after an error). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

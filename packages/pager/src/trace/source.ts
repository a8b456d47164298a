import { statSync } from 'node:fs';
import { DEFAULT_PAGE_SIZE, MAX_RESERVED_REFERENCES } from './limits.js';
import { looksLikeBinaryTrace, streamBinaryTrace } from './binary.js';
import { LackeyParser, PageNumberParser, type ReferenceKindCounts, type TraceFormat, type TraceParser } from './formats.js';
import type { PageIdTable } from './page-ids.js';
import { streamTraceFile } from './reader.js';
import type { ReferenceBuffer } from './reference-buffer.js';

export { DEFAULT_PAGE_SIZE };

/** How to read a trace file. */
export interface TraceReadOptions {
  /** The text format; a binary trace is recognised by its magic whatever this says. */
  readonly format?: TraceFormat;
  /** Bytes per page, a power of two (lackey addresses are divided by it). */
  readonly pageSize?: number;
  readonly skipBadLines?: boolean;
}

/**
 * What reading a trace found. For a binary trace, the format and page size are those of the
 * text it was converted from, so its report reads as the text trace's would.
 */
export interface TraceReadSummary {
  readonly format: TraceFormat;
  readonly pageSize: number;
  readonly badLines: number;
  readonly kinds: ReferenceKindCounts;
}

/** The parser of the options' text format, appending to `out`. */
export function makeParser(options: TraceReadOptions, source: string, pageIds: PageIdTable, out: ReferenceBuffer): TraceParser {
  const badLines = { skipBadLines: options.skipBadLines ?? false, source };
  return (options.format ?? 'pages') === 'lackey'
    ? new LackeyParser(pageIds, out, badLines, options.pageSize ?? DEFAULT_PAGE_SIZE)
    : new PageNumberParser(pageIds, out, badLines);
}

/**
 * Streams every reference of the trace file at `path` into `out` (dense ids from `pageIds`,
 * which must be empty), calling `afterChunk` after each chunk: a binary trace (recognised by
 * its first byte) through its reader, a text trace through the parser of its format.
 * `keepAll`: the caller keeps every reference in `out` (OPT), so its storage is sized once.
 */
export function streamTraceReferences(
  path: string,
  options: TraceReadOptions,
  pageIds: PageIdTable,
  out: ReferenceBuffer,
  afterChunk: () => void,
  keepAll = false,
): TraceReadSummary {
  if (looksLikeBinaryTrace(path)) {
    const header = streamBinaryTrace(path, pageIds, out, afterChunk, keepAll);
    return {
      format: header.sourceFormat,
      pageSize: header.sourceFormat === 'lackey' ? header.pageSize : (options.pageSize ?? DEFAULT_PAGE_SIZE),
      badLines: 0,
      kinds: { ...header.kinds },
    };
  }
  const parser = makeParser(options, path, pageIds, out);
  if (keepAll) {
    // Storage for the whole trace at once, sized by the file: growing by doubling would copy
    // it several times and touch about twice the memory. The bound is the most references the
    // bytes can hold (a page-number line is at least 2 bytes; a lackey line 14 bytes, for at
    // most two references unless an access spans pages, and then the buffer grows). Untouched
    // storage costs no memory: the host hands out zeroed pages as they are first written.
    const bytesPerReference = (options.format ?? 'pages') === 'lackey' ? 7 : 2;
    out.ensureCapacity(out.length + Math.min(Math.ceil(statSync(path).size / bytesPerReference), MAX_RESERVED_REFERENCES));
  }
  streamTraceFile(path, parser, afterChunk);
  return {
    format: options.format ?? 'pages',
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    badLines: parser.badLines,
    kinds: { ...parser.kinds },
  };
}

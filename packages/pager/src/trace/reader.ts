import { closeSync, openSync, readSync } from 'node:fs';
import type { TraceParser } from './formats.js';

/** Bytes read from the file at a time. */
export const DEFAULT_CHUNK_BYTES = 1 << 18;
/** A line longer than this is not a trace line; the reader stops rather than buffer it. */
export const MAX_LINE_BYTES = 1 << 24;

/**
 * Streams the file at `path` through `parser` in chunks of raw bytes: complete lines go to the
 * parser straight from the read buffer, a partial last line is carried over to the next chunk.
 * The file is never held whole in memory nor turned into a string. `afterChunk` runs after
 * each chunk's lines are parsed (the caller simulates them and empties its buffer).
 */
export function streamTraceFile(
  path: string,
  parser: TraceParser,
  afterChunk: () => void,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): void {
  const fd = openSync(path, 'r');
  try {
    let buffer = new Uint8Array(chunkBytes);
    let carried = 0;
    for (;;) {
      if (carried === buffer.length) {
        // One line fills the whole buffer: grow it, up to the line limit.
        if (buffer.length >= MAX_LINE_BYTES) parser.lineTooLong(MAX_LINE_BYTES);
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, carried, buffer.length - carried, null);
      if (read === 0) {
        if (carried > 0) {
          parser.parse(buffer, 0, carried);
          afterChunk();
        }
        return;
      }
      const filled = carried + read;
      const lastNewline = buffer.lastIndexOf(10, filled - 1);
      if (lastNewline < 0) {
        carried = filled;
        continue;
      }
      parser.parse(buffer, 0, lastNewline + 1);
      afterChunk();
      buffer.copyWithin(0, lastNewline + 1, filled);
      carried = filled - lastNewline - 1;
    }
  } finally {
    closeSync(fd);
  }
}

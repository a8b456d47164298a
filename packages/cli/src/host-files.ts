import { closeSync, openSync, readSync } from 'node:fs';
import { PagelabError, type ByteSource } from '@pagelab/kernel';

/**
 * The most a file named on the command line or in a scenario may hold when it is read whole
 * (programs, scenarios, expected outputs). The simulated address space is 16 MiB, so anything
 * larger is a mistake (`/dev/zero`, a disk image), and reading it would never end.
 */
export const MAX_WHOLE_FILE_BYTES = 64 * 1024 * 1024;

function why(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
}

function open(path: string, what: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new PagelabError('INPUT', `${what} ${path}: ${why(error)}`);
  }
}

/** One read(2) into `into` from `offset`: how many bytes came (0 at the end), retried while a non-blocking pipe has none yet. */
function readSome(fd: number, into: Uint8Array, offset: number, path: string, what: string): number {
  for (;;) {
    try {
      return readSync(fd, into, offset, into.length - offset, null);
    } catch (error) {
      if ((error as { code?: string }).code === 'EAGAIN') continue;
      throw new PagelabError('INPUT', `${what} ${path}: ${why(error)}`);
    }
  }
}

/** Reads until `into` is full or the file ends; a pipe's short reads are joined, so runs do not depend on their timing. */
function fill(fd: number, into: Uint8Array, path: string, what: string): number {
  let done = 0;
  while (done < into.length) {
    const n = readSome(fd, into, done, path, what);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Reads a file the user named, whole, or throws a one-line error saying which and why (missing, a directory, too large). */
export function readHostFile(path: string, what: string, limit = MAX_WHOLE_FILE_BYTES): Uint8Array {
  const fd = open(path, what);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, limit + 1 - total));
      const n = fill(fd, chunk, path, what);
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw new PagelabError('INPUT', `${what} ${path}: larger than the limit of ${limit} bytes`);
      if (n < chunk.length) break;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** A host file streamed into a simulated process: read as the process reads, never held whole. */
export interface HostStream extends ByteSource {
  close(): void;
}

/**
 * How much of a streamed file is read from the host at a time. A DMA burst asks for 64 bytes;
 * one read(2) per burst cost more host time than the simulation it fed (16,384 system calls
 * per MiB), while this much held at once still leaves any stream, `/dev/zero` included, unbounded.
 */
export const STREAM_READ_AHEAD_BYTES = 64 * 1024;

/**
 * Opens a file (or device, or pipe) to be read as a simulated stream, never held whole: it is
 * read ahead at most {@link STREAM_READ_AHEAD_BYTES} at a time, and one host read takes what a
 * pipe has ready, so a read never waits for more than the simulated request needs. Fails at
 * once, in one line, if it cannot be opened.
 */
export function openHostStream(path: string, what: string): HostStream {
  const fd = open(path, what);
  const ahead = new Uint8Array(STREAM_READ_AHEAD_BYTES);
  let start = 0;
  let end = 0;
  let ended = false;
  let closed = false;
  return {
    read(into) {
      let done = 0;
      while (done < into.length && !closed) {
        if (start === end) {
          if (ended) break;
          end = readSome(fd, ahead, 0, path, what);
          start = 0;
          if (end === 0) {
            ended = true;
            break;
          }
        }
        const n = Math.min(into.length - done, end - start);
        into.set(ahead.subarray(start, start + n), done);
        start += n;
        done += n;
      }
      return done;
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

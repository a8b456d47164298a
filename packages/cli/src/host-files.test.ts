import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHostStream, readHostFile, STREAM_READ_AHEAD_BYTES } from './host-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'pagelab-host-files-'));

describe('host files', () => {
  it('streams /dev/zero a request at a time, for as long as it is read', () => {
    const zero = openHostStream('/dev/zero', 'stdin');
    const into = new Uint8Array(64).fill(7);
    for (let i = 0; i < 1000; i++) expect(zero.read(into)).toBe(64);
    expect(into.every((b) => b === 0)).toBe(true);
    zero.close();
    expect(zero.read(into)).toBe(0);
  });

  it('streams a file to its end, then 0', () => {
    const path = join(scratch, 'in.txt');
    writeFileSync(path, 'hello, world');
    const stream = openHostStream(path, 'stdin');
    const into = new Uint8Array(5);
    const parts: string[] = [];
    for (let n = stream.read(into); n > 0; n = stream.read(into)) parts.push(Buffer.from(into.subarray(0, n)).toString());
    expect(parts).toEqual(['hello', ', wor', 'ld']);
    expect(stream.read(into)).toBe(0);
    stream.close();
  });

  it('delivers a file larger than its read-ahead exactly, whatever the request sizes', () => {
    const path = join(scratch, 'long.bin');
    const bytes = new Uint8Array(2 * STREAM_READ_AHEAD_BYTES + 123);
    let state = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
    writeFileSync(path, bytes);
    for (const size of [1, 64, 1000, STREAM_READ_AHEAD_BYTES, STREAM_READ_AHEAD_BYTES + 1]) {
      const stream = openHostStream(path, 'stdin');
      const into = new Uint8Array(size);
      const out = new Uint8Array(bytes.length);
      let at = 0;
      for (let n = stream.read(into); n > 0; n = stream.read(into)) {
        // Only the last request comes back short: the file's end.
        if (n < size) expect(at + n).toBe(bytes.length);
        out.set(into.subarray(0, n), at);
        at += n;
      }
      expect(at).toBe(bytes.length);
      expect(out).toEqual(bytes);
      stream.close();
    }
  });

  it('refuses in one line: a missing file, a directory, a file past the size limit', () => {
    expect(() => openHostStream(join(scratch, 'nope'), 'stdin')).toThrow(new RegExp(`^stdin ${scratch}/nope: no such file$`));
    expect(() => readHostFile(scratch, 'program')).toThrow(new RegExp(`^program ${scratch}: is a directory$`));
    expect(() => readHostFile('/dev/zero', 'program', 1000)).toThrow(/^program \/dev\/zero: larger than the limit of 1000 bytes$/);
    const exact = join(scratch, 'exact.bin');
    writeFileSync(exact, new Uint8Array(1000));
    expect(readHostFile(exact, 'program', 1000)).toHaveLength(1000);
  });
});

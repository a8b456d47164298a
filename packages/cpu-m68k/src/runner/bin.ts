#!/usr/bin/env node
/** The `m68k-run` executable: the CLI wired to the real process. */
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { runCli } from './cli.js';
import { hostFiles } from './host-files.js';

/** Synchronous writes, so output is out before process.exit; a closed pipe (`| head`) just ends output. */
function writer(fd: number): (data: Uint8Array | string) => void {
  let closed = false;
  return (data) => {
    if (closed) return;
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else writeSync(fd, data);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EPIPE') throw e;
      closed = true;
    }
  };
}

/** A host file pulled as the program reads; short reads (pipes) are joined so a run does not depend on their timing. */
function stream(path: string) {
  const fd = openSync(path, 'r');
  let ended = false;
  return {
    read(into: Uint8Array): number {
      let done = 0;
      while (!ended && done < into.length) {
        const n = readSync(fd, into, done, into.length - done, null);
        if (n === 0) ended = true;
        done += n;
      }
      return done;
    },
    close: () => closeSync(fd),
  };
}

const code = runCli(process.argv.slice(2), {
  readFile: (path) => new Uint8Array(readFileSync(path)),
  openStream: stream,
  writeStdout: writer(1),
  writeStderr: writer(2),
  now: () => performance.now(),
  files: hostFiles,
});
process.exit(code);

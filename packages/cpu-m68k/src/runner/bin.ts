#!/usr/bin/env node
/** The `m68k-run` executable: the CLI wired to the real process. */
import { readFileSync, writeSync } from 'node:fs';
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

const code = runCli(process.argv.slice(2), {
  readFile: (path) => new Uint8Array(readFileSync(path)),
  writeStdout: writer(1),
  writeStderr: writer(2),
  now: () => performance.now(),
  files: hostFiles,
});
process.exit(code);

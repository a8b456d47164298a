import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { SystemEvent } from '@pagelab/kernel';
import { outputError } from './output-file.js';

const flushBytes = 1 << 20;

/**
 * An event log file being written: a `pagelab-events` header line, then one JSON event per
 * line, streamed in large chunks to a temporary file that becomes `path` only when the run is
 * over, so a run that fails leaves no half log behind.
 */
export class EventFileWriter {
  private readonly temporary: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  /** Opens the log for the run named `run`; a path that cannot be written is a one-line error. */
  constructor(private readonly path: string, run: string) {
    this.temporary = `${path}.${process.pid}.partial`;
    try {
      this.fd = openSync(this.temporary, 'w');
    } catch (error) {
      throw outputError(error, path, 'event log');
    }
    this.add(JSON.stringify({ format: 'pagelab-events', run }));
  }

  /** Appends one event (the listener to hand to the system's event log). */
  readonly record = (event: SystemEvent): void => {
    this.add(JSON.stringify(event));
  };

  private add(line: string): void {
    this.pending.push(line);
    this.pendingLength += line.length + 1;
    if (this.pendingLength >= flushBytes) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
    this.pendingLength = 0;
  }

  /** Writes what is left and puts the file in place. */
  finish(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.temporary, this.path);
  }

  /** Drops the partial file (the run failed). */
  abandon(): void {
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
  }
}

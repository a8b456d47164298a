import { closeSync, constants, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { PagelabError } from '@pagelab/kernel';
import type { SweepPoint } from './plan.js';

/** The lines a results file already holds for a sweep's points, and whether the rest can simply be appended. */
export interface ExistingResults {
  /** The line of each point found, by point index. */
  readonly lines: ReadonlyMap<number, string>;
  /**
   * The byte length of the file's whole lines when they are exactly the first points of the
   * run's order, once each (a sweep that stopped early left it so): the rest is appended there,
   * after a cut-off last line is dropped. Null when the lines are out of order, have gaps or
   * repeats (shard outputs put together): the file is then rewritten in order.
   */
  readonly appendAt: number | null;
}

/**
 * Reads the results a sweep wrote to `path` before, for `--resume`. `points` are the ones this
 * run is responsible for, in its order (a shard's, or all). A last line without its newline was
 * cut off by a killed run and is dropped; any other line that is not one of these points' lines
 * is a one-line error naming the file and the line.
 */
export function readExistingResults(path: string, sweep: string, points: readonly SweepPoint[]): ExistingResults {
  if (!existsSync(path)) return { lines: new Map(), appendAt: 0 };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PagelabError('INPUT', `${path}: cannot be read (${(error as { code?: string }).code ?? 'error'})`);
  }
  const byKey = new Map(points.map((p) => [p.keyText, p.index]));
  const lines = new Map<number, string>();
  const found: number[] = [];
  const whole = text.lastIndexOf('\n') + 1;
  const rows = text.slice(0, whole).split('\n').slice(0, -1);
  rows.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new PagelabError('SWEEP_RESULTS', `${path}:${i + 1}: ${why}`);
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      fail('not a line of pagelab sweep (not JSON)');
    }
    const record = parsed as { sweep?: unknown; key?: unknown };
    if (typeof parsed !== 'object' || parsed === null || JSON.stringify(parsed) !== line || record.key === undefined) fail('not a line of pagelab sweep');
    if (record.sweep !== sweep) fail(`a line of sweep ${JSON.stringify(record.sweep)}, not of ${JSON.stringify(sweep)}`);
    const index = byKey.get(JSON.stringify(record.key));
    if (index === undefined) fail(`key ${JSON.stringify(record.key)} is not a point of this run (another spec, or another shard)`);
    const earlier = lines.get(index!);
    if (earlier !== undefined && earlier !== line) fail(`a second, different line for key ${JSON.stringify(record.key)}`);
    lines.set(index!, line);
    found.push(index!);
  });
  const isPrefix = found.every((index, i) => points[i]?.index === index);
  return { lines, appendAt: isPrefix ? Buffer.byteLength(text.slice(0, whole)) : null };
}

/** Where lines go: whole lines only, each write ending in a newline. */
export interface LineSink {
  write(lines: readonly string[]): void;
  /** Ends the output (a rewritten file takes its place only now). */
  close(): void;
}

/** Lines to a file: a fresh one, appended after `appendAt` bytes, or (`rewrite`) a new file renamed over it at the end. */
export function fileSink(path: string, mode: { readonly appendAt: number } | 'fresh' | 'rewrite'): LineSink {
  const target = mode === 'rewrite' ? `${path}.rewrite` : path;
  let fd: number;
  try {
    // Appending opens without truncating, and creates the file a first --resume has not seen yet.
    fd = openSync(target, typeof mode === 'object' ? constants.O_RDWR | constants.O_CREAT : 'w');
    if (typeof mode === 'object') ftruncateSync(fd, mode.appendAt);
  } catch (error) {
    throw new PagelabError('OUTPUT', `${target}: cannot be written (${(error as { code?: string }).code ?? 'error'})`);
  }
  let position = typeof mode === 'object' ? mode.appendAt : 0;
  return {
    write(lines) {
      if (lines.length === 0) return;
      const bytes = Buffer.from(lines.join('\n') + '\n');
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
      position += bytes.length;
    },
    close() {
      closeSync(fd);
      if (mode === 'rewrite') renameSync(target, path);
    },
  };
}

/**
 * Puts lines in the run's order whatever order they arrive in: each point's line is held until
 * every point before it has been written, so a finished file is the same for any number of
 * workers. `flushAll` writes what is still held, in order, past any gap (a stopped run).
 */
export class OrderedLines {
  private readonly held = new Map<number, string>();
  private next = 0;

  constructor(
    /** The point indexes to write, in order. */
    private readonly order: readonly number[],
    private readonly sink: LineSink,
  ) {}

  add(index: number, line: string): void {
    this.held.set(index, line);
    const ready: string[] = [];
    while (this.next < this.order.length && this.held.has(this.order[this.next]!)) {
      const at = this.order[this.next++]!;
      ready.push(this.held.get(at)!);
      this.held.delete(at);
    }
    this.sink.write(ready);
  }

  /** Writes every line still held, in order; the points never run leave gaps. */
  flushAll(): void {
    const rest = this.order.slice(this.next).filter((index) => this.held.has(index));
    this.sink.write(rest.map((index) => this.held.get(index)!));
    this.held.clear();
    this.next = this.order.length;
  }
}

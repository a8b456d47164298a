import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagerSim } from './pager-sim.js';

const directory = mkdtempSync(join(tmpdir(), 'pager-sim-'));
function traceFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = runPagerSim(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

function json(...argv: string[]): Record<string, unknown> {
  const result = run(...argv, '--json');
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const textbook = traceFile('textbook.txt', '7\n0\n1\n2\n0\n3\n0\n4\n2\n3\n0\n3\n2\n1\n2\n0\n1\n7\n0\n1\n');
const belady = traceFile('belady.txt', [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5].join('\n') + '\n');

describe('pager-sim reproduces the oracle counts of shared/notes/oracles.md', () => {
  const oracle: [string, string, number, number][] = [
    [textbook, 'fifo', 3, 15],
    [textbook, 'lru', 3, 12],
    [textbook, 'opt', 3, 9],
    [belady, 'fifo', 3, 9],
    [belady, 'fifo', 4, 10],
    [belady, 'lru', 3, 10],
    [belady, 'lru', 4, 8],
    [belady, 'opt', 3, 7],
    [belady, 'opt', 4, 6],
  ];
  for (const [trace, policy, frames, misses] of oracle) {
    it(`${policy} with ${frames} frames on ${trace.endsWith('belady.txt') ? "Belady's string" : 'the textbook string'}: ${misses} misses`, () => {
      const result = json(trace, '--policy', policy, '--frames', String(frames));
      expect(result.misses).toBe(misses);
      expect(result.references).toBe(trace === textbook ? 20 : 12);
      expect(result.writebacks).toBe(0);
    });
  }
});

describe('pager-sim output', () => {
  it('prints a readable report', () => {
    const { status, stdout } = run(textbook, '--policy', 'lru', '--frames', '3');
    expect(status).toBe(0);
    expect(stdout).toContain('references:        20');
    expect(stdout).toContain('misses:            12 (6 compulsory)');
    expect(stdout).toContain('hit ratio:         0.400000');
    expect(stdout).toContain('evictions:         9');
    expect(stdout).toContain('write-backs:       0');
  });
  it('counts write-backs of stores and modifies in a lackey trace', () => {
    const lackey = traceFile('l.lackey', '==1== hi\n S 1000,4\n L 2000,4\n M 3000,4\nI  4000,4\nI  1000,2\n');
    const result = json(lackey, '--format', 'lackey', '--policy', 'fifo', '--frames', '1');
    // Pages 1 (dirty), 2, 3 (dirty: M is a load then a store), 4, 1: every miss but the M's store.
    expect(result).toMatchObject({ references: 6, misses: 5, evictions: 4, writebacks: 2, distinctPages: 4 });
  });
  it('skips and reports bad lines with --skip-bad-lines', () => {
    const path = traceFile('bad.txt', '1\nbogus\n2\n');
    expect(json(path, '--policy', 'fifo', '--frames', '2', '--skip-bad-lines')).toMatchObject({ references: 2, badLines: 1 });
    expect(run(path, '--policy', 'fifo', '--frames', '2', '--skip-bad-lines').stdout).toContain('bad lines skipped: 1');
  });
  it('prints usage with the allowed values and defaults for --help and -h, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h'], [textbook, '--bogus', '-h']]) {
      const result = run(...argv);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^usage: pager-sim <trace>/);
      expect(result.stdout).toContain('fifo, ');
      expect(result.stdout).toContain('(default 4096)');
      expect(result.stdout).toContain('1 to 4194304');
    }
  });
});

describe('pager-sim errors: one line `pager-sim: error: ...`, status 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown policy', [textbook, '--policy', 'lfu', '--frames', '3'], /^pager-sim: error: policy: unknown policy "lfu"/],
    ['zero frames', [textbook, '--policy', 'fifo', '--frames', '0'], /^pager-sim: error: frames: must be a positive integer up to 4194304, got 0$/],
    ['frames beyond the limit', [textbook, '--policy', 'fifo', '--frames', '99999999999'], /^pager-sim: error: frames: must be at most 4194304, got 99999999999$/],
    ['a seed beyond 32 bits', [textbook, '--policy', 'random', '--frames', '3', '--seed', '4294967296'], /^pager-sim: error: seed: must be at most 4294967295/],
    ['a non-numeric frame count', [textbook, '--policy', 'fifo', '--frames', 'many'], /^pager-sim: error: frames: must be a non-negative integer/],
    ['a page size that is not a power of two', [textbook, '--format', 'lackey', '--policy', 'fifo', '--frames', '3', '--page-size', '3000'], /^pager-sim: error: page-size: must be a power of two/],
    ['an unknown format', [textbook, '--format', 'csv', '--policy', 'fifo', '--frames', '3'], /^pager-sim: error: format: unknown format "csv"/],
    ['an unknown option', [textbook, '--policy', 'fifo', '--frames', '3', '--bogus'], /^pager-sim: error: bogus: unknown option --bogus$/],
    ['an option without its value', [textbook, '--frames', '3', '--policy'], /^pager-sim: error: policy: needs a value$/],
    ['no trace', ['--policy', 'fifo', '--frames', '3'], /^pager-sim: error: trace: expected exactly one trace file, got 0/],
    ['a missing file', [join(directory, 'nope.txt'), '--policy', 'fifo', '--frames', '3'], /^pager-sim: error: .*nope\.txt: no such file$/],
    ['a directory', [directory, '--policy', 'fifo', '--frames', '3'], /^pager-sim: error: .*is a directory$/],
    [
      'a lackey access larger than the limit',
      [traceFile('huge.lackey', ' L 1000,99999999\n'), '--format', 'lackey', '--policy', 'fifo', '--frames', '2'],
      /^pager-sim: error: .*huge\.lackey:1: access size 99999999 is larger than the limit of 65536 bytes/,
    ],
  ];
  for (const [what, argv, message] of cases) {
    it(`for ${what}`, () => {
      const result = run(...argv);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
  it('for a malformed line, naming file and line', () => {
    const path = traceFile('malformed.txt', '1\n2\n3,4\n');
    const result = run(path, '--policy', 'fifo', '--frames', '3');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`pager-sim: error: ${path}:3: unexpected text after the page number: "3,4"\n`);
  });
  it('counts an oversized lackey access as a bad line with --skip-bad-lines, and keeps the good ones', () => {
    const path = traceFile('huge-skip.lackey', ' L 1000,99999999\n L 2000,4\n S 10000000,65536\n');
    expect(json(path, '--format', 'lackey', '--policy', 'fifo', '--frames', '2', '--skip-bad-lines')).toMatchObject({ badLines: 1, references: 17 });
  });
  it('under another name (pagelab trace), names that command in its usage and errors', () => {
    let stdout = '';
    let stderr = '';
    const output = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
    expect(runPagerSim(['--help'], output, 'pagelab trace')).toBe(0);
    expect(stdout).toMatch(/^usage: pagelab trace <trace> --policy P --frames N/);
    expect(runPagerSim([textbook, '--frames', '3'], output, 'pagelab trace')).toBe(2);
    expect(stderr).toBe('pagelab: error: policy: missing (--policy P)\n');
  });
});

describe('the pager-sim bin', () => {
  const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/pager-sim.ts');
  const tsx = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules/.bin/tsx');
  // tsx compiles the sources on every start: 10 s and more when the full suite of several
  // worktrees shares two cores, so the limit only catches a hang.
  const exec = (...argv: string[]) =>
    spawnSync(tsx, ['--conditions=pagelab-source', bin, ...argv], { encoding: 'utf8', timeout: 120_000 });

  it('runs as a command and exits 0 with the JSON result', () => {
    const result = exec(belady, '--policy', 'fifo', '--frames', '4', '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ references: 12, misses: 10, writebacks: 0 });
  });
  it('exits 2 with one line and no stack trace on a malformed trace and on a huge frame count', () => {
    const result = exec(traceFile('bin-bad.txt', '1\nnope\n'), '--policy', 'fifo', '--frames', '2');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^pager-sim: error: .*bin-bad\.txt:2: expected a page number: "nope"\n$/);
    const huge = exec(belady, '--policy', 'fifo', '--frames', '99999999999');
    expect(huge.status).toBe(2);
    expect(huge.stderr).toBe('pager-sim: error: frames: must be at most 4194304, got 99999999999\n');
  });
  it('prints its usage for -h, exit 0', () => {
    const result = exec('-h');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: pager-sim <trace> --policy P --frames N \[options\]\n/);
  });
});

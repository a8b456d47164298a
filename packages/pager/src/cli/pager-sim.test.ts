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
  it('prints usage for --help', () => {
    expect(run('--help').stdout).toMatch(/^usage: pager-sim/);
  });
});

describe('pager-sim errors: one line, non-zero status', () => {
  const cases: [string, string[], RegExp, number][] = [
    ['an unknown policy', [textbook, '--policy', 'lfu', '--frames', '3'], /^error: policy: unknown policy "lfu"/, 2],
    ['zero frames', [textbook, '--policy', 'fifo', '--frames', '0'], /^error: frames: must be a positive integer, got 0/, 2],
    ['a non-numeric frame count', [textbook, '--policy', 'fifo', '--frames', 'many'], /^error: frames: must be a non-negative integer/, 2],
    ['a page size that is not a power of two', [textbook, '--format', 'lackey', '--policy', 'fifo', '--frames', '3', '--page-size', '3000'], /^error: page-size: must be a power of two/, 2],
    ['an unknown format', [textbook, '--format', 'csv', '--policy', 'fifo', '--frames', '3'], /^error: format: unknown format "csv"/, 2],
    ['an unknown option', [textbook, '--policy', 'fifo', '--frames', '3', '--bogus'], /^error: arguments: Unknown option '--bogus'/, 2],
    ['no trace', ['--policy', 'fifo', '--frames', '3'], /^error: trace: expected exactly one trace file, got 0/, 2],
    ['a missing file', [join(directory, 'nope.txt'), '--policy', 'fifo', '--frames', '3'], /^error: .*nope\.txt: no such file$/, 1],
    ['a directory', [directory, '--policy', 'fifo', '--frames', '3'], /is a directory$/, 1],
  ];
  for (const [what, argv, message, status] of cases) {
    it(`for ${what}`, () => {
      const result = run(...argv);
      expect(result.status).toBe(status);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
  it('for a malformed line, naming file and line', () => {
    const path = traceFile('malformed.txt', '1\n2\n3,4\n');
    const result = run(path, '--policy', 'fifo', '--frames', '3');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: ${path}:3: unexpected text after the page number: "3,4"\n`);
  });
});

describe('the pager-sim bin', () => {
  const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/pager-sim.ts');
  const tsx = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules/.bin/tsx');
  const exec = (...argv: string[]) =>
    spawnSync(tsx, ['--conditions=pagelab-source', bin, ...argv], { encoding: 'utf8', timeout: 30_000 });

  it('runs as a command and exits 0 with the JSON result', () => {
    const result = exec(belady, '--policy', 'fifo', '--frames', '4', '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ references: 12, misses: 10, writebacks: 0 });
  });
  it('exits non-zero with one line and no stack trace on a malformed trace', () => {
    const result = exec(traceFile('bin-bad.txt', '1\nnope\n'), '--policy', 'fifo', '--frames', '2');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*bin-bad\.txt:2: expected a page number: "nope"\n$/);
  });
});

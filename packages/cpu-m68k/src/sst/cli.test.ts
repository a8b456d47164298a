import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBSET_DIRECTORY } from './locate.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
/** Runs the real command from source, as `pnpm sst` does, with the given $PAGELAB_SST_DIR. */
const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PAGELAB_SST_DIR: dir },
  });

describe('the sst command as a process', () => {
  it('without a directory, says which set it ran and ends with N passed, M failed', () => {
    const r = run(SUBSET_DIRECTORY, '', 'MOVE.q');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`SingleStepTests: the named set, ${SUBSET_DIRECTORY} ($PAGELAB_SST_DIR)`);
    expect(lines[1]).toBe('engine: translate');
    expect(lines[2]).toMatch(/^MOVE\.q +200\/200 +200 \(100\.0%\)$/);
    expect(lines).toContain('blocks compiled: 200');
    expect(lines.at(-1)).toBe('200 passed, 0 failed');
  });

  it('runs the cases on the interpreter with --interpret', () => {
    const r = run(SUBSET_DIRECTORY, '', 'MOVE.q', '--interpret');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('engine: interpret');
    expect(lines.some((line) => line.startsWith('blocks compiled'))).toBe(false);
    expect(lines.at(-1)).toBe('200 passed, 0 failed');
  });

  it('stops quietly when its reader closes the pipe (sst | head -1)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" --import tsx --conditions=pagelab-source "${cli}" | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, PAGELAB_SST_DIR: SUBSET_DIRECTORY },
    });
    expect(r.stdout).toBe(`SingleStepTests: the named set, ${SUBSET_DIRECTORY} ($PAGELAB_SST_DIR)\n`);
    expect(r.stderr).toBe('');
  });

  it('fails with one error line and status 2 when the named set is missing', () => {
    const r = run('/nonexistent/sst');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sst: error: PAGELAB_SST_DIR=/nonexistent/sst: no such directory (it should name the v1 folder of SingleStepTests/m68000)\n');
  });

  it('prints its usage for --help and -h, exit 0, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h', '--bogus']]) {
      const r = run(SUBSET_DIRECTORY, ...argv);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: sst \[directory\] \[name-filter\] \[options\]\n/);
      expect(r.stdout).toContain('(default 0)');
    }
  });

  it.each([
    [['/nonexistent/sst'], 'sst: error: directory /nonexistent/sst: no such directory (sst --help)\n'],
    [['', '--bogus'], 'sst: error: unknown option --bogus (sst --help lists them)\n'],
    [['', 'MOVE.q', '--show', 'many'], 'sst: error: --show: expected a non-negative integer, got "many"\n'],
    [['', 'MOVE.q', 'extra'], "sst: error: unexpected argument 'extra'\n"],
  ])('refuses %j in one line, status 2', (argv, message) => {
    const r = run(SUBSET_DIRECTORY, ...argv);
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(2);
  });
});

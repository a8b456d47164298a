import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SUBSET_DIRECTORY } from '../sst/locate.js';

const cli = fileURLToPath(new URL('./ambiguity-cli.ts', import.meta.url));
/** Runs `pnpm ambiguity-table` from source with the given $PAGELAB_SST_DIR. */
const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PAGELAB_SST_DIR: dir },
  });

describe('ambiguity-table --sst as a process', () => {
  it('says which set and which cases it measured, and prints one row per model and the forms behind the ambiguity', () => {
    const r = run(SUBSET_DIRECTORY, '--sst', '--every', '100');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    // Every 100th of the 200 cases of each of the 127 files.
    expect(lines[0]).toBe(`254 SingleStepTests cases (every 100th of named set ${SUBSET_DIRECTORY}, found as $PAGELAB_SST_DIR): every memory reference of each case faulted in turn, software restart built for each model:`);
    for (const model of ['m68000', 'pc-only', 'm68010-hidden']) expect(lines.some((l) => l.startsWith(`| \`${model}\` | 254 |`))).toBe(true);
    expect(r.stdout).toContain('Instruction forms with the most ambiguous or unrecoverable faults');
  }, 180_000);

  it('refuses a bad option value or an unknown option with one line and status 2', () => {
    for (const [args, message] of [
      [['--sst', '--every', '0'], 'ambiguity-table: error: --every: expected an integer from 1 to 1000, got 0\n'],
      [['--sst', '--seeds', '2'], 'ambiguity-table: error: unknown option --seeds (--seeds N, --rate R; or --sst, --every N)\n'],
    ] as const) {
      const r = run(SUBSET_DIRECTORY, ...args);
      expect([r.status, r.stderr, r.stdout]).toEqual([2, message, '']);
    }
  }, 180_000);

  it('says so, in one line, when the named set is not there', () => {
    const r = run('/nonexistent/sst', '--sst');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe('ambiguity-table: error: PAGELAB_SST_DIR=/nonexistent/sst: no such directory (it should name the v1 folder of SingleStepTests/m68000)\n');
  }, 180_000);
});

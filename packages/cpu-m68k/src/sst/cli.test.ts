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
    expect(lines[1]).toMatch(/^MOVE\.q +200\/200 +200 \(100\.0%\)$/);
    expect(lines.at(-1)).toBe('200 passed, 0 failed');
  });

  it('fails with one error line and status 2 when the named set is missing', () => {
    const r = run('/nonexistent/sst');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sst: error: PAGELAB_SST_DIR=/nonexistent/sst: no such directory (it should name the v1 folder of SingleStepTests/m68000)\n');
  });
});

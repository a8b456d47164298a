import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
/** Runs the real executable from source, as `node` would run the built one. */
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', bin, ...args], { encoding: 'latin1' });

describe('bin.ts as a process', () => {
  it('passes the program output through and exits with its status', () => {
    const r = run(`${fixtures}out/numsort.elf`, '--stdin', `${fixtures}input/numsort.txt`);
    expect(r.stdout).toBe(readFileSync(`${fixtures}out/numsort.expected`, 'latin1'));
    expect(r.status).toBe(0);
    expect(run(`${fixtures}out/recurse.elf`).status).toBe(3);
  });

  it('prints one error line and exits 2 for a missing file, no stack trace', () => {
    const r = run('/nonexistent/prog.elf');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('m68k-run: error: program /nonexistent/prog.elf: no such file\n');
  });
});

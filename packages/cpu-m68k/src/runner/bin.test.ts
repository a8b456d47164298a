import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
/** Runs the real executable from source, as `node` would run the built one. */
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', bin, ...args], { encoding: 'latin1', timeout: 60_000 });

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

  it('prints its usage with allowed values and defaults for --help and -h, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(flag);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^usage: m68k-run <prog\.elf> \[options\]\n/);
      expect(r.stdout).toContain('m68000, m68010-hidden, pc-only or m68010-continuation (default m68000)');
      expect(r.stdout).toContain('(default 2000000000)');
    }
  });

  it('streams --stdin /dev/zero instead of reading it whole: the instruction limit ends the run, exit 1', () => {
    const r = run(`${fixtures}out/wc.elf`, '--stdin', '/dev/zero', '--max-instructions', '2000000');
    expect(r.stderr).toBe('m68k-run: error: gave up after 2000000 instructions\n');
    expect(r.status).toBe(1);
  });

  it('refuses a bad option value in one line, status 2', () => {
    const r = run(`${fixtures}out/wc.elf`, '--max-instructions', '0');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('m68k-run: error: --max-instructions: expected an integer from 1 to 1000000000000, got "0"\n');
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('./cli.ts', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', bin, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('the m68k-sst bin as a process', () => {
  it('prints its usage for --help and -h, exit 0, whatever else is on the line', () => {
    for (const argv of [['--help'], ['-h', '--bogus']]) {
      const r = run(...argv);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: m68k-sst <directory> \[name-filter\] \[options\]\n/);
      expect(r.stdout).toContain('(default 0)');
    }
  });

  it.each([
    [['/nonexistent/sst'], 'm68k-sst: error: directory /nonexistent/sst: no such directory\n'],
    [['.', '--bogus'], 'm68k-sst: error: unknown option --bogus (m68k-sst --help lists them)\n'],
    [['.', '--show', 'many'], 'm68k-sst: error: --show: expected a non-negative integer, got "many"\n'],
    [[bin], `m68k-sst: error: directory ${bin}: not a directory\n`],
  ])('refuses %j in one line, status 2', (argv, message) => {
    const r = run(...argv);
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(2);
  });
});

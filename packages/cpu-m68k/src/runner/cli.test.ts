import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliEnvironment } from './cli.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function fakeEnv(files: Record<string, Uint8Array> = {}): CliEnvironment & { out: string; err: string } {
  const env = {
    out: '',
    err: '',
    readFile(path: string): Uint8Array {
      return files[path] ?? new Uint8Array(readFileSync(path));
    },
    writeStdout(bytes: Uint8Array) {
      env.out += Buffer.from(bytes).toString('latin1');
    },
    writeStderr(text: string) {
      env.err += text;
    },
    now: () => 0,
  };
  return env;
}

describe('m68k-run', () => {
  it('runs a program, prints its output and returns its exit status', () => {
    const env = fakeEnv();
    expect(runCli([`${fixtures}out/recurse.elf`], env)).toBe(3);
    expect(env.out).toBe(readFileSync(`${fixtures}out/recurse.expected`, 'latin1'));
    expect(env.err).toBe('');
  });

  it('feeds --stdin to read(0) and reports --stats on stderr', () => {
    const env = fakeEnv();
    expect(runCli([`${fixtures}out/wc.elf`, '--stdin', `${fixtures}input/wc.txt`, '--stats', '--cpu-model', 'm68010-hidden'], env)).toBe(0);
    expect(env.out).toBe(readFileSync(`${fixtures}out/wc.expected`, 'latin1'));
    expect(env.err).toMatch(/^m68k-run: \d+ instructions, \d+ cycles, [\d.]+ s, \d+ instructions\/s, \d+ blocks translated\n$/);
  });

  const refusals: [string, string[], RegExp][] = [
    ['a missing program', ['/nonexistent/prog.elf'], /^m68k-run: error: program \/nonexistent\/prog\.elf: no such file\n$/],
    ['a file that is not ELF', [`${fixtures}build.sh`], /^m68k-run: error: .*build\.sh: not an ELF file/],
    ['a missing stdin file', [`${fixtures}out/wc.elf`, '--stdin', '/nonexistent/in'], /^m68k-run: error: stdin file \/nonexistent\/in: no such file\n$/],
    ['no program', [], /^m68k-run: error: no program given \(usage: m68k-run <prog\.elf> \[options\]\)\n$/],
    ['an unknown option', ['--fast', 'x.elf'], /^m68k-run: error: unknown option '--fast' \(m68k-run --help lists them\)\n$/],
    ['an unknown model', ['--cpu-model', 'm68020', 'x.elf'], /^m68k-run: error: --cpu-model: unknown CPU model 'm68020' \(m68000, m68010-hidden, pc-only or m68010-continuation\)\n$/],
    ['a missing option value', ['x.elf', '--stdin'], /^m68k-run: error: --stdin needs a value\n$/],
    ['a second program', ['x.elf', 'y.elf'], /^m68k-run: error: unexpected argument 'y\.elf': one program at a time\n$/],
  ];
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what} with one error line and exit 2`, () => {
      const env = fakeEnv();
      expect(runCli(argv, env)).toBe(2);
      expect(env.err).toMatch(message);
      expect(env.err).not.toMatch(/\n\s+at /); // never a stack trace
      expect(env.out).toBe('');
    });
  }

  it('refuses a 68000 ELF whose machine field says x86-64', () => {
    const elf = new Uint8Array(readFileSync(`${fixtures}out/sort.elf`));
    elf[19] = 62;
    const env = fakeEnv({ 'bad.elf': elf });
    expect(runCli(['bad.elf'], env)).toBe(2);
    expect(env.err).toMatch(/^m68k-run: error: bad\.elf: wrong machine: x86-64/);
  });

  it('reports a program that dies (an illegal instruction) with exit 1', () => {
    const elf = new Uint8Array(readFileSync(`${fixtures}out/sort.elf`));
    // The first instruction (jsr _cstart at file offset 0x1000) becomes ILLEGAL.
    elf[0x1000] = 0x4a;
    elf[0x1001] = 0xfc;
    const env = fakeEnv({ 'ill.elf': elf });
    expect(runCli(['ill.elf'], env)).toBe(1);
    expect(env.err).toBe('m68k-run: error: illegal instruction exception\n');
  });
});

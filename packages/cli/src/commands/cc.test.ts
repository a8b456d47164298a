/**
 * Users' own programs, end to end, as a user runs them: `pagelab cc` (a spawned process)
 * builds C programs written for this test against the shipped runtime; qemu-m68k -cpu m68000
 * is the oracle; `pagelab run` with 8 frames and `m68k-run` must print exactly what it
 * printed. Needs Debian's gcc-m68k-linux-gnu, binutils-m68k-linux-gnu and qemu-user, and
 * fails (never skips) without them.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';

const here = dirname(fileURLToPath(import.meta.url));
const programs = join(here, '../../test-programs');
const pagelabBin = join(here, '../bin/pagelab.ts');
const m68kRunBin = join(here, '../../../cpu-m68k/src/runner/bin.ts');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-cc-test-'));

/** Compiling and emulating in spawned processes takes long on a loaded machine. */
const SLOW = 300_000;

/** Runs a TypeScript bin from source, as `node` runs the built one. */
function bin(path: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', path, ...args], {
    encoding: 'latin1',
    env,
    maxBuffer: 64 * 1024 * 1024,
    ...(input !== undefined ? { input } : {}),
  });
}

const tools = [
  ['m68k-linux-gnu-gcc', 'gcc-m68k-linux-gnu'],
  ['m68k-linux-gnu-objdump', 'binutils-m68k-linux-gnu'],
  ['qemu-m68k', 'qemu-user'],
] as const;

/** Deterministic text: words from a list, chosen unevenly by an LCG, in lines of about 70 columns. */
function makeText(bytes: number): string {
  const words = ['the', 'pager', 'frame', 'fault', 'victim', 'clock', 'a', 'of', 'to', 'in', 'DMA', 'bounce', 'pin', 'Buffer', 'kernel', 'restart', 'instruction', 'backup', 'page', 'table', 'translation', 'lookaside', 'Motorola', 'microcode', 'exception', 'supervisor', 'working', 'set', 'thrashing', 'locality'];
  let state = 2026;
  let text = '';
  let column = 0;
  while (text.length < bytes) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const r = (state >>> 16) % 1000;
    const word = words[words.length - 1 - Math.min(Math.floor(Math.sqrt((r * words.length * words.length) / 1000)), words.length - 1)]!;
    text += word;
    column += word.length + 1;
    if (column > 70) {
      text += state & 1 ? '.\n' : '\n';
      column = 0;
    } else {
      text += state & 0x100 ? ', ' : ' ';
    }
  }
  return text.slice(0, bytes);
}

/** `pagelab` in this process (the spawned bin is tested on the user's program; this is quicker). */
async function pagelab(argv: readonly string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const status = await runPagelab(argv, { stdout: () => {}, stderr: (t) => void (stderr += t), interactive: false });
  return { status, stderr };
}

/** Builds `sources` with `pagelab cc` (spawned, or in this process) into the scratch directory and returns the ELF's path. */
async function cc(name: string, sources: readonly string[], flags: readonly string[], how: 'spawned' | 'in-process'): Promise<string> {
  const elf = join(scratch, `${name}.elf`);
  const argv = ['cc', ...sources, '-o', elf, ...flags];
  const r = how === 'spawned' ? bin(pagelabBin, argv) : await pagelab(argv);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return elf;
}

beforeAll(() => {
  for (const [command, debianPackage] of tools) {
    const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) {
      throw new Error(`${command} is not installed: these tests need Debian's ${debianPackage} (apt-get install -y --no-install-recommends gcc-m68k-linux-gnu binutils-m68k-linux-gnu qemu-user)`);
    }
  }
}, 300_000);

describe('a program of the user\'s (printf, malloc, read) built with pagelab cc', () => {
  const inputPath = join(scratch, 'words.txt');
  let elf = '';
  let oracle: { stdout: string; status: number | null } = { stdout: '', status: null };

  beforeAll(async () => {
    writeFileSync(inputPath, makeText(20_000));
    elf = await cc('wordfreq', [join(programs, 'wordfreq.c')], ['-O2'], 'spawned');
    const q = spawnSync('qemu-m68k', ['-cpu', 'm68000', elf], { input: readFileSync(inputPath), encoding: 'latin1' });
    oracle = { stdout: q.stdout, status: q.status };
  }, SLOW);

  it('runs under qemu-m68k -cpu m68000 (the oracle) and reads all its input', () => {
    expect(oracle.stdout).toMatch(/^20000 bytes in \d+ reads, \d+ lines, \d+ words, \d+ distinct\n/);
    expect(oracle.stdout).toMatch(/reuse ok\n$/);
    expect(oracle.status).toBeGreaterThanOrEqual(0);
  });

  it.each(['pin', 'bounce'])('pagelab run --frames 8 --io %s prints what qemu printed, with heavy paging', (io) => {
    const r = bin(pagelabBin, ['run', elf, '--stdin', inputPath, '--frames', '8', '--io', io]);
    expect(r.stdout).toBe(oracle.stdout);
    expect(r.status).toBe(oracle.status);
    const faults = Number(/^page faults\s+([\d,]+)/m.exec(r.stderr)?.[1]?.replace(/,/g, ''));
    expect(faults).toBeGreaterThan(1000);
    expect(r.stderr).toMatch(/corruption events\s+0 /);
  }, SLOW);

  it('m68k-run prints what qemu printed and exits with the same status', () => {
    const r = bin(m68kRunBin, [elf, '--stdin', inputPath]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(oracle.stdout);
    expect(r.status).toBe(oracle.status);
  }, SLOW);
});

describe('the runtime agrees with glibc', () => {
  it('printf, string, number and allocation functions print what the host glibc printed for the same source, at -O0 and -O2', async () => {
    const expected = readFileSync(join(programs, 'libc-check.expected'), 'latin1');
    for (const level of ['-O0', '-O2']) {
      const elf = await cc(`libc-check${level}`, [join(programs, 'libc-check.c')], [level], 'in-process');
      const q = spawnSync('qemu-m68k', ['-cpu', 'm68000', elf], { encoding: 'latin1' });
      expect(q.stdout).toBe(expected);
      const r = bin(m68kRunBin, [elf]);
      expect(r.stdout).toBe(expected);
      expect(r.status).toBe(0);
    }
  }, SLOW);
});

describe('pagelab cc refuses what a 68000 cannot run, and says why in one line', () => {
  const source = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };

  it('a 68020-only instruction (divs.l, as Debian\'s libgcc has): status 2, no output file', async () => {
    const elf = join(scratch, 'divsl.elf');
    const r = await pagelab(['cc', source('divsl.c', 'int main(void) { __asm__ volatile(".word 0x4c41, 0x0800"); return 0; }\n'), '-o', elf]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pagelab: error: cc: .*divsl\.elf contains a 68020-only instruction \("divsll %d1,%d0,%d0" at 0x[0-9a-f]+ in main\), which a 68000 cannot run; it was not written\n$/);
    expect(existsSync(elf)).toBe(false);
  }, SLOW);

  it('a long store at an odd stack offset (gcc 12 does this for initialised char arrays): status 2, no output file', async () => {
    const elf = join(scratch, 'odd.elf');
    const text = [
      '#include <stdio.h>',
      '__attribute__((noinline)) static void show(const char *s) { puts(s); }',
      '__attribute__((noinline)) static void greet(void) { char s[13] = "abcdefghijkl"; show(s); }',
      'int main(void) { greet(); return 0; }',
      '',
    ].join('\n');
    const r = await pagelab(['cc', source('odd.c', text), '-o', elf, '-O2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pagelab: error: cc: .*odd\.elf would take an address error on a 68000: a word or long access at an odd stack offset \("movel #\d+,%fp@\(-\d*[13579]\)" at 0x[0-9a-f]+ in greet\); make that local array static or give it __attribute__\(\(aligned\(2\)\)\); it was not written\n$/);
    expect(existsSync(elf)).toBe(false);
  }, SLOW);

  it('no compiler on PATH: status 2 and the Debian package to install', () => {
    const r = bin(pagelabBin, ['cc', source('ok.c', 'int main(void) { return 0; }\n'), '-o', join(scratch, 'ok.elf')], { ...process.env, PATH: '/nonexistent' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("pagelab: error: m68k-linux-gnu-gcc not found: install Debian's gcc-m68k-linux-gnu (apt-get install gcc-m68k-linux-gnu binutils-m68k-linux-gnu)\n");
  }, SLOW);

  it('a compile error: gcc\'s messages, then one error line, status 2', async () => {
    const r = await pagelab(['cc', source('broken.c', 'int main(void) { return undeclared; }\n'), '-o', join(scratch, 'broken.elf')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.c:1:\d+: error: \S+undeclared\S+ undeclared/);
    expect(r.stderr).toMatch(/\npagelab: error: cc: m68k-linux-gnu-gcc failed \(status 1\); its messages are above\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, SLOW);

  it.each([
    [['cc'], /^pagelab: error: cc: expected at least one source file/],
    [['cc', 'x.c'], /^pagelab: error: cc: expected -o PROG\.elf\n$/],
    [['cc', 'x.c', '-o'], /^pagelab: error: -o needs a value\n$/],
    [['cc', 'x.c', '-o', 'x.elf', '-m68020'], /^pagelab: error: cc: unknown option "-m68020"/],
    [['cc', 'x.c', '-o', 'x.elf', '-Wa,-m68020'], /^pagelab: error: cc: unknown option "-Wa,-m68020"/],
    [['cc', 'prog.o', '-o', 'x.elf'], /^pagelab: error: cc: prog\.o: expected a C \(\.c\) or assembly \(\.S, \.s\) source file\n$/],
    [['cc', '/no/such/dir/prog.c', '-o', 'x.elf'], /^pagelab: error: cc: \/no\/such\/dir\/prog\.c: no such file\n$/],
    [['cc', join(programs, 'wordfreq.c'), '-o', '/no/such/dir/prog.elf'], /^pagelab: error: cc: output \/no\/such\/dir\/prog\.elf: no such directory\n$/],
  ])('bad usage %j', async (argv, message) => {
    const { status, stderr } = await pagelab(argv);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  }, SLOW);
});

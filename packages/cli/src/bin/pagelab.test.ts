import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('./pagelab.ts', import.meta.url));
/** The real executable, run from source as `node` runs the built one. */
const pagelab = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', bin, ...args], { encoding: 'utf8', timeout: 60_000 });
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-bin-'));

describe('pagelab --help on every command, through the bin', () => {
  it.each([
    [['--help'], /^usage: pagelab <command> \[options\]\ncommands:\n {2}run <prog\.elf>\.\.\. +run 68000 programs/, ['compare <scenario.json|NAME>', 'trace <trace|NAME>']],
    [['run', '--help'], /^usage: pagelab run <prog\.elf>\.\.\. \[options\]\n/, ['(default 64)', '(default 4096)', 'pin, bounce, unprotected, hybrid (default pin)', '(default clock)', '-h, --help']],
    [['compare', '-h'], /^usage: pagelab compare <scenario\.json\|NAME> \[options\]\n/, ['(default unprotected,pin,bounce,hybrid', "(default: the scenario's system.restart", '--list', 'pagelab compare --list']],
    [['trace', '--help'], /^usage: pagelab trace <trace\|NAME> --policy LIST --frames LIST \[options\]\n/, ['(default 4096)', 'pages or lackey (default pages)', '--part replacement-policy=MODULE', 'pagelab trace --list', '`pagelab: error: ...`']],
    [['help', 'run'], /^usage: pagelab run /, []],
  ])('%j prints its usage on stdout, exit 0', (argv, start, mentions) => {
    const r = pagelab(...argv);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(start);
    for (const text of mentions) expect(r.stdout).toContain(text);
  });
});

describe('pagelab errors through the bin: one line `pagelab: error: ...`, status 2', () => {
  it.each([
    [[], /^pagelab: error: no command given; `pagelab --help` lists the commands\n$/],
    [['trace', join(scratch, 'missing.txt'), '--policy', 'fifo', '--frames', '2'], /^pagelab: error: .*missing\.txt: no such file\n$/],
    [['run', '--frames', '1048576', '--page-size', '65536', 'x.elf'], /^pagelab: error: frames: 1048576 frames of 65536 bytes are 68719476736 bytes of physical memory; the limit is 268435456 \(4096 frames of this size\)\n$/],
    [['compare', '--io'], /^pagelab: error: io: needs a value\n$/],
  ])('%j', (argv, message) => {
    const r = pagelab(...argv);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
  });
});

describe('pagelab run --stdin /dev/zero through the bin (issue 8 item 16)', () => {
  it('streams the endless input instead of reading it whole: the cycle bound ends the run, status 124', () => {
    const readsum = fileURLToPath(new URL('../../../kernel/fixtures/bin/readsum.elf', import.meta.url));
    const r = pagelab('run', readsum, '--stdin', '/dev/zero', '--max-cycles', '3000000', '--json');
    // With --json, stdout holds only the deterministic report; host time goes to stderr.
    expect(r.stderr).toMatch(/^host time \d+ ms\n$/);
    expect(r.status).toBe(124);
    const report = JSON.parse(r.stdout) as { processes: { status: string }[] };
    expect(report.processes[0]!.status).toBe('running');
  });
});

describe('the translator and the interpreter through the bin', () => {
  const readsum = fileURLToPath(new URL('../../../kernel/fixtures/bin/readsum.elf', import.meta.url));
  const sort = fileURLToPath(new URL('../../../cpu-m68k/fixtures/out/sort.elf', import.meta.url));
  const input = fileURLToPath(new URL('../../../kernel/fixtures/input.txt', import.meta.url));

  it('`pagelab run --json` prints the same report, byte for byte, with --interpret (faults, restarts and DMA included)', () => {
    for (const restart of ['hardware', 'software']) {
      const argv = ['run', readsum, sort, '--stdin', input, '--frames', '12', '--restart', restart, '--json'];
      const translated = pagelab(...argv);
      const interpreted = pagelab(...argv, '--interpret');
      expect(translated.status, translated.stderr).toBe(0);
      expect(interpreted.stdout).toBe(translated.stdout);
      const report = JSON.parse(translated.stdout) as { pageFaults: number; restarts: number; exitCodes: number[] };
      expect(report.exitCodes).toEqual([0, 0]);
      expect(report.pageFaults).toBeGreaterThan(20);
      expect(report.restarts).toBeGreaterThan(10);
    }
  });

  it('`pagelab compare --json` gives the same rows with --interpret', () => {
    const argv = ['compare', 'dma-vs-replacement', '--json', '--max-cycles', '20000000'];
    const translated = pagelab(...argv);
    const interpreted = pagelab(...argv, '--interpret');
    expect(translated.stdout.length).toBeGreaterThan(100);
    expect(interpreted.stdout).toBe(translated.stdout);
  });
});

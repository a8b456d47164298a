import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const scenario = join(repo, 'docs', 'experiments', 'load-control.json');
const out = join(repo, 'packages', 'cpu-m68k', 'fixtures', 'out');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-load-control-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

interface Run {
  restart: string;
  loadControl: boolean;
  correctOutputs: number;
  checkedOutputs: number;
  exitCodes: (number | null)[];
  loadControlSuspensions: number;
  loadControlResumes: number;
  loadControlPagesSwappedOut: number;
  loadControlSuspendedCycles: number;
  idleCycles: number;
  swapCycles: number;
  simulatedCycles: number;
  processes: { name: string; killed: string | null; outputMatchesExpected: boolean }[];
}

describe('pagelab compare --load-control: the nine compiled programs in 14 frames', () => {
  it('completes all nine with qemu-m68k\'s output and exit status under both restarts with load control on, and not with it off', async () => {
    const { status, stdout, stderr } = await capture(['compare', scenario, '--io', 'pin', '--restart', 'hardware,software', '--load-control', 'off,on', '--json']);
    expect(status, stderr).toBe(0);
    const runs = (JSON.parse(stdout) as { runs: Run[] }).runs;
    expect(runs.map((r) => [r.restart, r.loadControl])).toEqual([
      ['hardware', false],
      ['software', false],
      ['hardware', true],
      ['software', true],
    ]);
    const exits = ['crc32', 'divide', 'movem', 'numsort', 'recurse', 'sort', 'strings', 'switch', 'wc'].map((name) => Number(readFileSync(join(out, `${name}.exit`), 'utf8').trim()));
    for (const r of runs.filter((run) => run.loadControl)) {
      expect(r.checkedOutputs).toBe(9);
      expect(r.correctOutputs).toBe(9);
      expect(r.exitCodes).toEqual(exits);
      for (const p of r.processes) {
        expect(p.killed, p.name).toBeNull();
        expect(p.outputMatchesExpected, p.name).toBe(true);
      }
      expect(r.loadControlSuspensions).toBeGreaterThan(0);
      expect(r.loadControlResumes).toBe(r.loadControlSuspensions);
      expect(r.loadControlPagesSwappedOut).toBeGreaterThan(0);
      expect(r.idleCycles + r.swapCycles).toBeLessThan(r.simulatedCycles);
    }
    for (const r of runs.filter((run) => !run.loadControl)) {
      expect(r.correctOutputs).toBeLessThan(9);
      expect(r.processes.some((p) => p.killed?.startsWith('SIGKILL: livelock') === true)).toBe(true);
      expect(r.loadControlSuspensions).toBe(0);
    }
  });

  it('prints the setting as a column, and load control\'s counters beside it', async () => {
    const { status, stdout } = await capture(['compare', scenario, '--io', 'pin', '--load-control', 'on']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\nio \/ restart +load control +faults .* +sim cycles +idle cyc +swap cyc +suspended +resumed +swapped out +suspended cyc +output ok +killed\n/);
    expect(stdout).toMatch(/\npin \/ hardware +on +[\d,]+ .* 9\/9 +0\n/);
  });

  it('leaves the table as it was when load control is not swept', async () => {
    const { stdout } = await capture(['compare', scenario, '--io', 'pin']);
    expect(stdout).not.toMatch(/load control|suspended/);
  });
});

describe('pagelab run --load-control', () => {
  it('runs the programs side by side and reports load control in the summary', async () => {
    const programs = ['crc32', 'sort', 'divide', 'recurse', 'movem'].map((name) => join(out, `${name}.elf`));
    const { status, stdout, stderr } = await capture(['run', ...programs, '--frames', '10', '--load-control', 'on']);
    // recurse exits with 3 as under qemu, and nothing is killed; the first program's status is the command's.
    expect(status, stderr).toBe(0);
    expect(stdout).toContain(readFileSync(join(out, 'sort.expected'), 'utf8'));
    expect(stderr).toMatch(/\nload control +\d+ suspensions, \d+ resumes, \d+ pages swapped out, [\d,]+ cycles suspended\n/);
    expect(stderr).not.toMatch(/killed/);
  });

  it.each([
    [['run', '--load-control', 'maybe', join(out, 'sort.elf')], /^pagelab: error: loadControl: expected "off", "on" or an object \{ rule, upper, lower, window \}, got "maybe"\n$/],
    [['compare', scenario, '--load-control', 'sometimes'], /^pagelab: error: load-control: unknown "sometimes"; expected a comma-separated list of off, on\n$/],
    [['compare', file('bad-rule.json', JSON.stringify({ system: { loadControl: { rule: 'lru' } }, processes: [{ name: 'p', synthetic: { pattern: 'loop', pages: 2, references: 10 } }] }))], /bad-rule\.json: system\.loadControl\.rule: expected one of working-set, pff, got "lru"\n$/],
    [['compare', file('bad-bounds.json', JSON.stringify({ system: { loadControl: { rule: 'pff', upper: 1, lower: 3 } }, processes: [{ name: 'p', synthetic: { pattern: 'loop', pages: 2, references: 10 } }] }))], /bad-bounds\.json: system\.loadControl\.lower: must not be above loadControl\.upper \(1\), got 3\n$/],
  ])('%j is one line and status 2', async (argv, message) => {
    const { status, stdout, stderr } = await capture(argv);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^pagelab: error: /);
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
  });
});

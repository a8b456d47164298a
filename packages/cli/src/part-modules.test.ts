import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from './main.js';
import { compareScenario, LAB_PART } from './commands/compare.js';
import { loadPartModules, parsePartFlags } from './part-modules.js';
import { loadScenario } from './scenario.js';

const experiments = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'experiments');

/**
 * A lab's I/O strategy, written as a student would in plain JavaScript against the published
 * contract only (no import of pagelab at all): the shipped example part, which pins the buffer's
 * frames for the transfer and refuses with ENOMEM when the lock quota says no, under a student's name.
 */
const labStrategy = readFileSync(join(experiments, 'parts', 'pin-for-transfer.mjs'), 'utf8').replace("name: 'pin-for-transfer'", "name: 'student-pinner'");

const lab = mkdtempSync(join(tmpdir(), 'pagelab-lab-'));
mkdirSync(join(lab, 'parts'));
const module = (name: string, text: string) => {
  writeFileSync(join(lab, 'parts', name), text);
  return join(lab, 'parts', name);
};
const strategyPath = module('student-pinner.mjs', labStrategy);

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

describe('--part SEAM=MODULE', () => {
  it('parses repeated flags, the last for a seam winning, and names a wrong one', () => {
    expect(parsePartFlags(['io-strategy=./a.js', 'pager=lab-pager', 'io-strategy=./b.js'])).toEqual({ 'io-strategy': './b.js', pager: 'lab-pager' });
    expect(() => parsePartFlags(['scheduler=./s.js'])).toThrow(/^part: "scheduler=.\/s.js": unknown seam "scheduler"; expected SEAM=MODULE with SEAM one of replacement-policy, pager/);
    expect(() => parsePartFlags(['pager='])).toThrow(/expected SEAM=MODULE/);
  });

  it('runs the shipped DMA experiment with a lab strategy, reported under its own name', async () => {
    const { status, stdout, stderr } = await capture(['compare', join(experiments, 'dma-vs-replacement.json'), '--part', `io-strategy=${strategyPath}`, '--json']);
    // With --json, stderr holds only the host time of each run (kept out of the reproducible JSON).
    expect(stderr).toMatch(/^([\w-]+ \/ \w+: \d+ ms of host time\n)+$/);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { runs: { io: string; restart: string; corruptionEvents: number; correctOutputs: number; checkedOutputs: number }[] };
    expect(result.runs.map((r) => r.io)).toEqual(['student-pinner']);
    expect(result.runs[0]!.corruptionEvents).toBe(0);
    expect(result.runs[0]!.correctOutputs).toBe(result.runs[0]!.checkedOutputs);
    const table = await capture(['compare', join(experiments, 'dma-vs-replacement.json'), '--part', `io-strategy=${strategyPath}`]);
    expect(table.stdout).toMatch(/\nstudent-pinner \/ hardware +\d/);
  });

  it('takes parts from the scenario, relative to it, and --part overrides them', async () => {
    const scenario = join(lab, 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        system: { frames: 24, bounceFrames: 2, restart: 'none' },
        parts: { 'io-strategy': './parts/student-pinner.mjs' },
        files: { '/data': 'scenario.json' },
        processes: [{ name: 'reader', synthetic: { pattern: 'loop', pages: 8, references: 1000, io: { every: 200, bytes: 100, file: '/data' } } }],
      }),
    );
    const fromScenario = await capture(['compare', scenario, '--json']);
    expect(fromScenario.status).toBe(0);
    expect((JSON.parse(fromScenario.stdout) as { runs: { io: string }[] }).runs.map((r) => r.io)).toEqual(['student-pinner']);
    const renamed = module('renamed.mjs', labStrategy.replace("'student-pinner'", "'second-try'"));
    const overridden = await capture(['compare', scenario, '--part', `io-strategy=${renamed}`, '--json']);
    expect((JSON.parse(overridden.stdout) as { runs: { io: string }[] }).runs.map((r) => r.io)).toEqual(['second-try']);
  });

  it('takes a path without ./ as a file when there is one there, and as a package name otherwise', async () => {
    const scenario = join(lab, 'bare-path.json');
    const write = (part: string) =>
      writeFileSync(
        scenario,
        JSON.stringify({
          system: { frames: 24, bounceFrames: 2, restart: 'none' },
          parts: { 'io-strategy': part },
          files: { '/data': 'bare-path.json' },
          processes: [{ name: 'reader', synthetic: { pattern: 'loop', pages: 8, references: 1000, io: { every: 200, bytes: 100, file: '/data' } } }],
        }),
      );
    write('parts/student-pinner.mjs');
    const found = await capture(['compare', scenario, '--json']);
    expect(found.status, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as { runs: { io: string }[] }).runs.map((r) => r.io)).toEqual(['student-pinner']);
    write('no-such-strategy.js');
    const missing = await capture(['compare', scenario, '--json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('pagelab: error: part io-strategy from no-such-strategy.js: cannot be found\n');
  });

  it.each([
    ['a missing module', () => join(lab, 'parts', 'nope.mjs'), /^pagelab: error: part io-strategy from .*nope\.mjs: cannot be found\n$/],
    ['no default export', () => module('named.mjs', 'export const strategy = 1;\n'), /^pagelab: error: part io-strategy from .*named\.mjs: its default export is missing; expected the seam's factory, \(options\) => IoBufferStrategy\n$/],
    ['a module that throws on load', () => module('broken.mjs', 'throw new Error("half-written");\n'), /^pagelab: error: part io-strategy from .*broken\.mjs: cannot be loaded: half-written\n$/],
    ['another specification version', () => module('v2.mjs', labStrategy.replace('specificationVersion: 1', 'specificationVersion: 2')), /^pagelab: error: io-strategy \(.*v2\.mjs\): needs specification version 1, got 2\n$/],
  ])('refuses %s with one line naming the module and the seam', async (_what, path, message) => {
    const { status, stderr } = await capture(['run', '--part', `io-strategy=${path()}`, join(experiments, '..', '..', 'packages', 'kernel', 'fixtures', 'bin', 'readsum.elf')]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('runs the part first, under its own name, and the --io list beside it', async () => {
    const { status, stdout, stderr } = await capture(['compare', 'dma-vs-replacement', '--part', `io-strategy=${strategyPath}`, '--io', 'hybrid,unprotected', '--json']);
    expect(status, stderr).toBe(0);
    const runs = (JSON.parse(stdout) as { runs: { io: string; restart: string; corruptionEvents: number; simulatedCycles: number }[] }).runs;
    expect(runs.map((r) => `${r.io} / ${r.restart}`)).toEqual(['student-pinner / hardware', 'hybrid / hardware', 'unprotected / hardware']);
    // The built-in rows are the built-ins' own: the same run as without any part.
    const builtIns = JSON.parse((await capture(['compare', 'dma-vs-replacement', '--io', 'hybrid,unprotected', '--json'])).stdout) as { runs: unknown[] };
    expect(runs.slice(1)).toEqual(builtIns.runs);
    expect(runs[0]!.corruptionEvents).toBe(0);
    expect(runs[2]!.corruptionEvents).toBeGreaterThan(0);
  });

  it('runs a restart part beside the --restart list, on the CPU model --cpu-model names', async () => {
    const hardwareRecord = fileURLToPath(new URL('./__fixtures__/conform/hardware-record.mjs', import.meta.url));
    const argv = ['compare', 'instruction-backup', '--part', `restart-strategy=${hardwareRecord}`, '--restart', 'hardware,software', '--io', 'pin', '--json'];
    const hidden = await capture([...argv, '--cpu-model', 'm68010-hidden']);
    expect(hidden.status, hidden.stderr).toBe(0);
    const runs = (JSON.parse(hidden.stdout) as { runs: { io: string; restart: string; restarts: number; correctOutputs: number; checkedOutputs: number; pageFaults: number }[] }).runs;
    expect(runs.map((r) => `${r.io} / ${r.restart}`)).toEqual(['pin / student-hardware', 'pin / hardware', 'pin / software']);
    // Trusting the hidden record is what the built-in hardware restart does: the same run.
    expect({ ...runs[0]!, restart: 'hardware' }).toEqual(runs[1]);
    for (const r of runs) expect(r.correctOutputs).toBe(r.checkedOutputs);
    // On a plain 68000 frame there is no hidden record: the part cannot restart anything.
    const plain = JSON.parse((await capture(argv)).stdout) as { runs: { restart: string; restarts: number; correctOutputs: number }[] };
    expect(plain.runs[0]).toMatchObject({ restart: 'student-hardware', restarts: 0, correctOutputs: 0 });
  });

  it('refuses an unknown --cpu-model in one line', async () => {
    const { status, stderr } = await capture(['compare', 'instruction-backup', '--cpu-model', 'm68020']);
    expect(status).toBe(2);
    expect(stderr).toBe('pagelab: error: cpu-model: unknown "m68020"; expected one of m68000, m68010-hidden, pc-only, m68010-continuation\n');
  });

  it('compareScenario runs LAB_PART rows only with the part loaded, and a loaded part only in a LAB_PART row', async () => {
    const scenario = loadScenario(join(experiments, 'dma-vs-replacement.json'));
    const parts = await loadPartModules({ 'io-strategy': strategyPath }, lab);
    const out = { stdout: () => undefined, stderr: () => undefined, interactive: false };
    await expect(compareScenario(scenario, 'x', [LAB_PART], ['hardware'], out)).rejects.toThrow('io: "part" is listed, but no io-strategy part is loaded');
    await expect(compareScenario(scenario, 'x', ['pin'], ['hardware'], out, parts)).rejects.toThrow('io: an io-strategy part is loaded, but "part" is not listed, so it would never run');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from './main.js';

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'pagelab-cli-'));
const file = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

describe('pagelab: bad input is one line and a non-zero status, never a stack trace', () => {
  it.each([
    [['run', join(scratch, 'missing.elf')], /^pagelab: error: program .*missing\.elf: no such file\n$/],
    [['run', '--frames', '0', file('x.elf', 'x')], /^pagelab: error: frames: expected an integer from 1 to 1048576, got 0\n$/],
    [['run', '--frames', 'many', file('y.elf', 'x')], /^pagelab: error: frames: expected a non-negative integer, got "many"\n$/],
    [['run', '--io', 'lazy', file('z.elf', 'x')], /^pagelab: error: io: expected one of pin, bounce, unprotected, hybrid, got "lazy"\n$/],
    [['run', '--bogus'], /^pagelab: error: .*--bogus/],
    [['run'], /^pagelab: error: programs: expected at least one program/],
    [['compare', file('bad.json', '{ "processes": [] ')], /^pagelab: error: .*bad\.json: \(file\): is not valid JSON/],
    [['compare', file('wrong.json', '{ "system": { "frames": 0 }, "processes": [{ "name": "p", "synthetic": { "pattern": "loop", "pages": 1, "references": 1 } }] }')], /^pagelab: error: .*wrong\.json: system\.frames: expected an integer/],
    [['compare', file('ok.json', '{ "processes": [{ "name": "p", "synthetic": { "pattern": "loop", "pages": 1, "references": 1 } }] }'), '--io', 'pin,lazy'], /^pagelab: error: io: unknown "lazy"/],
    [['frobnicate'], /^pagelab: error: unknown command "frobnicate"/],
    [['run', file('notes.txt', 'just text\n')], /^pagelab: error: .*notes\.txt: not an ELF file/],
    [['run', '--stdin', join(scratch, 'nope.txt'), file('w.elf', 'x')], /^pagelab: error: stdin .*nope\.txt: no such file\n$/],
  ])('%j', async (argv, message) => {
    const { status, stderr } = await capture(argv);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('pagelab: unbounded inputs get one line naming the field and the limit (issue 8 item 16)', () => {
  const scenario = (name: string, body: unknown) => file(name, JSON.stringify(body));
  const loop = { pattern: 'loop', pages: 2, references: 10 };
  it.each([
    ['a scenario nested 100,000 levels deep', () => file('deep.json', `{"processes": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`), /: \(file\): nests arrays and objects 100001 levels deep; the limit is 32$/],
    ['a scenario larger than 1 MiB', () => file('big.json', `{"name": "${'x'.repeat(1 << 20)}"}`), /big\.json: \(file\): larger than the limit of 1048576 bytes$/],
    ['a synthetic process without references', () => scenario('norefs.json', { processes: [{ name: 'p', synthetic: { pattern: 'loop', pages: 2 } }] }), /norefs\.json: processes\[0\]\.synthetic\.references: expected an integer from 1 to 9007199254740991 \(required\), got nothing$/],
    ['io: null', () => scenario('ionull.json', { processes: [{ name: 'p', synthetic: { ...loop, io: null } }] }), /ionull\.json: processes\[0\]\.synthetic\.io: expected an object \{ every, bytes, file \}, got null$/],
    ['a non-finite cost', () => file('inf.json', `{"system": {"costs": {"diskSeek": 1e999}}, "processes": [{"name": "p", "synthetic": ${JSON.stringify(loop)}}]}`), /inf\.json: system\.costs\.diskSeek: expected a finite number of cycles from 0 to 1000000000, got Infinity$/],
    ['swapSlots beyond the limit', () => scenario('swap.json', { system: { swapSlots: 1e12 }, processes: [{ name: 'p', synthetic: loop }] }), /swap\.json: system\.swapSlots: expected an integer from 1 to 1048576, got 1000000000000$/],
    ['frames × pageSize beyond the limit', () => scenario('mem.json', { system: { frames: 1_048_576, pageSize: 65_536 }, processes: [{ name: 'p', synthetic: loop }] }), /mem\.json: system\.frames: 1048576 frames of 65536 bytes are 68719476736 bytes of physical memory; the limit is 268435456/],
    ['a synthetic process too large for its address space', () => scenario('pages.json', { processes: [{ name: 'p', synthetic: { ...loop, pages: 1e6 } }] }), /pages\.json: processes\[0\]\.synthetic\.pages: expected an integer from 1 to 3824 \(required\), got 1000000$/],
  ])('compare: %s', async (_, make, message) => {
    const { status, stdout, stderr } = await capture(['compare', make(), '--io', 'pin']);
    expect(stdout).toBe('');
    expect(stderr.trimEnd()).toMatch(/^pagelab: error: /);
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(status).toBe(2);
  });

  it('run: a program file that never ends (/dev/zero) is refused at the size limit, not read forever', async () => {
    const { status, stderr } = await capture(['run', '/dev/zero']);
    expect(stderr).toBe('pagelab: error: program /dev/zero: larger than the limit of 67108864 bytes\n');
    expect(status).toBe(2);
  });
});

describe('pagelab run', () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'kernel', 'fixtures');

  it('prints the program output exactly as qemu-m68k did, and the summary on stderr', async () => {
    const { status, stdout, stderr } = await capture(['run', join(fixtures, 'bin', 'readsum.elf'), '--stdin', join(fixtures, 'input.txt'), '--frames', '16', '--io', 'bounce']);
    expect(status).toBe(0);
    expect(stdout).toBe(readFileSync(join(fixtures, 'bin', 'readsum.expected'), 'utf8'));
    expect(stderr).toMatch(/^page faults +\d+/);
    expect(stderr).toMatch(/corruption events +0 /);
  });

  it('prints one JSON object with --json, exit codes included', async () => {
    const { status, stdout } = await capture(['run', join(fixtures, 'bin', 'syscalls.elf'), '--restart', 'software', '--json']);
    expect(status).toBe(3);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ exitCodes: [3], corruptionEvents: 0, ambiguousRestarts: 0 });
    for (const key of ['pageFaults', 'restarts', 'bytesCopied', 'simulatedCycles']) expect(typeof result[key]).toBe('number');
    expect((result.processes as { output: string }[])[0]!.output).toBe(readFileSync(join(fixtures, 'bin', 'syscalls.expected'), 'utf8'));
  });
});

describe('pagelab --json is a function of the configuration and seed', () => {
  const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'kernel', 'fixtures');

  it('prints the same bytes for the same run, with host time only on stderr', async () => {
    const argv = ['run', join(fixtures, 'bin', 'readsum.elf'), '--stdin', join(fixtures, 'input.txt'), '--frames', '16', '--io', 'bounce', '--seed', '5', '--json'];
    const first = await capture(argv);
    const second = await capture(argv);
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).not.toMatch(/host|millisecond/i);
    expect(first.stderr).toMatch(/^host time \d+ ms\n$/);
    const result = JSON.parse(first.stdout) as Record<string, number>;
    expect(result.clockTicks).toBe(Math.floor(result.simulatedCycles! / 80_000));
    expect(result.bytesCopied).toBeGreaterThan(65_536);
  });

  it('does so for compare too', async () => {
    file('twenty-k.txt', 'pagelab '.repeat(2500));
    const scenario = file(
      'again.json',
      JSON.stringify({
        system: { frames: 24, bounceFrames: 2, seed: 9, costs: { diskSeek: 5000, swapLatency: 2000 } },
        files: { '/data': 'twenty-k.txt' },
        processes: [
          { name: 'reader', priority: 1, synthetic: { pattern: 'loop', pages: 8, references: 3000, io: { every: 300, bytes: 12000, file: '/data' } } },
          { name: 'hog', priority: 5, synthetic: { pattern: 'random', pages: 60, references: 5000, writeFraction: 0.3 } },
        ],
      }),
    );
    const argv = ['compare', scenario, '--io', 'pin,bounce', '--json'];
    const first = await capture(argv);
    expect(first.status).toBe(0);
    expect((await capture(argv)).stdout).toBe(first.stdout);
    expect(first.stdout).not.toMatch(/host|millisecond/i);
    expect(first.stderr).toMatch(/^pin \/ hardware: \d+ ms of host time\nbounce \/ hardware: \d+ ms of host time\n$/);
    // The reader's 12,000-byte reads do not fit the 8 KiB pool: bounce splits each in two.
    const bounce = (JSON.parse(first.stdout) as { runs: { splitRequests: number; ioPieces: number }[] }).runs[1]!;
    expect(bounce.splitRequests).toBeGreaterThan(0);
    expect(bounce.ioPieces).toBe(2 * bounce.splitRequests);
  });
});

describe('pagelab trace', () => {
  it('is the pager alone, with the published fault counts', async () => {
    const trace = file('belady.txt', [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5].join('\n') + '\n');
    const { status, stdout } = await capture(['trace', trace, '--policy', 'fifo', '--frames', '4', '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ references: 12, misses: 10, writebacks: 0 });
  });
});

describe('pagelab compare', () => {
  it('runs one scenario under each strategy and prints one row each', async () => {
    const scenario = file(
      'race.json',
      JSON.stringify({
        name: 'synthetic race',
        system: { frames: 24, bounceFrames: 4, restart: 'none', timeSlice: 200, costs: { diskSeek: 5000, diskPerByte: 8, swapLatency: 2000 } },
        files: { '/data': 'race.json' },
        processes: [
          { name: 'reader', priority: 1, synthetic: { pattern: 'loop', pages: 8, workingSet: 4, references: 2000, io: { every: 500, bytes: 1000, file: '/data' } } },
          { name: 'hog', priority: 5, synthetic: { pattern: 'random', pages: 60, references: 5000 } },
        ],
      }),
    );
    const { status, stdout } = await capture(['compare', scenario, '--io', 'unprotected,pin,bounce', '--json']);
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as { runs: { io: string; corruptionEvents: number; bytesCopied: number }[] };
    expect(result.runs.map((r) => r.io)).toEqual(['unprotected', 'pin', 'bounce']);
    expect(result.runs[1]!.corruptionEvents).toBe(0);
    expect(result.runs[2]!.corruptionEvents).toBe(0);
    expect(result.runs[2]!.bytesCopied).toBeGreaterThan(0);
    const table = await capture(['compare', scenario, '--io', 'pin']);
    expect(table.stdout).toMatch(/^scenario: synthetic race\n\nio \/ restart +faults/);
    expect(table.stdout).toMatch(/\npin \/ none +\d/);
  });

  const sweepScenario = () =>
    file(
      'sweep.json',
      JSON.stringify({
        name: 'sweep',
        system: { frames: 12, bounceFrames: 1, restart: 'none', timeSlice: 400, costs: { swapLatency: 3000 } },
        processes: [
          { name: 'low', priority: 1, synthetic: { pattern: 'phases', pages: 20, workingSet: 4, phaseLength: 300, references: 3000 } },
          { name: 'high', priority: 5, synthetic: { pattern: 'random', pages: 16, references: 3000 } },
        ],
      }),
    );

  it('repeats the runs for each frame count and fresh-page-lock setting, frames outermost, naming them', async () => {
    const scenario = sweepScenario();
    const { status, stdout, stderr } = await capture(['compare', scenario, '--io', 'pin', '--frames', '10,14', '--lock-fresh-pages', 'off,on', '--json']);
    expect(status, stderr).toBe(0);
    type Run = { frames: number; lockFreshPages: boolean; pageFaults: number; wastedPageIns: number; simulatedCycles: number; processes: { pageFaults: number; endedAtCycle: number }[] };
    const runs = (JSON.parse(stdout) as { runs: Run[] }).runs;
    expect(runs.map((r) => [r.frames, r.lockFreshPages])).toEqual([[10, false], [10, true], [14, false], [14, true]]);
    for (const r of runs) {
      expect(r.processes[0]!.pageFaults + r.processes[1]!.pageFaults).toBe(r.pageFaults);
      expect(Math.max(...r.processes.map((p) => p.endedAtCycle))).toBe(r.simulatedCycles);
      expect(r.wastedPageIns).toBe(0);
    }
    // Fewer frames, more faults: the sweep really changed the machine.
    expect(runs[0]!.pageFaults).toBeGreaterThan(runs[2]!.pageFaults);
    expect(stderr).toMatch(/^pin \/ none, 10 frames, fresh locks off: \d+ ms of host time\n/);
    // Each row equals the scenario run with that setting written into it.
    const fixed = file('sweep-14-on.json', readFileSync(scenario, 'utf8').replace('"frames":12', '"frames":14,"lockFreshPages":true'));
    const alone = JSON.parse((await capture(['compare', fixed, '--io', 'pin', '--json'])).stdout) as { runs: Run[] };
    expect({ ...alone.runs[0]!, frames: 14, lockFreshPages: true }).toEqual(runs[3]);
  });

  it('prints the swept settings as columns and, with --processes, a row per process', async () => {
    const { status, stdout } = await capture(['compare', sweepScenario(), '--io', 'pin', '--frames', '10', '--lock-fresh-pages', 'on', '--processes']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\nio \/ restart +frames +fresh locks +faults +wasted +wasted own +restarts/);
    expect(stdout).toMatch(/\npin \/ none +10 +on +\d/);
    expect(stdout).toMatch(/\nio \/ restart +frames +fresh locks +process +priority +ended +faults +ended at cycle\n/);
    expect(stdout).toMatch(/\npin \/ none +10 +on +low +1 +exit 0 +[\d,]+ +[\d,]+\n/);
    expect(stdout).toMatch(/\npin \/ none +10 +on +high +5 +exit 0 +[\d,]+ +[\d,]+\n/);
  });

  it.each([
    [['--frames', '2'], /^pagelab: error: frames: 2 frames leave none for processes after 1 kernel and 1 bounce frames\n$/],
    [['--frames', '12,lots'], /^pagelab: error: frames: expected a comma-separated list of frame counts, got "lots"\n$/],
    [['--frames', ','], /^pagelab: error: frames: expected at least one frame count\n$/],
    [['--lock-fresh-pages', 'maybe'], /^pagelab: error: lock-fresh-pages: unknown "maybe"; expected a comma-separated list of off, on\n$/],
  ])('compare %j is one line naming the flag', async (flags, message) => {
    const { status, stdout, stderr } = await capture(['compare', sweepScenario(), '--io', 'pin', ...flags]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
  });
});

describe('the command table', () => {
  it('shows each command with the operands its own usage gives', async () => {
    const { subcommands } = await import('./main.js');
    const { runSpec } = await import('./commands/run.js');
    const { compareSpec } = await import('./commands/compare.js');
    const { reportSpec } = await import('./commands/report.js');
    const { traceSpec } = await import('./commands/trace.js');
    const operands = (name: string) => subcommands.find((c) => c.name === name)?.operands;
    expect(operands('run')).toBe(runSpec.operands);
    expect(operands('compare')).toBe(compareSpec.operands);
    expect(operands('report')).toBe(reportSpec.operands);
    expect(traceSpec.operands.startsWith(operands('trace')!)).toBe(true);
  });
});

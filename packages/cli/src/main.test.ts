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
});

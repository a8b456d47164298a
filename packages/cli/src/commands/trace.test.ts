import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateTraceFile, type TraceRunOptions } from '@pagelab/kernel';
import { describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';
import { resolveTraceOperand } from '../shipped.js';
import { formatPolicyRows } from './trace.js';

const belady = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'tools', 'experiments', 'belady.trace');
const lab = mkdtempSync(join(tmpdir(), 'pagelab-trace-lab-'));
const pagerSim = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pager', 'bin', 'pager-sim.js');

/**
 * A student's LRU in plain JavaScript against the published contract (no pagelab import): the
 * victim is the candidate frame used longest ago.
 */
const studentLru = `
export default function studentLru(context) {
  const lastUse = new Float64Array(context.frameCount);
  return {
    specificationVersion: 1,
    name: 'student-lru',
    observesReferences: true,
    onPageIn(frame, now) { lastUse[frame] = now; },
    onReference(frame, now) { lastUse[frame] = now; },
    onEvict() {},
    onClockTick() {},
    chooseVictim(candidates) {
      let victim = -1;
      for (let f = 0; f < context.frameCount; f++) {
        if (candidates.isCandidate(f) && (victim < 0 || lastUse[f] < lastUse[victim])) victim = f;
      }
      return victim;
    },
  };
}
`;
const part = (name: string, text: string) => {
  writeFileSync(join(lab, name), text);
  return `replacement-policy=${join(lab, name)}`;
};
const lruPart = part('student-lru.mjs', studentLru);

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

describe('pagelab trace with lists of policies and frame counts', () => {
  it("prints a row per policy and a column per frame count: Belady's string as OSTEP's simulator counts it", async () => {
    const { status, stdout, stderr } = await capture(['trace', 'belady', '--policy', 'fifo,lru,opt', '--frames', '3,4']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // OSTEP paging-policy.py: FIFO 9 / 10 (the anomaly), LRU 10 / 8, OPT 7 / 6.
    expect(stdout).toBe(
      [
        'trace: belady (pages), 12 references, 5 distinct pages',
        'misses (5 compulsory) by frames:',
        '',
        'policy   3   4',
        '------  --  --',
        'fifo     9  10',
        'lru     10   8',
        'opt      7   6',
        '',
      ].join('\n'),
    );
  });

  it('gives the same counts as one JSON object, the same bytes every time', async () => {
    const argv = ['trace', belady, '--policy', 'fifo,opt', '--frames', '3,4', '--json'];
    const first = await capture(argv);
    expect((await capture(argv)).stdout).toBe(first.stdout);
    const result = JSON.parse(first.stdout) as { trace: string; references: number; frames: number[]; policies: { policy: string; part: boolean; runs: { frames: number; misses: number }[] }[] };
    expect(result).toMatchObject({ trace: belady, references: 12, frames: [3, 4] });
    expect(result.policies.map((p) => [p.policy, p.part, p.runs.map((r) => r.misses)])).toEqual([
      ['fifo', false, [9, 10]],
      ['opt', false, [7, 6]],
    ]);
  });

  it('reads a binary trace (pager-sim --write-binary) to the same counts as its text, and says so in its help', async () => {
    const binary = join(lab, 'belady.bin');
    execFileSync(process.execPath, [pagerSim, belady, '--write-binary', binary]);
    const fromText = JSON.parse((await capture(['trace', belady, '--policy', 'fifo,lru,opt', '--frames', '3,4', '--json'])).stdout) as { policies: unknown };
    const fromBinary = JSON.parse((await capture(['trace', binary, '--policy', 'fifo,lru,opt', '--frames', '3,4', '--json'])).stdout) as { policies: unknown };
    expect(fromBinary.policies).toEqual(fromText.policies);
    expect((await capture(['trace', '--help'])).stdout).toContain('--write-binary');
  });

  it('keeps the single-run report for one policy and one frame count, a shipped name in place of the path', async () => {
    const byName = await capture(['trace', 'belady', '--policy', 'fifo', '--frames', '3']);
    const byPath = await capture(['trace', belady, '--policy', 'fifo', '--frames', '3']);
    expect(byPath.stdout).toMatch(/^trace: +.*belady\.trace \(pages\)\npolicy: +fifo\n/);
    expect(byName.stdout).toBe(byPath.stdout.replace(belady, 'belady'));
  });
});

describe("pagelab trace --part replacement-policy=MODULE: a lab's policy beside the built-ins", () => {
  it('runs first, under its own name, with the counts its algorithm gives (LRU written by a student = LRU)', async () => {
    const { status, stdout } = await capture(['trace', 'belady', '--part', lruPart, '--policy', 'lru,opt', '--frames', '3,4']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\nstudent-lru +10 +8\nlru +10 +8\nopt +7 +6\n$/);
    const json = JSON.parse((await capture(['trace', 'sort', '--part', lruPart, '--policy', 'lru', '--frames', '4,8', '--json'])).stdout) as { policies: { policy: string; part: boolean; runs: { misses: number }[] }[] };
    expect(json.policies.map((p) => [p.policy, p.part])).toEqual([['student-lru', true], ['lru', false]]);
    expect(json.policies[0]!.runs).toEqual(json.policies[1]!.runs);
  });

  it('runs alone without --policy', async () => {
    const { status, stdout } = await capture(['trace', 'belady', '--part', lruPart, '--frames', '4']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\npolicy {7}4\n-{11} {2}-\nstudent-lru {2}8\n$/);
  });

  it.each([
    [['--part', 'io-strategy=./x.mjs', '--policy', 'fifo', '--frames', '3'], 'part: pagelab trace replaces only the replacement-policy seam, not io-strategy'],
    [['--part', part('v2.mjs', studentLru.replace('specificationVersion: 1', 'specificationVersion: 2')), '--frames', '3'], /^replacement-policy \(.*v2\.mjs\): needs specification version 1, got 2$/],
    [['--part', part('nameless.mjs', 'export default () => ({ specificationVersion: 1 });\n'), '--frames', '3'], /^replacement-policy \(.*nameless\.mjs\): missing name, onPageIn, onReference, onEvict, onClockTick, chooseVictim$/],
    [['--policy', 'fifo,lur', '--frames', '3'], 'policy: unknown policy "lur" (known: fifo, clock, clock-clear, enhanced-clock, lru, nfu, aging, working-set, wsclock, random, opt)'],
    [['--policy', 'fifo,lru', '--frames', '3,x'], 'frames: must be a non-negative integer, got "x"'],
    [['--policy', 'fifo,lru'], 'frames: missing (--frames LIST)'],
    [['--policy', 'fifo,lru', '--frames', ','], 'frames: expected at least one value'],
  ])('%j is one line naming what was wrong', async (args, message) => {
    const { status, stdout, stderr } = await capture(['trace', 'belady', ...args]);
    expect(stdout).toBe('');
    expect(status).toBe(2);
    const line = stderr.replace(/^pagelab: error: /, '').replace(/\n$/, '');
    if (typeof message === 'string') expect(line).toBe(message);
    else expect(line).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});

/**
 * What `pagelab trace` printed for lists before LRU and OPT took one pass: a simulation per
 * policy and frame count, laid out by the command's own formatter (the counts are what differ).
 */
function perFrameCountOutput(path: string, label: string, policies: readonly string[], frames: readonly number[], options: Omit<TraceRunOptions, 'policy' | 'frames'>, json: boolean): string {
  const rows = policies.map((policy) => ({ policy, part: false, runs: frames.map((n) => simulateTraceFile(path, { ...options, policy, frames: n })) }));
  return formatPolicyRows(label, frames, rows, json);
}

/** A loop over an array with a write on every fourth element and a call down a stack: lackey lines, 4 KiB pages. */
function loopLackeyTrace(): string {
  const lines: string[] = [];
  const hex = (a: number) => a.toString(16).padStart(8, '0');
  for (let pass = 0; pass < 6; pass++) {
    for (let i = 0; i < 3000; i++) {
      lines.push(`I  ${hex(0x400000 + (i % 5) * 0x900)},4`);
      lines.push(`${i % 4 === 0 ? ' M' : ' L'} ${hex(0x10000000 + 8 * ((i * 13 + pass * 4096) % 12000))},8`);
      if (i % 500 === 0) lines.push(` S ${hex(0x7ff00000 - 0x1000 * (i / 500))},8`);
    }
  }
  return lines.join('\n') + '\n';
}

describe('pagelab trace: LRU and OPT in one pass print what a run per frame count printed', () => {
  const lackey = join(lab, 'loop.lackey');
  writeFileSync(lackey, loopLackeyTrace());
  const cases: [string, string, string[], number[], string[], Omit<TraceRunOptions, 'policy' | 'frames'>][] = [
    ['belady', 'belady', ['fifo', 'lru', 'opt'], [1, 2, 3, 4, 5, 6], [], {}],
    ['sort', 'sort', ['lru', 'fifo', 'opt'], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20, 22, 24], [], {}],
    [lackey, lackey, ['opt', 'lru', 'clock'], [16, 4, 8, 2, 6], ['--format', 'lackey'], { format: 'lackey' }],
  ];
  for (const [operand, path, policies, frames, flags, options] of cases) {
    for (const json of [false, true]) {
      it(`${operand === lackey ? 'a lackey trace with writes' : operand}, ${json ? 'JSON' : 'table'}`, async () => {
        const { status, stdout, stderr } = await capture(['trace', operand, '--policy', policies.join(','), '--frames', frames.join(','), ...flags, ...(json ? ['--json'] : [])]);
        expect(stderr).toBe('');
        expect(status).toBe(0);
        expect(stdout).toBe(perFrameCountOutput(resolveTraceOperand(path), operand, policies, frames, options, json));
        if (json && operand === lackey) {
          const parsed = JSON.parse(stdout) as { policies: { runs: { writebacks: number }[] }[] };
          // The curve has write-backs to get right, not only misses.
          expect(parsed.policies[0]!.runs.some((r) => r.writebacks > 0)).toBe(true);
        }
      });
    }
  }
});

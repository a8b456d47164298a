import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from './main.js';
import { parsePartFlags } from './part-modules.js';

const experiments = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'experiments');

/**
 * A lab's I/O strategy, written as a student would in plain JavaScript against the published
 * contract only (no import of pagelab at all): pin the buffer's frames for the transfer and
 * unpin at completion, refusing with ENOMEM when the lock quota says no.
 */
const labStrategy = `
const ENOMEM = 12, EFAULT = 14;
export default function labPinner(options) {
  const held = new Map();
  let next = 1;
  const costs = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  return {
    specificationVersion: 1,
    name: 'student-pinner',
    costs,
    begin(request, services, now) {
      const segments = services.residentSegments(request.buffer, request.direction);
      if (segments === null) return { kind: 'fail', errno: EFAULT, reason: 'bad buffer' };
      const pinSet = services.pinForTransfer(segments, request.buffer.addressSpace);
      if (pinSet === null) { costs.quotaRefusals++; return { kind: 'fail', errno: ENOMEM, reason: 'quota' }; }
      const token = next++;
      held.set(token, { pinSet, frames: segments.length, since: now });
      return { kind: 'transfer', segments, token };
    },
    finish(request, token, bytes, services, now) {
      const h = held.get(token);
      held.delete(token);
      services.releasePins(h.pinSet);
      costs.pinnedFrameCycles += h.frames * (now - h.since);
      return bytes;
    },
  };
}
`;

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
    expect(stderr).toBe('');
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

  it('refuses an --io list when the I/O strategy is replaced', async () => {
    const { status, stderr } = await capture(['compare', join(experiments, 'dma-vs-replacement.json'), '--part', `io-strategy=${strategyPath}`, '--io', 'pin,bounce']);
    expect(status).toBe(2);
    expect(stderr).toBe('pagelab: error: io: cannot be combined with a replaced io-strategy part\n');
  });
});

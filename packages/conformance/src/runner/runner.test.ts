import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceSuite } from '../suite.js';
import { toGradescopeResults } from './gradescope.js';
import { runConformanceSuite } from './run-suite.js';
import { prepareConformance } from './seams.js';
import { formatSuiteReport } from './text-report.js';

const scratch = mkdtempSync(join(tmpdir(), 'pagelab-conform-'));
const file = (name: string, text: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

const suite: ConformanceSuite = {
  seam: 'demo',
  subject: 'demo part',
  cases: [
    { name: 'passes', run: () => {} },
    { name: 'passes with a measurement', maxScore: 3, run: () => '42 faults' },
    { name: 'fails', run: () => expect(1 + 1, 'sum').toBe(3) },
    { name: 'throws a string', visibility: 'hidden', run: () => {
      throw 'boom'; // eslint-disable-line @typescript-eslint/only-throw-error -- a careless part may throw anything
    } },
    { name: 'fails later', run: async () => {
      await Promise.resolve();
      throw new RangeError('out of range');
    } },
  ],
};

describe('runConformanceSuite', () => {
  it('runs every case, isolating failures, and scores by pass/fail only', async () => {
    const report = await runConformanceSuite(suite);
    expect(report.results.map((r) => [r.name, r.passed, r.score, r.maxScore])).toEqual([
      ['passes', true, 1, 1],
      ['passes with a measurement', true, 3, 3],
      ['fails', false, 0, 1],
      ['throws a string', false, 0, 1],
      ['fails later', false, 0, 1],
    ]);
    expect(report).toMatchObject({ passed: 2, failed: 3, score: 4, maxScore: 7 });
    expect(report.results[1]!.output).toBe('42 faults');
    expect(report.results[2]!.output).toBe('sum: expected 2 to be 3');
    expect(report.results[3]!.output).toBe('threw a non-error value: boom');
    expect(report.results[4]!.output).toBe('RangeError: out of range');
    expect(report.results[3]!.visibility).toBe('hidden');
  });

  it('refuses two cases with one name', async () => {
    await expect(runConformanceSuite({ ...suite, cases: [suite.cases[0]!, suite.cases[0]!] })).rejects.toThrow(/two cases are named "passes"/);
  });
});

describe('toGradescopeResults', () => {
  it("fills Gradescope's fields, and the score does not depend on the time taken", async () => {
    const report = await runConformanceSuite(suite);
    const fast = toGradescopeResults(report, 0.5);
    const slow = toGradescopeResults(report, 500);
    expect(fast.score).toBe(4);
    expect(fast.execution_time).toBe(0.5);
    expect(slow.execution_time).toBe(500);
    expect({ ...slow, execution_time: 0 }).toEqual({ ...fast, execution_time: 0 });
    expect(fast.tests).toHaveLength(5);
    for (const t of fast.tests) {
      expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'score', 'status', 'visibility']);
      expect(['passed', 'failed']).toContain(t.status);
      expect(['visible', 'hidden', 'after_due_date', 'after_published']).toContain(t.visibility);
      expect(t.score).toBe(t.status === 'passed' ? t.max_score : 0);
    }
    expect(fast.tests.reduce((s, t) => s + t.score, 0)).toBe(fast.score);
    expect(JSON.parse(JSON.stringify(fast))).toEqual(fast);
  });
});

describe('formatSuiteReport', () => {
  it('prints one row per test, the failure under a failing one, and the total', async () => {
    const text = formatSuiteReport(await runConformanceSuite(suite));
    expect(text).toContain('demo conformance: demo part');
    expect(text).toMatch(/^pass\s+3\/3 {2}passes with a measurement$/m);
    expect(text).toMatch(/^FAIL\s+0\/1 {2}fails\n\s+sum: expected 2 to be 3$/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe('total: 2 passed, 3 failed, score 4/7');
  });
});

const fifo = `export default function (context) {
  let queue = [];
  return {
    name: 'tmp-fifo', specificationVersion: 1, observesReferences: false,
    onPageIn(f) { queue = queue.filter((x) => x !== f); queue.push(f); },
    onReference() {}, onEvict(f) { queue = queue.filter((x) => x !== f); }, onClockTick() {},
    chooseVictim(c) {
      const v = queue.find((f) => c.isCandidate(f));
      if (v === undefined) { const e = new Error('none of ' + context.frameCount); e.code = 'NOTHING_EVICTABLE'; throw e; }
      return v;
    },
  };
}
`;

describe('prepareConformance with a module from disk', () => {
  const cwd = scratch;
  const host = {};

  it('runs the replacement-policy suite on a correct module: every test passes', async () => {
    file('fifo.mjs', fifo);
    const prepared = await prepareConformance('replacement-policy', './fifo.mjs', { cwd, host });
    expect(prepared.subject).toBe('tmp-fifo (fifo.mjs)');
    const report = await runConformanceSuite(prepared);
    expect(report.failed, formatSuiteReport(report)).toBe(0);
    expect(report.passed).toBe(12);
  });

  it('names the tests a broken policy fails (it evicts pinned frames)', async () => {
    file('greedy.mjs', fifo.replace('queue.find((f) => c.isCandidate(f))', 'queue[0]').replace("'tmp-fifo'", "'greedy'"));
    const report = await runConformanceSuite(await prepareConformance('replacement-policy', './greedy.mjs', { cwd, host }));
    const failed = report.results.filter((r) => !r.passed).map((r) => r.name);
    expect(failed).toContain('chooses only unpinned frames over a long run (references visible)');
    expect(failed).toContain('chooses only frames of the faulting owner under local scope (referenced bits only)');
    expect(report.results.find((r) => r.name.startsWith('chooses only unpinned'))!.output).toMatch(/must be a candidate/);
  });

  it("adds a teacher's extra tests for the same seam, hidden by default, and skips other seams'", async () => {
    file('fifo.mjs', fifo);
    mkdirSync(join(scratch, 'hidden'), { recursive: true });
    file('hidden/a-policy.mjs', `import assert from 'node:assert/strict';
export const seam = 'replacement-policy';
export default [
  { name: 'teacher: the name is lower case', run: (factory) => { const p = factory({ frameCount: 2, bits: {}, referencesVisible: false }); assert.equal(p.name, p.name.toLowerCase()); } },
  { name: 'teacher: worth two points, visible', maxScore: 2, visibility: 'visible', run: () => { assert.fail('never passes'); } },
];
`);
    file('hidden/b-pager.mjs', `export const seam = 'pager'; export default [{ name: 'pager only', run() {} }];`);
    file('hidden/notes.txt', 'not a module');
    const prepared = await prepareConformance('replacement-policy', './fifo.mjs', { cwd, host, extraTests: 'hidden' });
    const report = await runConformanceSuite(prepared);
    const extra = report.results.slice(-2);
    expect(extra.map((r) => [r.name, r.passed, r.maxScore, r.visibility])).toEqual([
      ['teacher: the name is lower case', true, 1, 'hidden'],
      ['teacher: worth two points, visible', false, 2, 'visible'],
    ]);
    expect(extra[1]!.output).toMatch(/never passes/);
    expect(report.results.some((r) => r.name === 'pager only')).toBe(false);
  });

  it.each([
    ['a missing file', 'pager', './nope.mjs', () => {}, /^\.\/nope\.mjs: pager: no such file$/],
    ['a file of another kind', 'pager', './notes.txt', () => file('notes.txt', 'x'), /^\.\/notes\.txt: pager: expected a \.js or \.mjs module, got a "\.txt" file$/],
    ['a syntax error', 'pager', './syntax.mjs', () => file('syntax.mjs', 'export default function ( {'), /^\.\/syntax\.mjs: pager: could not be loaded: /],
    ['no default export', 'pager', './none.mjs', () => file('none.mjs', 'export const x = 1;'), /^\.\/none\.mjs: pager: the default export must be a pager factory, \(dependencies, options\) => Pager, got no default export$/],
    ['a default export that is not a function', 'restart-strategy', './obj.mjs', () => file('obj.mjs', 'export default { name: "x" };'), /^\.\/obj\.mjs: restart-strategy: the default export must be a restart-strategy factory, \(options\) => RestartStrategy, got object$/],
    ['a factory that throws', 'replacement-policy', './throws.mjs', () => file('throws.mjs', 'export default () => { throw new Error("not yet"); };'), /^\.\/throws\.mjs: replacement-policy: calling the default export threw: not yet$/],
    ['a part missing methods', 'pager', './half.mjs', () => file('half.mjs', 'export default () => ({ specificationVersion: 1, handleFault() {} });'), /^\.\/half\.mjs: pager: the object the default export returns has no onDispatch\(\), onClockTick\(\), releasePages\(\), releaseAddressSpace\(\)$/],
    ['a strategy without a name', 'restart-strategy', './anon.mjs', () => file('anon.mjs', 'export default () => ({ specificationVersion: 1, backUp() {} });'), /^\.\/anon\.mjs: restart-strategy: the object the default export returns has no name \(a non-empty string\)$/],
    ['bad capabilities', 'restart-strategy', './caps.mjs', () => file('caps.mjs', 'export const capabilities = { psychic: true }; export default () => ({ name: "x", specificationVersion: 1, backUp() {} });'), /^\.\/caps\.mjs: restart-strategy: capabilities\.psychic: unknown; expected hiddenRecord, plainFrame or continuation$/],
    ['an old specification version', 'pager', './old.mjs', () => file('old.mjs', 'export default () => ({ specificationVersion: 0 });'), /^\.\/old\.mjs: pager: needs specification version 1, got 0$/],
    ['no specification version', 'restart-strategy', './unversioned.mjs', () => file('unversioned.mjs', 'export default () => ({ name: "u", backUp() {} });'), /^\.\/unversioned\.mjs: restart-strategy: needs specification version 1, got none \(no specificationVersion property\)$/],
    ['a package that is not installed', 'pager', 'no-such-pagelab-part', () => {}, /^no-such-pagelab-part: pager: no installed package of that name/],
    ['an unknown seam', 'scheduler', './fifo.mjs', () => file('fifo.mjs', fifo), /^seam: unknown seam "scheduler"; expected one of replacement-policy, pager, restart-strategy, io-strategy, frame-table, mmu, dma$/],
  ])('rejects %s with one line naming the module, the seam and the problem', async (_what, seam, module, setup, message) => {
    setup();
    const error = await prepareConformance(seam, module, { cwd, host }).then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).not.toBeNull();
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain('\n');
    expect(['CONFORMANCE_MODULE', 'CONFIGURATION']).toContain(error!.code);
  });

  it('loads a part from an installed package by name', async () => {
    const root = join(scratch, 'node_modules', 'lab-fifo');
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'lab-fifo', type: 'module', exports: { '.': { import: './dist/index.js' } } }));
    writeFileSync(join(root, 'dist', 'index.js'), fifo);
    const prepared = await prepareConformance('replacement-policy', 'lab-fifo', { cwd: join(scratch, 'hidden'), host });
    expect(prepared.subject).toBe('tmp-fifo (lab-fifo)');
  });

  it('rejects a restart strategy when the host has no fault bench', async () => {
    file('rs.mjs', 'export default () => ({ name: "rs", specificationVersion: 1, backUp() { return { kind: "unrecoverable", reason: "x" }; } });');
    await expect(prepareConformance('restart-strategy', './rs.mjs', { cwd, host })).rejects.toThrow(/^\.\/rs\.mjs: restart-strategy: this host provides no fault bench/);
  });
});

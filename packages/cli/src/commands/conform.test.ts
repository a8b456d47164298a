import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';

const bin = fileURLToPath(new URL('../bin/pagelab.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../__fixtures__/conform/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-conform-cli-'));

/** Runs the real `pagelab` executable from source in the fixtures directory, as a student would run the installed one. */
const pagelab = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=pagelab-source', bin, 'conform', ...args], { encoding: 'utf8', cwd: fixtures });

interface Results {
  score: number;
  execution_time: number;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[];
}

/** Checks a results file against the fields Gradescope's autograder reads. */
function validateGradescope(text: string): Results {
  const results = JSON.parse(text) as Results;
  expect(typeof results.score).toBe('number');
  expect(typeof results.execution_time).toBe('number');
  expect(results.execution_time).toBeGreaterThanOrEqual(0);
  expect(Array.isArray(results.tests)).toBe(true);
  for (const t of results.tests) {
    expect(typeof t.name).toBe('string');
    expect(typeof t.score).toBe('number');
    expect(typeof t.max_score).toBe('number');
    expect(['passed', 'failed']).toContain(t.status);
    expect(typeof t.output).toBe('string');
    expect(['visible', 'hidden', 'after_due_date', 'after_published']).toContain(t.visibility);
    expect(t.score).toBe(t.status === 'passed' ? t.max_score : 0);
  }
  expect(results.score).toBe(results.tests.reduce((s, t) => s + t.score, 0));
  return results;
}

describe('pagelab conform, through the bin', () => {
  it('passes a correct pager written in plain JavaScript: every test listed, exit 0', () => {
    const r = pagelab('pager', './simple-pager.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^pager conformance: simple-pager\.mjs$/m);
    expect(r.stdout).toMatch(/^pass\s+1\/1 {2}writes a dirty victim back and brings its bytes back from swap$/m);
    expect(r.stdout).toMatch(/^pass\s+1\/1 {2}gives 15 faults on 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 with 3 frames and a FIFO policy$/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/^total: 25 passed, 0 failed, score 25\/25$/m);
    expect(r.status).toBe(0);
  });

  it('fails a pager that loses dirty pages, naming the failing tests, exit 1', () => {
    const r = pagelab('pager', './broken-pager.mjs');
    expect(r.stdout).toMatch(/^FAIL\s+0\/1 {2}writes a dirty victim back and brings its bytes back from swap\n\s+swap writes after evicting a written page: expected \+?0 to be 1$/m);
    expect(r.stdout).toMatch(/^FAIL\s+0\/1 {2}keeps every page intact over a long run of faults in two address spaces \(global scope\)$/m);
    expect(r.stdout).toMatch(/^pass\s+1\/1 {2}never takes a wired frame|^FAIL\s+0\/1 {2}never takes a wired frame/m);
    expect(r.stdout).toMatch(/^total: \d+ passed, \d+ failed, score \d+\/25$/m);
    expect(r.status).toBe(1);
  });

  it("writes Gradescope results for a restart strategy with a teacher's hidden tests", () => {
    const out = join(scratch, 'results.json');
    const r = pagelab('restart-strategy', './hardware-record.mjs', '--format', 'gradescope', '--out', out, '--extra-tests', 'teacher-tests');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const results = validateGradescope(readFileSync(out, 'utf8'));
    expect(r.stdout).toBe(`restart-strategy conformance: ${results.tests.length} passed, 0 failed, score ${results.score}/${results.score}; results in ${out}\n`);
    const teacher = results.tests.filter((t) => t.name.startsWith('teacher:'));
    expect(teacher.map((t) => [t.name, t.visibility, t.max_score, t.status, t.output])).toEqual([
      ['teacher: MOVE.L (A0)+,(A1)+ restarts at its start after every fault (m68010-hidden)', 'hidden', 2, 'passed', '3 faults restarted'],
    ]);
    expect(results.tests.filter((t) => t.name.startsWith('hidden record: MOVE.L 6(A1),2(A0) faulting on reference'))).toHaveLength(5);
  });

  it('fails a restart strategy that forgets to undo, in Gradescope form on stdout, exit 1', () => {
    const r = pagelab('restart-strategy', './broken-restart.mjs', '--format', 'gradescope');
    expect(r.status).toBe(1);
    const results = validateGradescope(r.stdout);
    const failed = results.tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.name)).toContain('hidden record: restarts MOVE.L (A0)+,-(A1) exactly after a fault on each of its references (m68010-hidden)');
    expect(failed.find((t) => t.name.startsWith('hidden record: restarts ADD.W -(A2),D1'))?.output).toMatch(/A2 after undoing \[\]/);
    expect(results.score).toBeLessThan(results.tests.reduce((s, t) => s + t.max_score, 0));
  });

  it('passes a student FIFO replacement policy', () => {
    const r = pagelab('replacement-policy', './student-fifo.mjs');
    expect(r.stdout).toMatch(/^total: 12 passed, 0 failed, score 12\/12$/m);
    expect(r.status).toBe(0);
  });

  it('rejects a module that is not the seam\'s part with one line and exit 2', () => {
    const r = pagelab('restart-strategy', './student-fifo.mjs');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('pagelab: error: ./student-fifo.mjs: restart-strategy: the object the default export returns has no backUp()\n');
    expect(r.status).toBe(2);
  });
});

describe('pagelab conform: bad input is one line and status 2', () => {
  const capture = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = await runPagelab(['conform', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
    return { status, stdout, stderr };
  };
  const fifo = join(fixtures, 'student-fifo.mjs');

  it.each([
    [['pager'], /^pagelab: error: conform: expected a seam and a module, got 1 argument\(s\); `pagelab conform --help` shows the usage\n$/],
    [['scheduler', fifo], /^pagelab: error: seam: unknown seam "scheduler"; expected one of replacement-policy, pager, restart-strategy\n$/],
    [['replacement-policy', fifo, '--format', 'xml'], /^pagelab: error: format: expected text or gradescope, got "xml"\n$/],
    [['replacement-policy', fifo, '--extra-tests', join(scratch, 'missing')], /^pagelab: error: extra-tests: .*missing: no such directory\n$/],
    [['replacement-policy', fifo, '--out', join(scratch, 'no', 'such', 'dir.json')], /^pagelab: error: out: .*dir\.json: cannot write \(ENOENT\)\n$/],
    [['pager', join(scratch, 'absent.mjs')], /^pagelab: error: .*absent\.mjs: pager: no such file\n$/],
    [['pager', fifo, '--bogus'], /^pagelab: error: .*--bogus/],
  ])('%j', async (argv, message) => {
    const { status, stderr } = await capture(argv);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(status).toBe(2);
  });
});

describe('pagelab conform usage', () => {
  it('lists exactly the seams the conformance package has a suite for', async () => {
    const { conformSeamNames } = await import('@pagelab/conformance');
    const { conformSeams } = await import('./conform-usage.js');
    expect([...conformSeams]).toEqual([...conformSeamNames]);
  });
});

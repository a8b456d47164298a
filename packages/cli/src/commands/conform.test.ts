import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** Runs `pagelab conform` in this process (the command the bin runs), capturing what it prints. */
async function conformInProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(['conform', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

/** Writes a part module into the scratch directory; `{{parts}}` becomes the URL of pagelab's own parts. */
function scratchModule(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text.replaceAll('{{parts}}', pathToFileURL(join(fixtures, 'pagelab-parts.mjs')).href));
  return path;
}

/** The names of the tests a text report marks FAIL. */
const failedNames = (stdout: string): string[] => [...stdout.matchAll(/^FAIL\s+0\/1 {2}(.+)$/gm)].map((m) => m[1]!);

describe('pagelab conform on the io-strategy, frame-table, mmu and dma seams', () => {
  it.each([
    ['io-strategy', 'hybrid (pagelab-io-strategy.mjs)', 7],
    ['frame-table', 'pagelab-frame-table.mjs', 24],
    ['mmu', 'pagelab-mmu.mjs', 36],
    ['dma', 'pagelab-dma.mjs', 6],
  ])("passes pagelab's own %s part through the bin: every test listed, exit 0", (seam, subject, count) => {
    const r = pagelab(seam, `./pagelab-${seam}.mjs`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${seam} conformance: ${subject}\n`);
    expect(r.stdout.match(/^pass\s+1\/1 {2}/gm)).toHaveLength(count);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(new RegExp(`^total: ${count} passed, 0 failed, score ${count}/${count}$`, 'm'));
    expect(r.status).toBe(0);
  });

  it('fails a bounce strategy that forgets to copy a read back, naming the tests, exit 1', async () => {
    const module = scratchModule('forgetful-bounce.mjs', `// Copies a write out to its bounce buffer, but never copies a read back in.
let nextToken = 1;
export default function createForgetfulBounce(options) {
  const books = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  const held = new Map();
  const charge = (bytes) => { books.bytesCopied += bytes; books.copyCycles += options.copyCyclesPerByte * bytes; };
  return {
    name: 'forgetful-bounce',
    specificationVersion: 1,
    get costs() { return { ...books }; },
    begin(request, services) {
      if (!services.checkRange(request.buffer, request.direction)) return { kind: 'fail', errno: 14, reason: 'outside the address space' };
      if (request.buffer.length > services.bouncePoolBytes) return { kind: 'split', pieceBytes: services.bouncePoolBytes, reason: 'bigger than the pool' };
      const bounce = services.allocateBounce(request.buffer.length);
      if (bounce === null) { books.poolWaits++; return { kind: 'wait', reason: 'pool full' }; }
      if (request.direction === 1) charge(services.copyBounce(bounce.id, request.buffer, request.direction, request.buffer.length));
      const token = nextToken++;
      held.set(token, bounce.id);
      return { kind: 'transfer', segments: bounce.segments, token };
    },
    finish(request, token, bytes, services) {
      services.freeBounce(held.get(token));
      held.delete(token);
      return bytes;
    },
  };
}
`);
    const r = await conformInProcess(['io-strategy', module]);
    expect(r.stdout).toContain('io-strategy conformance: forgetful-bounce (forgetful-bounce.mjs)\n');
    expect(failedNames(r.stdout)).toEqual([
      'delivers a read into the user buffer, across page boundaries, and holds nothing afterwards',
      'keeps several requests in flight apart and releases each at its own completion',
      'delivers a read larger than the whole bounce pool, in pieces if it asks for them, holding nothing afterwards',
    ]);
    expect(r.stdout).toMatch(/^pass\s+1\/1 {2}sends the user bytes of a write to the device$/m);
    expect(r.stdout).toMatch(/^total: 4 passed, 3 failed, score 4\/7$/m);
    expect(r.status).toBe(1);
  });

  it('fails a frame table that loses a second pin on a frame, naming the tests, exit 1', async () => {
    const module = scratchModule('pin-losing-frame-table.mjs', `// pagelab's frame table, except that pinning a pinned frame hands back the pin it already has.
import { createFrameTable } from '{{parts}}';
export default (options) => {
  const table = createFrameTable(options);
  return new Proxy(table, {
    get(target, key) {
      if (key === 'pin') {
        return (frame, reason, addressSpace, now) => target.outstandingPins().find((p) => p.frame === frame)?.id ?? target.pin(frame, reason, addressSpace, now);
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};
`);
    const r = await conformInProcess(['frame-table', module]);
    const failed = failedNames(r.stdout);
    expect(failed).toContain('counts pins: a frame stays pinned until its last pin is released');
    expect(failed).toContain('never counts the kernel’s own pins or fresh page-in locks against the quota');
    expect(failed).not.toContain('refuses to pin a free frame');
    expect(r.stdout).toMatch(/^FAIL\s+0\/1 {2}counts pins: a frame stays pinned until its last pin is released\n\s+the handle of a second pin on the frame \(must differ from the first\): expected 1 not to be 1$/m);
    expect(r.status).toBe(1);
  });

  it('fails an MMU that ignores protection, naming the tests, exit 1', async () => {
    const module = scratchModule('unprotected-mmu.mjs', `// pagelab's MMU, except that every page is mapped readable, writable and executable.
import { createMmu } from '{{parts}}';
const ALL = 7;
export default (options) => {
  const mmu = createMmu(options);
  return new Proxy(mmu, {
    get(target, key) {
      if (key === 'map') return (space, page, frame) => target.map(space, page, frame, ALL);
      if (key === 'reserve') return (space, first, count) => target.reserve(space, first, count, ALL);
      if (key === 'protect') return (space, page) => target.protect(space, page, ALL);
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
};
`);
    const r = await conformInProcess(['mmu', module]);
    const failed = failedNames(r.stdout);
    for (const name of [
      'tells unmapped, not-present and protection faults apart',
      'reports a forbidden access to a not-present page as a protection fault',
      'requires Execute to fetch, Read to read and Write to write',
      'never grants an old protection through a stale entry',
      'throws a BusFault with the cause, access and size, and changes no memory',
    ]) expect(failed).toContain(name);
    expect(failed).not.toContain('translates correctly when far more pages are in use than the TLB holds');
    expect(r.status).toBe(1);
  });

  it('fails a DMA controller that drops a completion, in Gradescope form, exit 1', async () => {
    const module = scratchModule('lossy-dma.mjs', `// pagelab's DMA controller, except that the completion of every second transfer is never reported.
import { createDma } from '{{parts}}';
export default (wiring) => createDma({
  ...wiring,
  listener: {
    burst: (transfer, address, length, at) => wiring.listener.burst(transfer, address, length, at),
    complete: (transfer, bytes, at) => { if (transfer.id % 2 === 1) wiring.listener.complete(transfer, bytes, at); },
  },
});
`);
    const r = await conformInProcess(['dma', module, '--format', 'gradescope']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const results = validateGradescope(r.stdout);
    expect(results.tests).toHaveLength(6);
    expect(results.tests.every((t) => t.visibility === 'visible' && t.max_score === 1)).toBe(true);
    const failed = results.tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.name)).toEqual(['never runs more transfers at once than it has channels, and finishes them all']);
    expect(failed[0]!.output).toMatch(/expected \[ [\d, ]+ \] to deeply equal \[ 1, 2, 3, 4 \]/);
    expect(results.score).toBe(5);
  });

  it.each([
    ['io-strategy', "{ name: 'old-io', specificationVersion: 0, begin() {}, finish() {}, costs: {} }", 'needs specification version 1, got 0'],
    ['frame-table', "{ specificationVersion: '1' }", 'needs specification version 1, got "1"'],
    ['mmu', '{ translate() {}, busFor() {} }', 'needs specification version 1, got none (no specificationVersion property)'],
    ['dma', '{ specificationVersion: 2, submit() {}, channelCount: 1 }', 'needs specification version 1, got 2'],
  ])('rejects a %s part with the wrong specificationVersion in one line, exit 2', async (seam, object, problem) => {
    const module = scratchModule(`old-${seam}.mjs`, `export default () => (${object});\n`);
    const r = await conformInProcess([seam, module]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`pagelab: error: ${module}: ${seam}: ${problem}\n`);
    expect(r.status).toBe(2);
  });

  it.each([
    ['io-strategy', "export default () => ({ name: 'half', specificationVersion: 1, begin() {} });", 'the object the default export returns has no finish()'],
    ['io-strategy', "export default () => ({ name: 'free', specificationVersion: 1, begin() {}, finish() {} });", 'the object the default export returns has no costs (an IoCosts object)'],
    ['io-strategy', 'export default () => ({ specificationVersion: 1, begin() {}, finish() {}, costs: {} });', 'the object the default export returns has no name (a non-empty string)'],
    ['mmu', 'export default { translate() {} };', 'the default export must be an mmu factory, (options) => Mmu, got object'],
    ['dma', 'export default () => { throw new Error("no wiring yet"); };', 'calling the default export threw: no wiring yet'],
    ['frame-table', 'export default () => ({ specificationVersion: 1, allocate() {} });', 'the object the default export returns has no state(), owner()'],
  ])('rejects a %s module that is not the seam\'s part in one line, exit 2 (%#)', async (seam, text, problem) => {
    const module = scratchModule(`not-a-part-${seam}-${text.length}.mjs`, text + '\n');
    const r = await conformInProcess([seam, module]);
    expect(r.stderr.startsWith(`pagelab: error: ${module}: ${seam}: ${problem}`)).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
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
    [['scheduler', fifo], /^pagelab: error: seam: unknown seam "scheduler"; expected one of replacement-policy, pager, restart-strategy, io-strategy, frame-table, mmu, dma\n$/],
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

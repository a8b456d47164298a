import { afterAll, describe, expect, it } from 'vitest';
import { locateSstSet } from './locate.js';
import { listSstFiles, runSstFile, sstFileName, SstRunner } from './runner.js';

// Throws (failing the whole file) when no set can be found: never a silent skip.
const set = locateSstSet();
const files = listSstFiles(set.directory);
/** Cases per file: the subset keeps 200 of each file's 1,000; a directory named in the environment may be either. */
const perFile = set.kind === 'subset' ? [200] : set.kind === 'full' ? [1000] : [200, 1000];

// The translator on a flat bus, and through a page window (its paged path: the prefetch queue,
// data through the window); the interpreter on a flat bus, and through a page window (its
// fetches, reads and writes from the window's answers); and the continuation model, which
// logs every bus reference instead of taking the flat bus's shortcut, on the interpreter it
// always runs on.
for (const [engine, paged, model] of [
  ['translate', false, 'm68000'],
  ['translate', true, 'm68000'],
  ['interpret', false, 'm68000'],
  ['interpret', true, 'm68000'],
  ['interpret', false, 'm68010-continuation'],
] as const) {
  const where = `${engine === 'translate' ? 'translator' : 'interpreter'}${paged ? ' through a page window' : ''}${model === 'm68000' ? '' : `, model ${model}`}`;
  describe(`SingleStepTests/m68000 on the ${where} (${set.kind} set: ${set.directory})`, () => {
    const runner = new SstRunner({ engine, paged, model });
    const totals = { passed: 0, failed: 0 };
    afterAll(() => console.log(`SingleStepTests, the ${set.kind} set (${set.source}), ${where}: ${totals.passed} passed, ${totals.failed} failed`));

    it('has the 127 instruction files', () => {
      expect(files).toHaveLength(127);
    });

    for (const file of files) {
      const name = sstFileName(file);
      it(`${name}: state and cycles match`, () => {
        const compiledBefore = runner.blocksCompiled;
        const result = runSstFile(file, runner);
        totals.passed += result.passed;
        totals.failed += result.total - result.passed;
        // An empty or truncated file must not pass quietly.
        expect(perFile).toContain(result.total);
        const firstFailures = result.failures.slice(0, 3).map((f) => `${f.name}: ${f.differences.join('; ')}`);
        if (result.verified) expect(firstFailures).toEqual([]);
        // Cycle counts are not part of pass/fail, but every file matches today: keep it so.
        expect(result.cyclesMatching).toBe(result.total);
        // Through the translator, every case ran as a compiled block of its own: none was
        // left to the interpreter.
        expect(runner.blocksCompiled - compiledBefore).toBe(engine === 'translate' ? result.total : 0);
      });
    }
  });
}

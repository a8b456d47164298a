import { afterAll, describe, expect, it } from 'vitest';
import { listSstFiles, readSstFile, sstFileName, SstRunner, UNVERIFIED_FILES } from './runner.js';
import { SUBSET_DIRECTORY } from './locate.js';
import { isAddressErrorCase } from './subset.js';

// Every case of the committed subset (always present: a missing file fails below), every one of
// its bus references faulted in turn and the instruction continued from the long frame's saved
// state: the result must be SingleStepTests' final state and cycle count, as if nothing had
// faulted. Address-error cases are left out: their own fault is the case.
const files = listSstFiles(SUBSET_DIRECTORY);

describe('m68010-continuation: every reference of every SingleStepTests subset case faulted and continued', () => {
  const runner = new SstRunner({ engine: 'interpret', model: 'm68010-continuation', continueFaults: true });
  const totals = { cases: 0, continued: 0, halted: 0, wrong: 0, cyclesWrong: 0 };
  afterAll(() =>
    console.log(
      `continuation over the SingleStepTests subset: ${totals.cases} cases, ${totals.continued} faults continued to the final state, ` +
        `${totals.halted} faults in exception processing (halt), ${totals.wrong} wrong, ${totals.cyclesWrong} with other cycle counts`,
    ),
  );

  it('has the 127 instruction files', () => {
    expect(files).toHaveLength(127);
  });

  for (const file of files) {
    const name = sstFileName(file);
    it(`${name}: each fault continued gives the final state and cycles`, () => {
      const failures: string[] = [];
      let continued = 0;
      for (const test of readSstFile(file)) {
        if (isAddressErrorCase(test)) continue;
        totals.cases++;
        for (let n = 1; ; n++) {
          const outcome = runner.runContinued(test, n);
          if (outcome.kind === 'none') break;
          if (outcome.kind === 'halted') {
            totals.halted++;
            continue;
          }
          continued++;
          totals.continued++;
          // Only the faulted reference and those after it reach the bus again.
          if (outcome.referencesAfterResume < 1) failures.push(`${test.name} #${n}: no reference after the resume`);
          if (!outcome.cyclesMatch) totals.cyclesWrong++;
          if (!outcome.passed || !outcome.cyclesMatch) {
            totals.wrong++;
            failures.push(`${test.name} #${n}: ${outcome.differences.join('; ')}`);
          }
        }
      }
      if (!UNVERIFIED_FILES.has(name)) expect(failures.slice(0, 3)).toEqual([]);
      expect(continued).toBeGreaterThan(0);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { AccessKind } from '@pagelab/contracts';
import { SstTransactionKind } from './format.js';
import { locateSstSet } from './locate.js';
import { sstFaultView, sstInitialState } from './restart-case.js';
import { listSstFiles, readSstFile, sstFileName } from './runner.js';

const set = locateSstSet();
const files = listSstFiles(set.directory);
/** Address-error cases in the two known sets (counted from the bus logs when the subset was cut). */
const EXPECTED_CASES: Partial<Record<typeof set.kind, number>> = { full: 22305, subset: 6294 };

describe('sstFaultView', () => {
  let cases = 0;

  for (const file of files) {
    it(`${sstFileName(file)}: decodes each stacked frame as the bus log saw the aborted cycle`, () => {
      const mismatches: string[] = [];
      for (const test of readSstFile(file)) {
        const view = sstFaultView(test);
        const aborted = test.transactions.find((t) => t.kind === SstTransactionKind.ReadAddressError || t.kind === SstTransactionKind.WriteAddressError);
        if (view === null || aborted === undefined) {
          if ((view === null) !== (aborted === undefined)) mismatches.push(`${test.name}: a view exactly when there is an address error`);
          continue;
        }
        cases++;
        const { frame } = view;
        // The bus carries A23..A1; the frame holds the full address the instruction formed.
        if ((frame.address & 0xfffffe) !== (aborted.address & 0xfffffe)) mismatches.push(`${test.name}: address`);
        if ((frame.access === AccessKind.Write) !== (aborted.kind === SstTransactionKind.WriteAddressError)) mismatches.push(`${test.name}: direction`);
        if (frame.functionCode !== aborted.functionCode) mismatches.push(`${test.name}: function code`);
        // Exception processing leaves the data registers alone.
        if (![...view.registers.registers.subarray(0, 8)].every((v, i) => v === test.final.d[i])) mismatches.push(`${test.name}: data registers`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }

  it('found every address-error case of the set', () => {
    const expected = EXPECTED_CASES[set.kind];
    if (expected === undefined) expect(cases).toBeGreaterThan(0);
    else expect(cases).toBe(expected);
  });

  it('is null for a test without an address error, and the initial state starts 4 bytes below the prefetch address', () => {
    const nop = readSstFile(files.find((f) => sstFileName(f) === 'NOP')!)[0]!;
    expect(sstFaultView(nop)).toBeNull();
    expect(sstInitialState(nop).startPc).toBe((nop.initial.pc - 4) >>> 0);
  });
});

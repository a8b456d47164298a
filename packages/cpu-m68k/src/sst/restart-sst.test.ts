/**
 * The software restart strategy against the real chip: every address-error case of the
 * SingleStepTests set (the full set when present, else the committed subset; never skipped).
 * From the stacked frame, the registers the aborted instruction left and the memory, the
 * strategy must give the instruction's start and the register changes that take the registers
 * back to the test's initial state, or refuse; a wrong restart fails the test.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RegisterChange, RestartVerdict } from '@pagelab/contracts';
import { applyRestart } from '../restart/policies.js';
import { createSoftwareStrategy } from '../restart/software.js';
import { locateSstSet } from './locate.js';
import { sstFaultView, sstInitialState, type SstFaultView, type SstInitialState } from './restart-case.js';
import { listSstFiles, readSstFile, sstFileName } from './runner.js';

const SR_S = 0x2000;
const set = locateSstSet();
const files = listSstFiles(set.directory);
const software = createSoftwareStrategy();

/** Memory the tests do not list, filled with a fixed hash instead of zeros: the chip never read it. */
const noise = (address: number): number => (Math.imul(address ^ 0x9e3779b9, 0x85ebca6b) >>> 16) & 0xffff;

/** Whether restarting at `startPc` after undoing `undo` gives back the initial PC and all 16 registers. */
function restores(view: SstFaultView, truth: SstInitialState, startPc: number, undo: readonly RegisterChange[]): boolean {
  const registers = { ...view.registers, registers: Uint32Array.from(view.registers.registers) };
  const pc = applyRestart(registers, { kind: 'restarted', startPc, undo, chosenFrom: null });
  return pc === truth.startPc && registers.registers.every((v, i) => v === truth.registers[i]);
}

type Outcome = 'recovered' | 'ambiguous' | 'unrecoverable' | 'wrong';

function judge(view: SstFaultView, truth: SstInitialState, verdict: RestartVerdict): Outcome {
  switch (verdict.kind) {
    case 'restarted':
      return restores(view, truth, verdict.startPc, verdict.undo) ? 'recovered' : 'wrong';
    case 'ambiguous':
      // Ambiguous is honest only if the truth is among the candidates.
      return verdict.candidates.some((c) => restores(view, truth, c.startPc, c.undo)) ? 'ambiguous' : 'wrong';
    case 'unrecoverable':
      return 'unrecoverable';
    case 'continued':
      // The software strategy never continues; a verdict that says it did is not a backup.
      return 'wrong';
  }
}

describe(`software restart against the SingleStepTests address-error cases (${set.kind} set)`, () => {
  const totals: Record<Outcome | 'total', number> = { total: 0, recovered: 0, ambiguous: 0, unrecoverable: 0, wrong: 0 };
  const unrecoveredBy = new Map<string, number>();
  /** Unrecoverable cases other than an RTE back to user mode. */
  const unexplained: string[] = [];
  afterAll(() => {
    const others = [...unrecoveredBy].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
    console.log(
      `software restart vs the 68000 (${set.kind} set): ${totals.recovered} recovered, ${totals.ambiguous} ambiguous, ${totals.unrecoverable} unrecoverable, ${totals.wrong} wrong, of ${totals.total} address errors (unrecoverable by file: ${others})`,
    );
  });

  for (const file of files) {
    const name = sstFileName(file);
    const cases = readSstFile(file)
      .map((test) => ({ test, view: sstFaultView(test) }))
      .filter((c): c is { test: typeof c.test; view: SstFaultView } => c.view !== null);
    if (cases.length === 0) continue;
    it(`${name}: ${cases.length} address errors, no wrong restart (unlisted memory zeroed; every third case also noisy)`, () => {
      const wrong: string[] = [];
      for (const [index, { test, view }] of cases.entries()) {
        const truth = sstInitialState(test);
        const outcome = judge(view, truth, software.backUp(view.frame, view.registers, view.code));
        totals.total++;
        totals[outcome]++;
        if (outcome === 'unrecoverable') {
          unrecoveredBy.set(name, (unrecoveredBy.get(name) ?? 0) + 1);
          if (name !== 'RTE' || (view.frame.statusRegister & SR_S) !== 0) unexplained.push(test.name);
        }
        if (outcome === 'wrong') wrong.push(test.name);
        // The same case over other unlisted memory must never give a wrong answer (every third case: time).
        if (index % 3 !== 0) continue;
        const noisy = sstFaultView(test, { fill: noise })!;
        const again = judge(noisy, truth, software.backUp(noisy.frame, noisy.registers, noisy.code));
        if (again === 'wrong') wrong.push(`${test.name} (noisy memory)`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('recovers every case except RTEs that returned to user mode, and none is ambiguous', () => {
    // Such an RTE has already loaded the new SR and switched to the user stack when its fetch at
    // the odd return address faults: undoing it means restoring SR and the stack switch, which
    // a verdict (address-register deltas) cannot say. A user program never runs RTE.
    expect(totals.total).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
    expect(totals.ambiguous).toBe(0);
  });
});

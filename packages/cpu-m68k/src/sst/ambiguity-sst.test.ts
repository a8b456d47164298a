/**
 * Software backup on every reference of the SingleStepTests cases (the committed subset, every
 * fifth case of each file: the full figures are `pnpm ambiguity-table --sst`). Each verdict is
 * scored against the truth the core knows; each truth is restarted and compared with the
 * case's final state, which comes from the real chip (MAME's microcode-level 68000).
 */
import { describe, expect, it } from 'vitest';
import { measureSstAmbiguity, sstAmbiguityReport, sstCaseFiles, type SstAmbiguityCount } from './ambiguity-sst.js';
import { SUBSET_DIRECTORY } from './locate.js';

const files = sstCaseFiles(SUBSET_DIRECTORY, 5);
const report = sstAmbiguityReport('every fifth committed case', files);
const byModel = new Map(report.counts.map((c) => [c.model, c]));
const of = (model: string): SstAmbiguityCount => byModel.get(model as SstAmbiguityCount['model'])!;

/** Forms that read the X flag: the core sets the flags before the store that may fault, so a restart reads the new X. */
const X_READERS = /^(ABCD|SBCD|NBCD|ADDX|SUBX|NEGX|ROX[LR])/;
/** Long read-modify-writes: the high word is stored before the low one can fault. */
const LONG_RMW = /^(ADD|SUB|AND|OR|EOR|NEG|NEGX|NOT|ADDX|SUBX)\.l$/;

describe('software backup on every reference of the SingleStepTests cases (committed subset, every fifth case)', () => {
  it('runs every form and faults many references of each case', () => {
    expect(files.length).toBeGreaterThan(120);
    for (const c of report.counts) {
      expect(c.cases).toBe(files.reduce((n, f) => n + f.tests.length, 0));
      expect(c.faults / c.cases, c.model).toBeGreaterThan(2);
    }
    // The hidden-record model fetches each word when used: fewer references than the prefetching models.
    expect(of('m68010-hidden').faults).toBeLessThan(of('m68000').faults);
    expect(of('pc-only').faults).toBe(of('m68000').faults);
  });

  it('never restarts wrongly and never leaves the truth out of an ambiguity, on any model', () => {
    for (const c of report.counts) {
      expect(c.wrongExamples, c.model).toEqual([]);
      expect(c.wrong + c.ambiguousWithoutTruth, c.model).toBe(0);
    }
  });

  it('the IR keeps ambiguity below 2%; the PC alone leaves about one fault in ten ambiguous', () => {
    const plain = of('m68000');
    const bare = of('pc-only');
    expect(plain.ambiguous / plain.faults).toBeLessThan(0.02);
    expect(bare.ambiguous / bare.faults).toBeGreaterThan(0.08);
    expect(bare.ambiguous / bare.faults).toBeLessThan(0.14);
    // What the IR leaves ambiguous is nearly always where to restart known, the undo in doubt: a
    // register stepped between two references of one kind (RTE and RTR popping the stack,
    // ABCD -(An),-(An) and CMPM (An)+,(An)+ on one register). The hidden-record model, which
    // never faults a prefetch, has exactly those.
    expect(plain.ambiguous - plain.ambiguousUndoOnly).toBeLessThanOrEqual(1);
    expect(of('m68010-hidden').ambiguous).toBe(of('m68010-hidden').ambiguousUndoOnly);
    for (const [name, f] of of('m68010-hidden').families) if (f.ambiguous > 0) expect(name).toMatch(/^(RT[ER]|ABCD|SBCD|ADDX\.[bwl]|SUBX\.[bwl]|CMP\.[bwl])$/);
  });

  it('what none can back up is a MOVEM that has overwritten its own address inputs', () => {
    for (const c of report.counts) {
      for (const [name, f] of c.families) if (f.unrecoverable > 0) expect(name, c.model).toMatch(/^MOVEM\.[wl]$/);
      // The same faults on every model: the frame has nothing to do with it. And each is a fault
      // no restart could fix: restarting from the truth misses the chip's final state too.
      expect(c.unrecoverable, c.model).toBe(of('m68000').unrecoverable);
      expect(c.unrecoverableUnrestartable, c.model).toBe(c.unrecoverable);
      expect(c.mismatchCauses.registers, c.model).toBe(c.unrecoverable);
    }
  });

  it('hardware restart reaches the chip\'s final state except where the instruction had already changed what it reads again', () => {
    const hidden = of('m68010-hidden');
    expect(hidden.restartMatches + hidden.restartMismatches).toBe(hidden.faults);
    expect(hidden.restartMatches / hidden.faults).toBeGreaterThan(0.97);
    for (const [name, f] of hidden.families) {
      if (f.restartMismatches === 0) continue;
      expect(X_READERS.test(name) || LONG_RMW.test(name) || /^MOVEM\./.test(name), name).toBe(true);
    }
    const causes = hidden.mismatchCauses;
    expect(causes.status + causes.memory + causes['status and memory'] + causes.registers).toBe(hidden.restartMismatches);
    for (const cause of ['status', 'memory', 'registers'] as const) expect(causes[cause], cause).toBeGreaterThan(0);
  });

  it('each model\'s truth restarts the same faults to the same end (the models differ only in what the frame holds and when words are fetched)', () => {
    expect(of('pc-only').restartMatches).toBe(of('m68000').restartMatches);
    expect(of('pc-only').mismatchCauses).toEqual(of('m68000').mismatchCauses);
  });
});

describe('measureSstAmbiguity on one form', () => {
  it('MOVE.l: every fault restarted exactly on m68000, and the restarts reach the final state', () => {
    const move = files.filter((f) => f.name === 'MOVE.l');
    const c = measureSstAmbiguity('m68000', move);
    expect(c.faults).toBeGreaterThan(0);
    expect(c.restarted).toBe(c.faults);
    expect(c.restartMatches).toBe(c.faults);
    // Its final prefetch comes after the store: those faults go on at the next instruction.
    expect(c.completed).toBeGreaterThan(0);
    expect(measureSstAmbiguity('m68010-hidden', move).completed).toBe(0);
  });
});

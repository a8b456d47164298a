import { describe, expect, it } from 'vitest';
import { AccessKind } from '../../packages/contracts/src/index.ts';
import { measureAmbiguity } from '../../packages/cpu-m68k/src/restart/ambiguity.ts';
import { fixturePrograms } from '../../packages/cpu-m68k/src/runner/__fixtures__/fixture-programs.ts';
import { seedCases, sstAmbiguity } from './seed-instruction.mjs';

// The claims docs/experiments/seed-instruction.md makes in prose, checked against the runs.

const rows = seedCases();
const of = (model) => rows.filter((r) => r.model === model);
const fetchAt = (model, address) => of(model).find((r) => r.fault.frame.access === AccessKind.Fetch && r.fault.frame.address === address);
const starts = (v) => (v.kind === 'ambiguous' ? v.candidates.map((c) => c.startPc).sort((a, b) => a - b) : v.kind === 'restarted' ? [v.startPc] : []);

describe('docs/experiments/seed-instruction.md', () => {
  it('the stacked PC is 0x1002, 0x1004 or 0x1006, never 0x1000', () => {
    const pcs = new Set(of('m68000').map((r) => r.fault.frame.programCounter));
    expect([...pcs].sort()).toEqual([0x1002, 0x1004, 0x1006]);
  });

  it('the prefetch of 0x1006 leaves the store undone (restart 0x1000); the final prefetch of 0x1008 comes after completion (go on at 0x1006)', () => {
    const next = fetchAt('m68000', 0x1006);
    expect(next.fault.completed).toBe(false);
    expect(of('m68000').findIndex((r) => r === next)).toBeLessThan(of('m68000').findIndex((r) => r.fault.frame.access === AccessKind.Write));
    expect(starts(next.software)).toEqual([0x1000]);
    const last = fetchAt('m68000', 0x1008);
    expect(last.fault.completed).toBe(true);
    expect(last.software).toMatchObject({ kind: 'restarted', startPc: 0x1006, undo: [] });
    expect(fetchAt('m68010-hidden', 0x1008)).toBeUndefined();
    expect(of('m68010-hidden').some((r) => r.fault.completed)).toBe(false);
  });

  it('with the IR every fault has one reading; without it the fetches of 0x1004, 0x1006 and 0x1008 are ambiguous', () => {
    for (const r of of('m68000')) expect(r.software.kind, r.reference).toBe('restarted');
    const ambiguous = of('pc-only').filter((r) => r.software.kind === 'ambiguous');
    expect(ambiguous.map((r) => r.fault.frame.address)).toEqual([0x1004, 0x1006, 0x1008]);
    expect(starts(fetchAt('pc-only', 0x1004).software)).toEqual([0x1000, 0x1002]);
    expect(fetchAt('pc-only', 0x1004).fault.frame.programCounter).toBe(0x1002);
    expect(starts(fetchAt('pc-only', 0x1006).software)).toEqual([0x1000, 0x1002]);
    expect(starts(fetchAt('pc-only', 0x1008).software)).toEqual([0x1004, 0x1006]);
    for (const r of of('pc-only').filter((x) => x.software.kind !== 'ambiguous')) expect(r.software.kind, r.reference).toBe('restarted');
  });

  it('no register is ever changed at a fault; hardware needs the hidden record; none refuses everything', () => {
    for (const r of rows) {
      expect(r.touched, `${r.model} ${r.reference}`).toEqual([]);
      expect(r.none.kind).toBe('unrecoverable');
      expect(r.hardware.kind).toBe(r.model === 'm68010-hidden' ? 'restarted' : 'unrecoverable');
    }
    for (const r of of('m68010-hidden')) expect(starts(r.hardware)).toEqual([0x1000]);
  });

  it('on the fixtures: the IR leaves no fault ambiguous, the PC alone about one in ten; a third follow a completed instruction', () => {
    const programs = fixturePrograms();
    const [plain, bare] = ['m68000', 'pc-only'].map((model) => measureAmbiguity({ model, programs, seeds: [1], rate: 0.01 }));
    for (const c of [plain, bare]) {
      expect(c.wrong + c.ambiguousWithoutTruth + c.unrecoverable + c.failedRuns, c.model).toBe(0);
    }
    expect(plain.ambiguous).toBe(0);
    expect(bare.ambiguous / bare.faults).toBeGreaterThan(0.05);
    expect(bare.ambiguous / bare.faults).toBeLessThan(0.15);
    expect(plain.completed / plain.faults).toBeGreaterThan(0.3);
    expect(plain.completed / plain.faults).toBeLessThan(0.4);
  });

  describe('on every single-instruction case (the committed SingleStepTests subset)', () => {
    const { counts } = sstAmbiguity();
    const [plain, bare, hidden] = ['m68000', 'pc-only', 'm68010-hidden'].map((model) => counts.find((c) => c.model === model));
    const pct = (n, of) => (100 * n) / of;

    it('all 25,400 cases; no verdict is wrong and every ambiguity holds the truth, on every model', () => {
      for (const c of counts) {
        expect(c.cases).toBe(25400);
        expect(c.wrong + c.ambiguousWithoutTruth, c.model).toBe(0);
      }
    });

    it('with the IR 0.9% of the faults are ambiguous, all but one only in how far to undo; with the PC alone 10.8%', () => {
      expect(pct(plain.ambiguous, plain.faults)).toBeGreaterThan(0.85);
      expect(pct(plain.ambiguous, plain.faults)).toBeLessThan(0.95);
      expect(plain.ambiguous - plain.ambiguousUndoOnly).toBe(1);
      expect(pct(bare.ambiguous, bare.faults)).toBeGreaterThan(10.75);
      expect(pct(bare.ambiguous, bare.faults)).toBeLessThan(10.85);
      expect(hidden.ambiguous).toBe(plain.ambiguous);
      const ambiguousForms = [...plain.families].filter(([, f]) => f.ambiguous > 0).map(([name]) => name);
      for (const name of ambiguousForms) expect(name).toMatch(/^(RT[ER]|ABCD|SBCD|ADDX\.[bwl]|SUBX\.[bwl]|CMP\.l|OR\.b)$/);
      expect(plain.families.get('RTR').ambiguous + plain.families.get('RTE').ambiguous).toBe(664);
    });

    it('the 164 unrecoverable faults are MOVEMs, the same on every model, and none of them could be restarted at all', () => {
      for (const c of counts) {
        expect(c.unrecoverable, c.model).toBe(164);
        expect(c.unrecoverableUnrestartable, c.model).toBe(164);
        expect(c.families.get('MOVEM.l').unrecoverable + c.families.get('MOVEM.w').unrecoverable, c.model).toBe(164);
      }
    });

    it('restarting from the truth reaches the final state on 98.9% of the faults; the rest had changed what they read again', () => {
      expect(pct(plain.restartMatches, plain.faults)).toBeGreaterThan(98.85);
      expect(pct(plain.restartMatches, plain.faults)).toBeLessThan(98.95);
      for (const c of counts) expect(c.mismatchCauses, c.model).toEqual({ status: 548, memory: 316, 'status and memory': 63, registers: 164 });
      expect(hidden.restartMismatches).toBe(plain.restartMismatches);
    });

    it('the prefetching models fault about 1.8 times as many references, a sixth of them after the instruction completed', () => {
      expect(plain.faults / hidden.faults).toBeGreaterThan(1.75);
      expect(plain.faults / hidden.faults).toBeLessThan(1.8);
      expect(pct(plain.completed, plain.faults)).toBeGreaterThan(17);
      expect(pct(plain.completed, plain.faults)).toBeLessThan(17.5);
    });
  });
});

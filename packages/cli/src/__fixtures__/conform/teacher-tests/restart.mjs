// A teacher's hidden tests for the restart-strategy seam, as `--extra-tests` loads them.
import assert from 'node:assert/strict';

export const seam = 'restart-strategy';

export default [
  {
    name: 'teacher: MOVE.L (A0)+,(A1)+ restarts at its start after every fault (m68010-hidden)',
    maxScore: 2,
    run(factory, kit) {
      const strategy = factory();
      const faults = kit.bench.faultEveryReference({ model: 'm68010-hidden', start: 0x2000, words: [0x22d8] });
      assert.ok(faults.length >= 3, `expected at least 3 references, got ${faults.length}`);
      for (const f of faults) {
        const verdict = strategy.backUp(f.frame, f.cpu.state, f.code);
        assert.equal(verdict.kind, 'restarted', `reference ${f.reference}`);
        assert.equal(verdict.startPc, 0x2000);
      }
      return `${faults.length} faults restarted`;
    },
  },
];

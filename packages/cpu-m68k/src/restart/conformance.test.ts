import { describe, expect, it } from 'vitest';
import type { RestartStrategy, RestartStrategyOptions } from '@pagelab/contracts';
import { describeRestartStrategyConformance, restartStrategyConformanceSuite, runConformanceSuite } from '@pagelab/conformance';
import { lowestStartPolicy, resolveAmbiguity } from './policies.js';
import { faultEveryReference } from '../testing/fault-bench.js';
import { createContinueStrategy, createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';

// The built-in strategies against the shared suite, each with the capabilities it claims.
const bench = { faultEveryReference };
describeRestartStrategyConformance('hardware', createHardwareStrategy, { bench, capabilities: { hiddenRecord: true } });
describeRestartStrategyConformance('software', (options) => createSoftwareStrategy(options), { bench, capabilities: { plainFrame: true } });
describeRestartStrategyConformance('continue', createContinueStrategy, { bench, capabilities: { continuation: true } });
describeRestartStrategyConformance('none', createNoRestartStrategy, { bench });

describe('the restart suite fails broken strategies, by name', () => {
  const failures = async (suite: ReturnType<typeof restartStrategyConformanceSuite>): Promise<Map<string, string>> => {
    const report = await runConformanceSuite(suite);
    return new Map(report.results.filter((r) => !r.passed).map((r) => [r.name, r.output]));
  };

  it('software that forgets to undo (An)+ and -(An) fails those instructions, not the ones without side effects', async () => {
    const forgetful = (options: RestartStrategyOptions): RestartStrategy => {
      const inner = createSoftwareStrategy(options);
      return { name: 'forgetful', specificationVersion: 1, backUp: (f, r, c) => {
        const v = inner.backUp(f, r, c);
        return v.kind === 'restarted' ? { ...v, undo: [] } : v;
      } };
    };
    const failed = await failures(restartStrategyConformanceSuite('forgetful', forgetful, { bench, capabilities: { plainFrame: true } }));
    expect(failed.get('plain frame: restarts MOVE.L (A0)+,-(A1) exactly after a fault on each of its references (m68000)')).toMatch(/A0 after undoing \[\]/);
    expect(failed.get('plain frame: restarts ADD.W -(A2),D1 exactly after a fault on each of its references (m68000)')).toMatch(/A2 after undoing \[\]/);
    expect(failed.has('never restarts an instruction wrongly (m68000 frames): every restart finishes as an unfaulted run')).toBe(true);
    expect([...failed.keys()].some((n) => n.includes('MOVE.L 6(A1),2(A0)'))).toBe(false);
    expect(failed.has('has a name and declares the restart-strategy specification version')).toBe(false);
  });

  it('a strategy that guesses the lowest start on an ambiguous frame breaks the never-wrongly rule', async () => {
    const guesser = (options: RestartStrategyOptions): RestartStrategy => {
      const inner = createSoftwareStrategy(options);
      return { name: 'guesser', specificationVersion: 1, backUp: (f, r, c) => resolveAmbiguity(inner.backUp(f, r, c), lowestStartPolicy, f) };
    };
    const failed = await failures(restartStrategyConformanceSuite('guesser', guesser, { bench }));
    expect(failed.get('never restarts an instruction wrongly (m68000 frames): every restart finishes as an unfaulted run')).toMatch(/fetch of 0x1006\): restarted at 0x1000 although the frame fits two readings/);
    expect(failed.size).toBe(1);
  });

  it('a continue strategy that hands back a changed state, or none, fails the continuation cases', async () => {
    const tampering = (): RestartStrategy => {
      const inner = createContinueStrategy();
      return { name: 'tampering', specificationVersion: 1, backUp: (f, r, c) => {
        const v = inner.backUp(f, r, c);
        return v.kind === 'continued' ? { kind: 'continued', state: { words: v.state.words.map((w, i) => (i === 0 ? w ^ 1 : w)) } } : v;
      } };
    };
    const failed = await failures(restartStrategyConformanceSuite('tampering', tampering, { bench, capabilities: { continuation: true } }));
    const continuation = [...failed.keys()].filter((n) => n.startsWith('continuation:'));
    expect(continuation.length).toBeGreaterThan(0);
    expect(continuation.length).toBe(failed.size);
    expect(failed.get('continuation: continues MOVE.L (A0)+,-(A1) exactly after a fault on each of its references (m68010-continuation)')).toMatch(/the CPU refused the state handed back/);
    // Claimed but not there: the hidden-record strategy restarts instead of continuing.
    const restarting = await failures(restartStrategyConformanceSuite('hardware', createHardwareStrategy, { bench, capabilities: { continuation: true } }));
    expect(restarting.get('continuation: continues CLR.L -(A6) exactly after a fault on each of its references (m68010-continuation)')).toMatch(/expected a continuation \(continuation\), got /);
  });

  it('claiming a capability the strategy lacks fails every case of it', async () => {
    const failed = await failures(restartStrategyConformanceSuite('hardware', createHardwareStrategy, { bench, capabilities: { plainFrame: true } }));
    const plain = [...failed.keys()].filter((n) => n.startsWith('plain frame:'));
    expect(plain.length).toBe(failed.size);
    expect(failed.get('plain frame: MOVE.L 6(A1),2(A0) faulting on reference 6 (write of 0x8002) restarts at 0x1000 and finishes as if never faulted (m68000)')).toMatch(/expected a restart \(plain frame\), got unrecoverable: the fault frame has no hidden restart record/);
  });
});

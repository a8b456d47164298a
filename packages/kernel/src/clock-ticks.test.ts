import { describe, expect, it } from 'vitest';
import { policyFactory } from '@pagelab/pager';
import { ConfigurationError, type ReplacementPolicy, type ReplacementPolicyName } from '@pagelab/contracts';
import { defaultTickInterval } from './config.js';
import { createSystem } from './create-system.js';

/**
 * Runs two synthetic processes through createSystem under `policy`, watching the policy the
 * pager was given from outside: every victim it chose and every tick it received.
 */
function run(policy: ReplacementPolicyName, tickInterval: number) {
  const victims: number[] = [];
  let ticksSeen = 0;
  const watched = (name: ReplacementPolicyName, seed: number) => {
    const factory = policyFactory(name, { seed });
    return (context: Parameters<typeof factory>[0]): ReplacementPolicy => {
      const inner = factory(context);
      return {
        name: inner.name,
        specificationVersion: inner.specificationVersion,
        observesReferences: inner.observesReferences,
        onPageIn: (frame, now) => inner.onPageIn(frame, now),
        onReference: (frame, now) => inner.onReference(frame, now),
        onEvict: (frame) => inner.onEvict(frame),
        onClockTick: (now) => {
          ticksSeen++;
          inner.onClockTick(now);
        },
        chooseVictim: (candidates, now) => {
          const victim = inner.chooseVictim(candidates, now);
          victims.push(victim);
          return victim;
        },
      };
    };
  };
  const system = createSystem({ frames: 20, policy, restart: 'none', bounceFrames: 1, tickInterval, costs: { swapLatency: 3_000 } }, { replacementPolicy: watched });
  system.spawnSynthetic({ name: 'phases', spec: { pattern: 'phases', pages: 40, workingSet: 10, phaseLength: 3_000, references: 30_000, writeFraction: 0.2 } });
  system.spawnSynthetic({ name: 'loop', spec: { pattern: 'loop', pages: 16, workingSet: 12, references: 30_000, writeFraction: 0.1 } });
  const report = system.run();
  return { report, victims, ticksSeen };
}

describe('the kernel timer', () => {
  it('delivers a tick to the pager every tickInterval cycles and counts them in the report', () => {
    const { report, ticksSeen } = run('aging', 20_000);
    expect(report.clockTicks).toBeGreaterThan(0);
    expect(ticksSeen).toBe(report.clockTicks);
    // Ticks fall at 20,000, 40,000, ...: as many as fit in the run, give or take the last.
    const fit = Math.floor(report.statistics.simulatedCycles / 20_000);
    expect(report.clockTicks).toBeGreaterThanOrEqual(fit - 1);
    expect(report.clockTicks).toBeLessThanOrEqual(fit);
  });

  it.each(['aging', 'nfu', 'working-set', 'wsclock', 'lru'] as const)('changes the decisions of %s with the interval', (policy) => {
    const often = run(policy, 5_000);
    const rarely = run(policy, 500_000);
    expect(often.victims.length).toBeGreaterThan(100);
    expect(often.report.clockTicks).toBeGreaterThan(rarely.report.clockTicks);
    expect(often.victims).not.toEqual(rarely.victims);
  });

  it.each(['fifo', 'clock', 'random'] as const)('leaves %s, which takes no ticks, exactly as it was', (policy) => {
    expect(run(policy, 5_000).victims).toEqual(run(policy, 500_000).victims);
  });

  it('defaults to 100 Hz at 8 MHz and refuses a period shorter than a context switch', () => {
    expect(defaultTickInterval).toBe(80_000);
    expect(createSystem({}).config.tickInterval).toBe(80_000);
    expect(() => createSystem({ tickInterval: 10 })).toThrow(ConfigurationError);
    expect(() => createSystem({ tickInterval: 10 })).toThrow(/^tickInterval: expected an integer >= 1000, got 10$/);
  });
});

import { describe, expect, it } from 'vitest';
import { createSystem } from './create-system.js';

/** Two synthetic processes with no I/O: every page fault is one of their own references. */
function pair(policy: string, lockFreshPages: boolean) {
  const system = createSystem({ frames: 12, pageSize: 4096, policy, scope: 'global', io: 'pin', restart: 'none', bounceFrames: 1, timeSlice: 400, tickInterval: 5_000, lockFreshPages, costs: { swapLatency: 3_000 } });
  system.spawnSynthetic({ name: 'low', spec: { pattern: 'phases', pages: 20, workingSet: 4, phaseLength: 300, references: 6_000 }, priority: 1 });
  system.spawnSynthetic({ name: 'high', spec: { pattern: 'random', pages: 16, references: 6_000, writeFraction: 0.3 }, priority: 5 });
  return system.run();
}

describe('the per-process figures of a run report', () => {
  it.each([
    ['clock', false],
    ['clock', true],
    ['aging', false],
    ['enhanced-clock', true],
  ] as const)('%s, fresh locks %s: faults add up, the last process ends when the run does, and no page is wasted', (policy, locks) => {
    const report = pair(policy, locks);
    expect(report.ended).toBe('all-ended');
    const [low, high] = report.processes;
    expect(low!.pageFaults + high!.pageFaults).toBe(report.statistics.pageFaults);
    expect(low!.pageFaults).toBeGreaterThan(0);
    expect(high!.pageFaults).toBeGreaterThan(0);
    for (const p of report.processes) expect(p.endedAtCycle).toBeGreaterThan(0);
    expect(Math.max(low!.endedAtCycle!, high!.endedAtCycle!)).toBe(report.statistics.simulatedCycles);
    // A synthetic process makes the reference the moment its fault is served, before it sleeps:
    // no page of its can be evicted unused, whatever the policy clears in between.
    expect(report.statistics.wastedPageIns).toBe(0);
    expect(report.statistics.wastedPageInsSelf).toBe(0);
    expect(report.statistics.pageFaults).toBeGreaterThan(report.processes.length * 12);
  });

  it('reports a process still running as not ended', () => {
    const system = createSystem({ frames: 12, pageSize: 4096, restart: 'none', bounceFrames: 1, maxCycles: 20_000 });
    system.spawnSynthetic({ name: 'long', spec: { pattern: 'random', pages: 30, references: 1_000_000 }, priority: 1 });
    const report = system.run();
    expect(report.ended).toBe('max-cycles');
    expect(report.processes[0]!.endedAtCycle).toBeNull();
    expect(report.processes[0]!.pageFaults).toBe(report.statistics.pageFaults);
  });
});

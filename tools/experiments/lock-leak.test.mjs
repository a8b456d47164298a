import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from './experiments.mjs';
import { leakRuns, leakWindows } from './lock-leak.mjs';

// The claims docs/experiments/lock-leak.md makes in prose, checked against the runs they describe.

const scenario = join(repoRoot, 'docs', 'experiments', 'lock-leak.json');
const byName = (report) => Object.fromEntries(report.processes.map((p) => [p.name, p]));
const perThousand = (report) => Math.round((report.statistics.pageFaults * 100_000) / report.statistics.instructions) / 100;
const pins = (report) => report.lockLeaks.leaks.map((l) => l.pin);

describe('docs/experiments/lock-leak.md', () => {
  it('leaked I/O pins: frames lost up to the buffers, the fault rate rising, the survivor thrashing past a point', async () => {
    const { runs } = await leakRuns(scenario, 'io-pin', [0, 0.01, 0.05, 0.2, 1]);
    const [none, low, mid, high, all] = runs.map((r) => r.report);
    expect(none.lockLeaks.leaks).toEqual([]);
    expect(none.lockLeaks.diagnosis).toBeNull();
    expect([low, mid, high, all].map((r) => r.lockLeaks.leakedFrames)).toEqual([10, 16, 16, 17]);
    expect([mid.lockLeaks.injected, mid.lockLeaks.leaks.length]).toEqual([67, 67]);
    // Every leaked pin is named, each the injection's, and each leaked frame was quarantined.
    for (const r of [low, mid, high, all]) {
      expect(r.lockLeaks.leaks).toHaveLength(r.lockLeaks.injected);
      expect(r.lockLeaks.quarantinedFrames).toBe(r.lockLeaks.leakedFrames);
      expect(new Set(pins(r)).size).toBe(r.lockLeaks.injected);
    }
    // Two buffers of 8 frames, and at rate 1 one frame of sort's read buffer.
    const holders = (r) => new Map(r.lockLeaks.leaks.map((l) => [l.frame, l.process]));
    expect([...holders(mid).values()].sort()).toEqual([...Array(8).fill('reader-a'), ...Array(8).fill('reader-b')]);
    expect([...holders(all).values()].filter((name) => name === 'sort')).toHaveLength(1);
    expect([perThousand(none), perThousand(low)]).toEqual([0.78, 0.88]);
    for (const r of [mid, high]) expect(Math.abs(perThousand(r) - 3.1)).toBeLessThan(0.1);
    expect(perThousand(all)).toBe(16.22);
    expect(byName(all).walker.status).toBe('running');
    expect(all.ended).toBe('max-cycles');
    expect(all.statistics.simulatedCycles).toBeGreaterThan(8 * none.statistics.simulatedCycles);
    for (const r of [none, low, mid, high]) expect(r.processes.map((p) => p.exitCode)).toEqual([0, 0, 0, 0]);
  }, 300_000);

  it('leaked I/O pins over time: frames lost and the fault rate grow together; the lost frames never come back', async () => {
    const { runs } = await leakRuns(scenario, 'io-pin', [0.01]);
    const { report } = runs[0];
    const windows = leakWindows(report, 4_000_000);
    const rate = (w) => Math.round((w.faults * 100_000) / w.work) / 100;
    expect(windows.slice(0, 5).map((w) => w.leakedFrames)).toEqual([1, 7, 10, 10, 10]);
    // The rate rises with the lost frames while the readers run.
    expect(windows.slice(0, 3).map(rate)).toEqual([1.63, 2.37, 2.71]);
    const p = byName(report);
    for (const name of ['reader-a', 'reader-b']) expect(p[name].endedAtCycle).toBeLessThan(24_000_000);
    for (const name of ['sort', 'walker']) expect(p[name].endedAtCycle).toBeGreaterThan(24_000_000);
    const last = windows[windows.length - 1];
    expect([last.leakedFrames, last.freeFrames + last.evictableFrames]).toEqual([10, 18]);
  }, 300_000);

  it('leaked fresh-page locks: from a small rate up, every frame is lost, every process killed with the diagnosis', async () => {
    const { runs } = await leakRuns(scenario, 'fresh-page', [0.001, 0.003, 0.01, 0.05, 1]);
    const [rare, ...deadly] = runs.map((r) => r.report);
    expect([rare.lockLeaks.leakedFrames, rare.processes.every((p) => p.exitCode === 0)]).toEqual([2, true]);
    for (const r of deadly) {
      expect(r.lockLeaks.leakedFrames).toBe(28);
      expect(r.ended).toBe('all-ended');
      for (const p of r.processes) expect(p.killed).toMatch(/^SIGKILL: (out of memory: .*|synthetic I\/O failed with errno 12 \(ENOMEM\)); leaked locks: \d+ of 28 frames for processes held by \d+ locks? never released \(\d+ fresh-page locks?\); the oldest, on frame \d+, held for [\d,]+ cycles$/);
      expect(r.lockLeaks.leaks).toHaveLength(r.lockLeaks.injected);
    }
    const all = deadly[deadly.length - 1];
    expect([all.lockLeaks.releases, all.lockLeaks.injected]).toEqual([28, 28]);
    expect(Math.min(...all.processes.map((p) => p.endedAtCycle))).toBe(40_322);

    // Over time at rate 0.01: leaked frames climb, evictable ones fall to none, the fault rate goes from under 2 to hundreds.
    const windows = leakWindows(deadly[1], 2_000_000);
    for (let i = 1; i < windows.length; i++) expect(windows[i].leakedFrames).toBeGreaterThanOrEqual(windows[i - 1].leakedFrames);
    expect(windows[windows.length - 1].evictableFrames).toBe(0);
    const rates = windows.map((w) => (w.faults * 1000) / w.work);
    expect(rates[0]).toBeLessThan(2);
    expect(Math.max(...rates)).toBeGreaterThan(100);
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { createSystem } from './create-system.js';
import type { SyntheticSpec } from './synthetic.js';

const pageSize = 4096;

/** Readers that DMA into their buffers now and then, and a process that pages through more than memory holds. */
function ioWorkload(leakLocks: unknown, extra: Record<string, unknown> = {}) {
  const system = createSystem({ frames: 24, pageSize, policy: 'clock', io: 'pin', restart: 'none', bounceFrames: 1, timeSlice: 200, costs: { diskSeek: 5_000, diskPerByte: 8, swapLatency: 2_000 }, leakLocks, ...extra });
  system.addFile('/data', new Uint8Array(4 * pageSize).fill(7));
  const reader: SyntheticSpec = { pattern: 'loop', pages: 8, workingSet: 4, references: 4000, io: { every: 500, bytes: 4 * pageSize, file: '/data' } };
  system.spawnSynthetic({ name: 'reader', spec: reader, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 40, references: 20_000, writeFraction: 0.3 }, priority: 5 });
  return system;
}

/** One process that faults across more pages than there are frames, fresh pages locked until it runs. */
function freshWorkload(leakLocks: unknown) {
  const system = createSystem({ frames: 24, pageSize, policy: 'clock', io: 'pin', restart: 'none', bounceFrames: 1, timeSlice: 200, lockFreshPages: true, costs: { swapLatency: 2_000 }, leakLocks });
  system.spawnSynthetic({ name: 'walker', spec: { pattern: 'random', pages: 60, references: 30_000, writeFraction: 0.2 }, priority: 1 });
  system.spawnSynthetic({ name: 'looper', spec: { pattern: 'loop', pages: 6, workingSet: 6, references: 30_000 }, priority: 1 });
  return system;
}

describe('leaked I/O pins', () => {
  it('every transfer pin leaked: the audit names each one (frame, reason, holder, age), and they are exactly the pins the injection skipped', () => {
    const system = ioWorkload('io-pin:1');
    const report = system.run();
    const leaks = report.lockLeaks;
    // 8 reads of a 4-page buffer, each pin leaked: the same 4 frames pinned 8 times over.
    expect([leaks.releases, leaks.injected, leaks.leaks.length, leaks.leakedFrames]).toEqual([32, 32, 32, 4]);
    expect(leaks.leaks.map((l) => l.pin).sort((a, b) => a - b)).toEqual([...system.injectedLeaks].sort((a, b) => a - b));
    for (const leak of leaks.leaks) {
      expect([leak.reason, leak.pid, leak.process]).toEqual(['dma', 1, 'reader']);
      expect(leak.age).toBe(report.statistics.simulatedCycles - leak.pinnedAt);
    }
    // The reader exited: its four pinned frames were quarantined, not freed, and stay lost.
    expect(leaks.quarantinedFrames).toBe(4);
    expect(leaks.diagnosis).toMatch(/^leaked locks: 4 of 22 frames for processes held by 32 locks never released \(32 DMA pins\); the oldest, on frame \d+, held for [\d,]+ cycles$/);
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
    expect(report.pins.acquired - report.pins.released).toBe(32);
  });

  it('finds leaks while the holder still runs: a pin no transfer holds is named at once, not only when its process exits', () => {
    const system = ioWorkload('io-pin:1');
    let seen = 0;
    while (system.advance({ rounds: 8 }) === null) {
      const found = system.lockAudit();
      expect(found.map((l) => l.pin).sort((a, b) => a - b)).toEqual([...system.injectedLeaks].sort((a, b) => a - b));
      seen = Math.max(seen, found.filter((l) => l.why.startsWith('a DMA pin no transfer in flight holds')).length);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('at rate 0 changes nothing: the same run as without the switch, no leak found', () => {
    const off = ioWorkload('off').run();
    const zero = ioWorkload({ kind: 'io-pin', rate: 0 }).run();
    expect(zero.statistics).toEqual(off.statistics);
    expect([zero.lockLeaks.releases, zero.lockLeaks.injected, zero.lockLeaks.leaks.length, zero.lockLeaks.diagnosis]).toEqual([32, 0, 0, null]);
    expect(off.lockLeaks).toMatchObject({ injection: null, leaks: [], leakedFrames: 0, samples: [], diagnosis: null });
  });

  it('is a function of the configuration and the seed', () => {
    const a = ioWorkload({ kind: 'io-pin', rate: 0.3, seed: 5 }).run();
    const b = ioWorkload({ kind: 'io-pin', rate: 0.3, seed: 5 }).run();
    const c = ioWorkload({ kind: 'io-pin', rate: 0.3, seed: 6 }).run();
    const { hostMilliseconds: _a, ...restA } = a;
    const { hostMilliseconds: _b, ...restB } = b;
    expect(restA).toEqual(restB);
    expect(c.lockLeaks.leaks.map((l) => l.pin)).not.toEqual(a.lockLeaks.leaks.map((l) => l.pin));
    expect(a.lockLeaks.injected).toBeGreaterThan(0);
    expect(a.lockLeaks.injected).toBeLessThan(32);
  });
});

describe('leaked fresh-page locks', () => {
  it('every lock leaked: frames go one by one until nothing is evictable, and the run ends with a diagnosis, not a hang', () => {
    const system = freshWorkload('fresh-page:1');
    const report = system.run();
    const leaks = report.lockLeaks;
    const killed = report.processes.filter((p) => p.killed !== null);
    expect(killed.length).toBeGreaterThan(0);
    for (const p of killed) expect(p.killed).toMatch(/^SIGKILL: out of memory: .*; leaked locks: \d+ of 22 frames for processes held by \d+ locks? never released \(\d+ fresh-page locks?\)/);
    expect(report.ended).toBe('all-ended');
    // Every user frame ends up held by a leaked lock: the audit names them all, each the injection's.
    expect(leaks.leakedFrames).toBe(22);
    expect(leaks.leaks.map((l) => l.pin).sort((a, b) => a - b)).toEqual([...system.injectedLeaks].sort((a, b) => a - b));
    expect(new Set(leaks.leaks.map((l) => l.reason))).toEqual(new Set(['fresh-page']));
    // Sampled at each tick: frames held by leaks never fall, evictable ones never rise.
    const samples = leaks.samples;
    expect(samples.length).toBe(report.clockTicks);
    for (let i = 1; i < samples.length; i++) {
      expect(samples[i]!.leakedFrames).toBeGreaterThanOrEqual(samples[i - 1]!.leakedFrames);
      expect(samples[i]!.leakedFrames + samples[i]!.evictableFrames + samples[i]!.freeFrames).toBeLessThanOrEqual(22);
    }
  });

  it('a leaked fresh-page lock is found while its process lives: still held after the process was dispatched', () => {
    const system = freshWorkload({ kind: 'fresh-page', rate: 0.2, seed: 3 });
    let live = 0;
    while (system.advance({ rounds: 4 }) === null) {
      // Never a false alarm: every lock the audit names is one the injection leaked.
      const injected = new Set(system.injectedLeaks);
      const found = system.lockAudit();
      for (const leak of found) expect(injected.has(leak.pin)).toBe(true);
      live = Math.max(live, found.filter((l) => /^a fresh-page lock still held after its process was dispatched at cycle [\d,]+$/.test(l.why)).length);
    }
    expect(live).toBeGreaterThan(0);
    // And none missed once the run is over.
    const report = system.finish('all-ended');
    expect(report.lockLeaks.leaks.map((l) => l.pin).sort((a, b) => a - b)).toEqual([...system.injectedLeaks].sort((a, b) => a - b));
  });

  it('without lockFreshPages there is nothing to leak', () => {
    const system = createSystem({ frames: 24, pageSize, restart: 'none', leakLocks: 'fresh-page:1' });
    system.spawnSynthetic({ name: 'walker', spec: { pattern: 'random', pages: 60, references: 5_000 } });
    const report = system.run();
    expect([report.lockLeaks.releases, report.lockLeaks.leaks.length]).toEqual([0, 0]);
  });
});

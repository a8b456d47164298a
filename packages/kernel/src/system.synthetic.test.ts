import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  NothingEvictableError,
  type IoStrategyName,
  type ReplacementPolicy,
  type ReplacementPolicyContext,
  type RestartStrategy,
} from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import type { SyntheticSpec } from './synthetic.js';

/** The seeds' race with synthetic processes: a low-priority reader sleeping on DMA, a high-priority process faulting under global replacement. */
function race(io: IoStrategyName, seed = 1) {
  const system = createSystem({
    frames: 24,
    pageSize: 4096,
    policy: 'clock',
    scope: 'global',
    io,
    restart: 'none',
    bounceFrames: 4,
    seed,
    timeSlice: 200,
    costs: { diskSeek: 5_000, diskPerByte: 8, swapLatency: 2_000 },
  });
  system.addFile('/data', Uint8Array.from({ length: 4 * 4096 }, (_, i) => (i * 13) & 0xff));
  const reader: SyntheticSpec = { pattern: 'loop', pages: 8, workingSet: 4, references: 4000, io: { every: 500, bytes: 4 * 4096, file: '/data' } };
  const hog: SyntheticSpec = { pattern: 'random', pages: 60, references: 20_000, writeFraction: 0.3 };
  system.spawnSynthetic({ name: 'reader', spec: reader, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: hog, priority: 5 });
  return system.run();
}

describe('the DMA-versus-replacement race (synthetic processes)', () => {
  it('corrupts memory when nothing protects the buffer', () => {
    const report = race('unprotected');
    expect(report.statistics.corruptionEvents).toBeGreaterThan(0);
    // Astray bytes are bytes the DMA wrote: never more than the reader's 8 reads of 4 pages.
    expect(report.corruptedBytes).toBeLessThanOrEqual(8 * 4 * 4096);
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
  });

  it.each(['pin', 'bounce', 'hybrid'] as const)('never corrupts under %s', (io) => {
    const report = race(io);
    expect(report.statistics.corruptionEvents).toBe(0);
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
  });

  it('charges what each cure costs: pinned frame-time for pin, copies for bounce', () => {
    const pin = race('pin');
    const bounce = race('bounce');
    expect(pin.statistics.pinnedFrameCycles).toBeGreaterThan(0);
    expect(pin.statistics.bytesCopied).toBe(0);
    expect(bounce.statistics.bytesCopied).toBe(8 * 4 * 4096);
    expect(bounce.io.copyCycles).toBeGreaterThan(0);
    expect(bounce.statistics.pinnedFrameCycles).toBe(0);
  });

  it('is a function of its configuration and seed', () => {
    const a = race('unprotected', 7);
    const b = race('unprotected', 7);
    expect({ ...a, hostMilliseconds: 0 }).toEqual({ ...b, hostMilliseconds: 0 });
    expect(race('unprotected', 8).statistics).not.toEqual(a.statistics);
  });
});

describe('a synthetic process\'s I/O', () => {
  it('reads its file every io.every references even when each of them faults', () => {
    // 12 pages read in turn in 6 frames: every reference faults, the I/O point's included.
    const system = createSystem({ frames: 6, pageSize: 4096, policy: 'fifo', io: 'pin', kernelFrames: 1, bounceFrames: 0 });
    system.addFile('/data', new Uint8Array(4096));
    system.spawnSynthetic({ name: 'reader', spec: { pattern: 'sequential', pages: 12, references: 600, io: { every: 100, bytes: 4096, file: '/data' } } });
    let bytesIn = 0;
    system.log.listen((event) => {
      if (event.kind === 'dma-burst' && event.direction === 'to-memory') bytesIn += event.bytes;
    });
    const report = system.run();
    expect(report.statistics.pageFaults).toBeGreaterThanOrEqual(600);
    expect(report.io.dmaPins).toBe(6);
    expect(bytesIn).toBe(6 * 4096);
  });

  it('fails with ENOMEM, not a crash, when its buffer cannot be made resident beside the pins', () => {
    // A 16-page buffer, pinned whole (no lock limit), in 14 user frames.
    const system = createSystem({ frames: 16, pageSize: 4096, policy: 'clock', io: 'pin', kernelFrames: 1, bounceFrames: 1, lockQuota: { perAddressSpace: 'unlimited', global: 'unlimited' } });
    system.addFile('/data', new Uint8Array(65536));
    system.spawnSynthetic({ name: 'streamer', spec: { pattern: 'sequential', pages: 16, references: 400, io: { every: 100, bytes: 65536, file: '/data' } } });
    system.spawnSynthetic({ name: 'editor', spec: { pattern: 'loop', pages: 4, workingSet: 4, references: 2000 } });
    const report = system.run();
    expect(report.processes.map((p) => [p.name, p.status, p.killed])).toEqual([
      ['streamer', 'killed', 'SIGKILL: synthetic I/O failed with errno 12 (ENOMEM)'],
      ['editor', 'exited', null],
    ]);
  });
});

describe('createSystem', () => {
  it('refuses an impossible configuration with a typed error naming the field', () => {
    expect(() => createSystem({ frames: 0 })).toThrow(ConfigurationError);
    expect(() => createSystem({ frames: 0 })).toThrow(/^frames: /);
  });

  it('wires a hand-written replacement for a part exactly like its own', () => {
    const victims: number[] = [];
    /** A lab's FIFO, written against the contract only. */
    const labFifo = (context: ReplacementPolicyContext): ReplacementPolicy => {
      const order: number[] = [];
      return {
        specificationVersion: 1,
        name: 'lab-fifo',
        observesReferences: false,
        onPageIn: (frame) => void order.push(frame),
        onReference: () => undefined,
        onEvict: (frame) => {
          const i = order.indexOf(frame);
          if (i >= 0) order.splice(i, 1);
        },
        onClockTick: () => undefined,
        chooseVictim: (candidates) => {
          const frame = order.find((f) => candidates.isCandidate(f));
          if (frame === undefined) throw new NothingEvictableError(`none of ${context.frameCount} frames is evictable`);
          victims.push(frame);
          return frame;
        },
      };
    };
    const noRestart: RestartStrategy = { specificationVersion: 1, name: 'lab-no-restart', backUp: () => ({ kind: 'unrecoverable', reason: 'lab stub' }) };
    const system = createSystem(
      { frames: 12, bounceFrames: 1, restart: 'none' },
      { parts: { 'replacement-policy': labFifo, 'restart-strategy': () => noRestart }, specificationVersion: '1.0.0' },
    );
    system.spawnSynthetic({ name: 'walker', spec: { pattern: 'sequential', pages: 20, references: 100 } });
    const report = system.run();
    expect(report.processes[0]!.exitCode).toBe(0);
    expect(report.statistics.pageFaults).toBe(100);
    expect(victims.length).toBe(100 - (12 - 1 - 1));
    expect(system.restart).toBe(noRestart);
    expect(report.partNames).toEqual({ replacementPolicy: 'lab-fifo', io: 'pin', restart: 'lab-no-restart' });
  });

  it('refuses a replacement written for another major contract version', () => {
    expect(() => createSystem({}, { specificationVersion: '2.0.0' })).toThrow(/contracts 2\.0\.0/);
  });
});

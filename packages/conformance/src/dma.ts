import { expect } from 'vitest';
import { TransferDirection, type DmaController, type DmaDevice, type DmaWiring, type Transfer, type TransferListener } from '@pagelab/contracts';
import { SimulatedTime } from './simulated-time.js';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

/** What a DMA controller under test is built from. */
export interface DmaTestRig {
  readonly memory: Uint8Array;
  readonly time: SimulatedTime;
  readonly listener: TransferListener;
  readonly channels: number;
  /** Bytes per burst the suite expects (small enough that its transfers take several bursts). */
  readonly burstBytes: number;
  /** Cycles between two bursts of one channel. */
  readonly burstInterval: number;
}

/** The {@link DmaWiring} a `dma` seam factory is given on a rig: the rig's time is both clock and event queue. */
export function dmaWiringOf(rig: DmaTestRig): DmaWiring {
  return { memory: rig.memory, clock: rig.time, events: rig.time, listener: rig.listener, channels: rig.channels, burstBytes: rig.burstBytes, burstInterval: rig.burstInterval };
}

/** A device whose bytes are a known pattern, so every landed byte can be checked. */
class PatternDevice implements DmaDevice {
  readonly kind = 'disk' as const;
  readonly cyclesPerByte = 1;
  readonly stored: Uint8Array;

  constructor(
    readonly name: string,
    readonly size: number,
  ) {
    this.stored = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff);
  }

  accessLatency(): number {
    return 100;
  }

  readFrom(offset: number, into: Uint8Array): number {
    const bytes = this.stored.subarray(offset, Math.min(offset + into.length, this.size));
    into.set(bytes);
    return bytes.length;
  }

  writeTo(offset: number, bytes: Uint8Array): number {
    const length = Math.max(0, Math.min(bytes.length, this.size - offset));
    this.stored.set(bytes.subarray(0, length), offset);
    return length;
  }
}

interface Recorded {
  bursts: { id: number; address: number; length: number; at: number }[];
  completions: { id: number; bytes: number; at: number }[];
}

function rig(channels: number, memoryBytes = 4096): { rig: DmaTestRig; log: Recorded } {
  const log: Recorded = { bursts: [], completions: [] };
  const listener: TransferListener = {
    burst: (t: Transfer, address, length, at) => log.bursts.push({ id: t.id, address, length, at }),
    complete: (t: Transfer, bytes, at) => log.completions.push({ id: t.id, bytes, at }),
  };
  return { rig: { memory: new Uint8Array(memoryBytes), time: new SimulatedTime(), listener, channels, burstBytes: 64, burstInterval: 16 }, log };
}

/**
 * The contract every {@link DmaController} must meet, as cases for an in-process runner
 * (`pagelab conform dma`) or vitest: scatter-gather in segment order, bytes only inside the
 * segments, every burst reported, one completion per transfer with the bytes moved, short
 * devices end early, no more transfers at once than channels, determinism.
 *
 * @param subject the implementation's name in the report
 * @param create builds a controller on the rig's memory, time (clock and event queue), listener,
 *   channel count and burst shape ({@link dmaWiringOf} turns a rig into a seam factory's wiring)
 */
export function dmaControllerConformanceSuite(subject: string, create: (rig: DmaTestRig) => DmaController): ConformanceSuite {
  const cases: ConformanceCase[] = [];
  const check = (name: string, run: () => void): void => void cases.push({ name, run });

  check('scatters a device read over its segments, in order, touching nothing else', () => {
    const { rig: r, log } = rig(1);
    const device = new PatternDevice('disk', 1000);
    const dma = create(r);
    const segments = [
      { address: 3000, length: 100 },
      { address: 200, length: 300 },
      { address: 1024, length: 1 },
    ];
    const transfer = dma.submit({ device, direction: TransferDirection.DeviceToMemory, deviceOffset: 50, segments, tag: 9 });
    r.time.runUntilIdle();
    const expected = new Uint8Array(4096);
    let at = 50;
    for (const s of segments) {
      expected.set(device.stored.subarray(at, at + s.length), s.address);
      at += s.length;
    }
    expect(r.memory, 'memory after the transfer (segment bytes in place, nothing else written)').toEqual(expected);
    expect(log.completions, 'completions reported').toEqual([{ id: transfer.id, bytes: 401, at: expect.any(Number) as number }]);
    expect(log.bursts.reduce((n, b) => n + b.length, 0), 'bytes in the bursts reported').toBe(401);
    for (const b of log.bursts) {
      expect(segments.some((s) => b.address >= s.address && b.address + b.length <= s.address + s.length), `burst of ${b.length} bytes at ${b.address} lies inside one segment`).toBe(true);
    }
    expect(transfer.request.tag, 'the transfer keeps its request tag').toBe(9);
    expect(dma.bytesMoved, 'bytesMoved').toBe(401);
  });

  check('spreads bursts over simulated time and completes after the last one', () => {
    const { rig: r, log } = rig(1);
    const dma = create(r);
    dma.submit({ device: new PatternDevice('disk', 4096), direction: TransferDirection.DeviceToMemory, deviceOffset: 0, segments: [{ address: 0, length: 2048 }], tag: 0 });
    r.time.runUntilIdle();
    expect(log.bursts.length, 'bursts for 2048 bytes').toBeGreaterThan(1);
    const times = log.bursts.map((b) => b.at);
    expect([...times].sort((a, b) => a - b), 'burst times in order').toEqual(times);
    expect(times[0], 'time of the first burst').toBeGreaterThan(0);
    expect(log.completions[0]!.at, 'time of the completion').toBeGreaterThanOrEqual(times[times.length - 1]!);
  });

  check('writes memory to a device', () => {
    const { rig: r } = rig(1);
    r.memory.set([1, 2, 3, 4, 5, 6], 10);
    const device = new PatternDevice('disk', 100);
    create(r).submit({ device, direction: TransferDirection.MemoryToDevice, deviceOffset: 20, segments: [{ address: 10, length: 6 }], tag: 0 });
    r.time.runUntilIdle();
    expect([...device.stored.subarray(20, 26)], 'bytes the device received').toEqual([1, 2, 3, 4, 5, 6]);
  });

  check('ends a transfer early when the device runs out, reporting the bytes moved', () => {
    const { rig: r, log } = rig(1);
    create(r).submit({ device: new PatternDevice('disk', 130), direction: TransferDirection.DeviceToMemory, deviceOffset: 100, segments: [{ address: 0, length: 500 }], tag: 0 });
    r.time.runUntilIdle();
    expect(log.completions.map((c) => c.bytes), 'bytes reported by the completion').toEqual([30]);
    expect(r.memory.subarray(30).every((b) => b === 0), 'memory past the device end untouched').toBe(true);
  });

  check('never runs more transfers at once than it has channels, and finishes them all', () => {
    const { rig: r, log } = rig(2);
    const dma = create(r);
    const device = new PatternDevice('disk', 4096);
    const submitted = [0, 1, 2, 3].map((i) =>
      dma.submit({ device, direction: TransferDirection.DeviceToMemory, deviceOffset: i * 256, segments: [{ address: i * 256, length: 256 }], tag: i }),
    );
    expect(dma.channelCount, 'channelCount').toBe(2);
    expect(dma.busyChannels, 'busy channels after four submits').toBeLessThanOrEqual(2);
    let maxBusy = 0;
    while (r.time.size > 0) {
      r.time.fireUntil(r.time.nextAt());
      maxBusy = Math.max(maxBusy, dma.busyChannels);
    }
    expect(maxBusy, 'most channels busy at once').toBeLessThanOrEqual(2);
    expect(log.completions.map((c) => c.id).sort(), 'transfers completed').toEqual(submitted.map((t) => t.id).sort());
    expect(dma.busyChannels, 'busy channels at the end').toBe(0);
    expect(r.memory.subarray(0, 1024), 'memory after all four transfers').toEqual(device.stored.subarray(0, 1024));
  });

  check('is deterministic: the same requests give the same bursts at the same times', () => {
    const run = () => {
      const { rig: r, log } = rig(2);
      const dma = create(r);
      const device = new PatternDevice('disk', 4096);
      for (let i = 0; i < 3; i++) {
        dma.submit({ device, direction: TransferDirection.DeviceToMemory, deviceOffset: i * 100, segments: [{ address: i * 1000, length: 333 }], tag: i });
      }
      r.time.runUntilIdle();
      return log;
    };
    expect(run(), 'bursts and completions of a second run').toEqual(run());
  });
  return { seam: 'dma', subject, cases };
}

/** Registers the DMA controller suite with vitest (call it from a test file). */
export function describeDmaControllerConformance(subject: string, create: (rig: DmaTestRig) => DmaController): void {
  describeConformanceSuite('DmaController', dmaControllerConformanceSuite(subject, create));
}

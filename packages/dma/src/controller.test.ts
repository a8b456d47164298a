import { describe, expect, it } from 'vitest';
import { describeDmaControllerConformance, SimulatedTime } from '@pagelab/conformance';
import { ConfigurationError, TransferDirection } from '@pagelab/contracts';
import { BurstDmaController } from './controller.js';
import { DiskDevice, StreamDevice } from './devices.js';

describeDmaControllerConformance('BurstDmaController', (rig) =>
  new BurstDmaController({ memory: rig.memory, clock: rig.time, events: rig.time, listener: rig.listener, channels: rig.channels, burstBytes: 64 }),
);

const quiet = { burst: () => undefined, complete: () => undefined };

describe('BurstDmaController', () => {
  it('keeps writing into a frame after the kernel has given it to someone else: it knows no owners', () => {
    const memory = new Uint8Array(2 * 256);
    const time = new SimulatedTime();
    const landed: number[] = [];
    const dma = new BurstDmaController({
      memory,
      clock: time,
      events: time,
      listener: { burst: (_t, address) => landed.push(address), complete: () => undefined },
      burstBytes: 32,
    });
    const disk = new DiskDevice('disk0', new Uint8Array(256).fill(0xaa), { requestCycles: 0, seekCyclesPerByte: 0 });
    dma.submit({ device: disk, direction: TransferDirection.DeviceToMemory, deviceOffset: 0, segments: [{ address: 256, length: 256 }], tag: 1 });
    // Half-way through, the "pager" reuses the frame: the DMA goes on regardless.
    time.fireUntil(time.nextAt());
    memory.fill(0x11, 256, 512);
    time.runUntilIdle();
    expect(landed).toHaveLength(8);
    expect(memory.subarray(256, 288).every((b) => b === 0x11)).toBe(true);
    expect(memory.subarray(288).every((b) => b === 0xaa)).toBe(true);
  });

  it('charges the disk seek by head distance and the transfer per byte', () => {
    const disk = new DiskDevice('disk0', new Uint8Array(1 << 20), { requestCycles: 100, seekCyclesPerByte: 0.5, cyclesPerByte: 3 });
    expect(disk.accessLatency(0, 1000)).toBe(100);
    expect(disk.accessLatency(1000, 10)).toBe(100);
    expect(disk.accessLatency(11_010, 10)).toBe(100 + 5000);
    const time = new SimulatedTime();
    const done: number[] = [];
    const dma = new BurstDmaController({ memory: new Uint8Array(4096), clock: time, events: time, listener: { burst: () => undefined, complete: (_t, _b, at) => done.push(at) }, burstBytes: 64, burstInterval: 1 });
    dma.submit({ device: disk, direction: TransferDirection.DeviceToMemory, deviceOffset: 11_020, segments: [{ address: 0, length: 640 }], tag: 0 });
    time.runUntilIdle();
    expect(done).toEqual([100 + 640 * 3]);
  });

  it('grows a growable disk written past its end, like a file, and keeps a fixed one fixed', () => {
    const file = new DiskDevice('out.txt', new Uint8Array(0), { growable: true });
    expect(file.writeTo(0, Uint8Array.of(1, 2, 3))).toBe(3);
    expect(file.writeTo(6, Uint8Array.of(9))).toBe(1);
    expect([...file.contents]).toEqual([1, 2, 3, 0, 0, 0, 9]);
    const into = new Uint8Array(10);
    expect(file.readFrom(5, into)).toBe(2);
    file.truncate();
    expect(file.size).toBe(0);
    const fixed = new DiskDevice('disk0', new Uint8Array(4));
    expect(fixed.writeTo(2, Uint8Array.of(7, 7, 7))).toBe(2);
    expect(fixed.writeTo(4, Uint8Array.of(7))).toBe(0);
    expect(() => fixed.truncate()).toThrow(ConfigurationError);
  });

  it('delivers a stream once, in order, whatever the offsets', () => {
    const stdin = new StreamDevice('stdin', new TextEncoder().encode('hello, world'));
    const time = new SimulatedTime();
    const memory = new Uint8Array(64);
    const dma = new BurstDmaController({ memory, clock: time, events: time, listener: quiet, burstBytes: 5 });
    dma.submit({ device: stdin, direction: TransferDirection.DeviceToMemory, deviceOffset: 999, segments: [{ address: 0, length: 5 }], tag: 0 });
    dma.submit({ device: stdin, direction: TransferDirection.DeviceToMemory, deviceOffset: 0, segments: [{ address: 8, length: 20 }], tag: 0 });
    time.runUntilIdle();
    expect(new TextDecoder().decode(memory.subarray(0, 5))).toBe('hello');
    expect(new TextDecoder().decode(memory.subarray(8, 15))).toBe(', world');
    expect(stdin.readFrom(0, new Uint8Array(1))).toBe(0);
  });

  it('pulls a streamed source one burst at a time, never more than the burst asks for', () => {
    const asked: number[] = [];
    let next = 0;
    const source = {
      read(into: Uint8Array) {
        asked.push(into.length);
        for (let i = 0; i < into.length; i++) into[i] = next++ & 0xff;
        return into.length;
      },
    };
    const endless = new StreamDevice('stdin', source);
    const time = new SimulatedTime();
    const memory = new Uint8Array(64);
    const dma = new BurstDmaController({ memory, clock: time, events: time, listener: quiet, burstBytes: 8 });
    dma.submit({ device: endless, direction: TransferDirection.DeviceToMemory, deviceOffset: 0, segments: [{ address: 0, length: 20 }], tag: 0 });
    time.runUntilIdle();
    expect(asked).toEqual([8, 8, 4]);
    expect([...memory.subarray(0, 20)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('refuses impossible configurations and segments with a typed error naming the field', () => {
    const time = new SimulatedTime();
    const make = (channels: number) => new BurstDmaController({ memory: new Uint8Array(16), clock: time, events: time, listener: quiet, channels });
    expect(() => make(0)).toThrow(ConfigurationError);
    expect(() => make(0)).toThrow('dma.channels: must be a positive integer, got 0');
    const dma = make(1);
    expect(() =>
      dma.submit({ device: new StreamDevice('s'), direction: TransferDirection.DeviceToMemory, deviceOffset: 0, segments: [{ address: 8, length: 16 }], tag: 0 }),
    ).toThrow(/transfer\.segments: segment \[0x8, \+16\) lies outside physical memory of 16 bytes/);
    expect(() => new DiskDevice('d', new Uint8Array(1), { cyclesPerByte: -1 })).toThrow('disk.cyclesPerByte');
  });
});

import { describe, expect, it } from 'vitest';
import { describeIoBufferStrategyConformance, IoTestMachine } from '@pagelab/conformance';
import { ConfigurationError, TransferDirection, type IoRequest, type IoStrategyName } from '@pagelab/contracts';
import { createIoStrategy } from './strategies.js';

const names: IoStrategyName[] = ['pin', 'bounce', 'unprotected', 'hybrid'];
for (const name of names) describeIoBufferStrategyConformance(name, () => createIoStrategy(name, { copyCyclesPerByte: 2 }));

const disk = { name: 'd', kind: 'disk' as const, cyclesPerByte: 1, accessLatency: () => 0, readFrom: () => 0, writeTo: () => 0 };
const read = (address: number, length: number): IoRequest => ({
  buffer: { addressSpace: 1, address, length },
  direction: TransferDirection.DeviceToMemory,
  device: disk,
  deviceOffset: 0,
});

describe('what each strategy holds and costs', () => {
  it('pin holds the user frames for the transfer and charges frame-cycles, copying nothing', () => {
    const machine = new IoTestMachine();
    const pin = createIoStrategy('pin', { copyCyclesPerByte: 2 });
    const request = read(0, 1024);
    const plan = pin.begin(request, machine, 1000);
    expect(machine.pinnedFrames).toBe(4);
    if (plan.kind !== 'transfer') throw new Error(plan.kind);
    expect(plan.segments.map((s) => s.address)).toEqual(machine.segmentsOf(request.buffer)!.map((s) => s.address));
    pin.finish(request, plan.token, 1024, machine, 6000);
    expect(machine.pinnedFrames).toBe(0);
    expect(pin.costs).toEqual({ bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 4 * 5000, poolWaits: 0, quotaRefusals: 0 });
  });

  it('pin fails with ENOMEM when the lock quota refuses, and counts the refusal', () => {
    const machine = new IoTestMachine(2);
    const pin = createIoStrategy('pin', { copyCyclesPerByte: 2 });
    expect(pin.begin(read(0, 1024), machine, 0)).toMatchObject({ kind: 'fail', errno: 12 });
    expect(pin.costs.quotaRefusals).toBe(1);
  });

  it('bounce never hands user frames to the DMA and pays for the copy', () => {
    const machine = new IoTestMachine();
    const bounce = createIoStrategy('bounce', { copyCyclesPerByte: 3 });
    const request = read(256, 700);
    const plan = bounce.begin(request, machine, 0);
    if (plan.kind !== 'transfer') throw new Error(plan.kind);
    const userFrames = new Set(machine.pageFrames);
    expect(plan.segments.every((s) => !userFrames.has(Math.floor(s.address / 256)))).toBe(true);
    bounce.finish(request, plan.token, 700, machine, 50);
    expect(bounce.costs).toMatchObject({ bytesCopied: 700, copyCycles: 2100, pinnedFrameCycles: 0 });
  });

  it('bounce checks the buffer without making it resident: only its copy touches the pages', () => {
    const machine = new IoTestMachine();
    const bounce = createIoStrategy('bounce', { copyCyclesPerByte: 1 });
    const request = read(256, 700);
    const plan = bounce.begin(request, machine, 0);
    if (plan.kind !== 'transfer') throw new Error(plan.kind);
    bounce.finish(request, plan.token, 700, machine, 10);
    expect(machine.seen.residentCalls).toBe(0);
    expect(bounce.begin(read(32 * 256 - 10, 100), machine, 20)).toMatchObject({ kind: 'fail', errno: 14 });
  });

  it('bounce asks for a request larger than the whole pool in pool-sized pieces; hybrid does when the quota leaves too much to bounce', () => {
    const machine = new IoTestMachine(2, 4);
    const bounce = createIoStrategy('bounce', { copyCyclesPerByte: 1 });
    expect(bounce.begin(read(0, 1025), machine, 0)).toMatchObject({ kind: 'split', pieceBytes: 1024 });
    expect(bounce.begin(read(0, 1024), machine, 0).kind).toBe('transfer');
    const hybrid = createIoStrategy('hybrid', { copyCyclesPerByte: 1 });
    expect(hybrid.begin(read(0, 2048), machine, 0)).toMatchObject({ kind: 'split', pieceBytes: 1024 });
    expect(machine.livePins.size).toBe(0);
  });

  it('bounce waits, or fails with ENOBUFS, when the pool is full', () => {
    const machine = new IoTestMachine();
    const waiting = createIoStrategy('bounce', { copyCyclesPerByte: 1 });
    const first = waiting.begin(read(0, 32 * 256), machine, 0);
    expect(first.kind).toBe('transfer');
    expect(waiting.begin(read(0, 10), machine, 0)).toMatchObject({ kind: 'wait' });
    const failing = createIoStrategy('bounce', { copyCyclesPerByte: 1, whenPoolFull: 'fail' });
    expect(failing.begin(read(0, 10), machine, 0)).toMatchObject({ kind: 'fail', errno: 105 });
    expect(waiting.costs.poolWaits + failing.costs.poolWaits).toBe(2);
  });

  it('hybrid pins while the quota allows and bounces beyond it', () => {
    const machine = new IoTestMachine(4);
    const hybrid = createIoStrategy('hybrid', { copyCyclesPerByte: 1 });
    const pinned = hybrid.begin(read(0, 1024), machine, 0);
    const bounced = hybrid.begin(read(2048, 512), machine, 0);
    expect(machine.livePins.size).toBe(1);
    expect(machine.liveBounce.size).toBe(1);
    expect(hybrid.costs.quotaRefusals).toBe(1);
    if (pinned.kind !== 'transfer' || bounced.kind !== 'transfer') throw new Error('expected transfers');
    hybrid.finish(read(2048, 512), bounced.token, 512, machine, 10);
    hybrid.finish(read(0, 1024), pinned.token, 1024, machine, 10);
    expect(hybrid.costs.bytesCopied).toBe(512);
    expect(hybrid.outstanding).toBe(0);
  });

  it('hybrid splits a request the quota only partly allows: pins the first pages, bounces the rest', () => {
    const machine = new IoTestMachine(3);
    const hybrid = createIoStrategy('hybrid', { copyCyclesPerByte: 1 });
    const request = read(100, 1000); // pages 0..4: five frames, three allowed
    const plan = hybrid.begin(request, machine, 0);
    if (plan.kind !== 'transfer') throw new Error(plan.kind);
    expect(machine.pinnedFrames).toBe(3);
    expect(machine.liveBounce.size).toBe(1);
    const userSegments = machine.segmentsOf(request.buffer)!;
    expect(plan.segments.slice(0, 3)).toEqual(userSegments.slice(0, 3));
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    machine.scatter(plan.segments, bytes);
    expect(hybrid.finish(request, plan.token, 1000, machine, 40)).toBe(1000);
    expect(machine.readUser(request.buffer)).toEqual(bytes);
    expect(hybrid.costs).toMatchObject({ bytesCopied: 1000 - (256 - 100) - 2 * 256, pinnedFrameCycles: 3 * 40, quotaRefusals: 1 });
    expect(machine.livePins.size + machine.liveBounce.size).toBe(0);
  });

  it('unprotected holds nothing: the frames stay evictable during the transfer', () => {
    const machine = new IoTestMachine();
    const plan = createIoStrategy('unprotected', { copyCyclesPerByte: 1 }).begin(read(0, 4096), machine, 0);
    expect(plan.kind).toBe('transfer');
    expect(machine.livePins.size + machine.liveBounce.size).toBe(0);
  });

  it('refuses finishing a request twice and an unknown strategy name', () => {
    const machine = new IoTestMachine();
    const pin = createIoStrategy('pin', { copyCyclesPerByte: 1 });
    const request = read(0, 10);
    const plan = pin.begin(request, machine, 0);
    if (plan.kind !== 'transfer') throw new Error(plan.kind);
    pin.finish(request, plan.token, 10, machine, 1);
    expect(() => pin.finish(request, plan.token, 10, machine, 2)).toThrow(/unknown I\/O token/);
    expect(() => createIoStrategy('lazy' as IoStrategyName, { copyCyclesPerByte: 1 })).toThrow(ConfigurationError);
  });
});

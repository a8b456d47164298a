import { describe, expect, it } from 'vitest';
import {
  TransferDirection,
  type DmaDevice,
  type IoBufferStrategy,
  type IoPlan,
  type IoRequest,
  type IoServices,
  type PhysicalSegment,
  type UserBuffer,
} from '@pagelab/contracts';

const pageSize = 256;

/**
 * A small machine for exercising an I/O buffer strategy without a kernel: 64 KiB of physical
 * memory, one user address space of 32 pages mapped to scattered frames, a bounce pool in
 * frames 224..255, and a lock quota. It records every pin and bounce buffer so a suite can
 * check that nothing is leaked.
 */
export class IoTestMachine implements IoServices {
  readonly memory = new Uint8Array(256 * pageSize);
  /** Frame of each user page (page i lives in frame pageFrames[i]). */
  readonly pageFrames = Array.from({ length: 32 }, (_, page) => 16 + ((page * 5) % 32) * 2);
  readonly livePins = new Map<number, number>();
  readonly liveBounce = new Map<number, PhysicalSegment[]>();
  private bounceFree = Array.from({ length: 32 }, (_, i) => 224 + i);
  private nextId = 1;
  pinnedFrames = 0;

  /** @param lockQuotaFrames how many frames may be pinned at once */
  constructor(readonly lockQuotaFrames = Infinity) {}

  residentSegments(buffer: UserBuffer, _direction: TransferDirection = TransferDirection.DeviceToMemory): readonly PhysicalSegment[] | null {
    if (buffer.address < 0 || buffer.length < 0 || buffer.address + buffer.length > this.pageFrames.length * pageSize) return null;
    const segments: PhysicalSegment[] = [];
    let address = buffer.address;
    const end = buffer.address + buffer.length;
    while (address < end) {
      const offset = address % pageSize;
      const length = Math.min(pageSize - offset, end - address);
      segments.push({ address: this.pageFrames[Math.floor(address / pageSize)]! * pageSize + offset, length });
      address += length;
    }
    return segments;
  }

  pinForTransfer(segments: readonly PhysicalSegment[]): number | null {
    if (this.pinnedFrames + segments.length > this.lockQuotaFrames) return null;
    const id = this.nextId++;
    this.livePins.set(id, segments.length);
    this.pinnedFrames += segments.length;
    return id;
  }

  releasePins(pinSet: number): void {
    const frames = this.livePins.get(pinSet);
    if (frames === undefined) throw new Error(`pin set ${pinSet} released twice or never taken`);
    this.livePins.delete(pinSet);
    this.pinnedFrames -= frames;
  }

  allocateBounce(length: number): { readonly id: number; readonly segments: readonly PhysicalSegment[] } | null {
    const frames = Math.ceil(length / pageSize);
    if (frames > this.bounceFree.length) return null;
    const taken = this.bounceFree.splice(0, frames);
    const segments = taken.map((frame, i) => ({ address: frame * pageSize, length: Math.min(pageSize, length - i * pageSize) }));
    const id = this.nextId++;
    this.liveBounce.set(id, segments);
    return { id, segments };
  }

  freeBounce(id: number): void {
    const segments = this.liveBounce.get(id);
    if (segments === undefined) throw new Error(`bounce buffer ${id} freed twice or never taken`);
    this.liveBounce.delete(id);
    this.bounceFree.push(...segments.map((s) => s.address / pageSize));
  }

  copyBounce(id: number, buffer: UserBuffer, direction: TransferDirection, length: number): number {
    const bounce = this.liveBounce.get(id);
    const user = this.residentSegments({ ...buffer, length });
    if (bounce === undefined || user === null) throw new Error(`copy with bad bounce buffer ${id} or user buffer`);
    const bounceBytes = this.gather(bounce, length);
    if (direction === TransferDirection.DeviceToMemory) this.scatter(user, bounceBytes);
    else this.scatter(bounce, this.gather(user, length));
    return length;
  }

  /** The bytes the user sees in `buffer` now. */
  readUser(buffer: UserBuffer): Uint8Array {
    return this.gather(this.residentSegments(buffer)!, buffer.length);
  }

  gather(segments: readonly PhysicalSegment[], length: number): Uint8Array {
    const out = new Uint8Array(length);
    let at = 0;
    for (const s of segments) {
      const n = Math.min(s.length, length - at);
      out.set(this.memory.subarray(s.address, s.address + n), at);
      at += n;
    }
    return out;
  }

  scatter(segments: readonly PhysicalSegment[], bytes: Uint8Array): void {
    let at = 0;
    for (const s of segments) {
      const n = Math.min(s.length, bytes.length - at);
      this.memory.set(bytes.subarray(at, at + n), s.address);
      at += n;
    }
  }
}

const device: DmaDevice = {
  name: 'test-disk',
  kind: 'disk',
  cyclesPerByte: 1,
  accessLatency: () => 0,
  readFrom: () => 0,
  writeTo: () => 0,
};

const readRequest = (address: number, length: number): IoRequest => ({
  buffer: { addressSpace: 1, address, length },
  direction: TransferDirection.DeviceToMemory,
  device,
  deviceOffset: 0,
});

const pattern = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

/** Plays the DMA: moves `bytes` into (or out of) the plan's segments. */
function runTransfer(machine: IoTestMachine, plan: Extract<IoPlan, { kind: 'transfer' }>, request: IoRequest, deviceBytes: Uint8Array): Uint8Array {
  const total = plan.segments.reduce((n, s) => n + s.length, 0);
  if (request.direction === TransferDirection.DeviceToMemory) {
    machine.scatter(plan.segments, deviceBytes.subarray(0, total));
    return deviceBytes.subarray(0, total);
  }
  return machine.gather(plan.segments, total);
}

/**
 * The contract every {@link IoBufferStrategy} must meet, whatever it does inside: after
 * `finish`, a read's bytes are in the user's buffer and a write's bytes reached the device;
 * nothing it pinned or borrowed is still held; a buffer outside the address space fails with
 * EFAULT; costs only grow.
 *
 * @param create builds a fresh strategy
 */
export function describeIoBufferStrategyConformance(name: string, create: () => IoBufferStrategy): void {
  describe(`IoBufferStrategy conformance: ${name}`, () => {
    it('delivers a read into the user buffer, across page boundaries, and holds nothing afterwards', () => {
      const machine = new IoTestMachine();
      const strategy = create();
      const request = readRequest(100, 1000);
      const plan = strategy.begin(request, machine, 0);
      expect(plan.kind).toBe('transfer');
      if (plan.kind !== 'transfer') return;
      const bytes = pattern(1000, 7);
      runTransfer(machine, plan, request, bytes);
      expect(strategy.finish(request, plan.token, 1000, machine, 500)).toBe(1000);
      expect(machine.readUser(request.buffer)).toEqual(bytes);
      expect(machine.livePins.size).toBe(0);
      expect(machine.liveBounce.size).toBe(0);
    });

    it('sends the user bytes of a write to the device', () => {
      const machine = new IoTestMachine();
      const strategy = create();
      const request: IoRequest = { ...readRequest(300, 600), direction: TransferDirection.MemoryToDevice };
      const bytes = pattern(600, 3);
      machine.scatter(machine.residentSegments(request.buffer)!, bytes);
      const plan = strategy.begin(request, machine, 0);
      if (plan.kind !== 'transfer') throw new Error(`expected a transfer, got ${plan.kind}`);
      expect(runTransfer(machine, plan, request, new Uint8Array(0))).toEqual(bytes);
      strategy.finish(request, plan.token, 600, machine, 10);
      expect(machine.livePins.size + machine.liveBounce.size).toBe(0);
    });

    it('fails a buffer outside the address space with EFAULT and holds nothing', () => {
      const machine = new IoTestMachine();
      const plan = create().begin(readRequest(32 * pageSize - 10, 100), machine, 0);
      expect(plan).toMatchObject({ kind: 'fail', errno: 14 });
      expect(machine.livePins.size + machine.liveBounce.size).toBe(0);
    });

    it('keeps several requests in flight apart and releases each at its own completion', () => {
      const machine = new IoTestMachine();
      const strategy = create();
      const requests = [readRequest(0, 300), readRequest(1024, 200), readRequest(4000, 50)];
      const plans = requests.map((r) => strategy.begin(r, machine, 0));
      const sent = requests.map((r, i) => pattern(r.buffer.length, i + 1));
      plans.forEach((p, i) => {
        if (p.kind !== 'transfer') throw new Error(`request ${i}: expected a transfer, got ${p.kind}`);
        runTransfer(machine, p, requests[i]!, sent[i]!);
      });
      for (const i of [2, 0, 1]) {
        const p = plans[i]!;
        if (p.kind === 'transfer') strategy.finish(requests[i]!, p.token, requests[i]!.buffer.length, machine, 100 + i);
      }
      requests.forEach((r, i) => expect(machine.readUser(r.buffer)).toEqual(sent[i]));
      expect(machine.livePins.size + machine.liveBounce.size).toBe(0);
    });

    it('reports costs that never go down', () => {
      const machine = new IoTestMachine();
      const strategy = create();
      let before = { ...strategy.costs };
      for (let i = 0; i < 5; i++) {
        const request = readRequest(i * 512, 512);
        const plan = strategy.begin(request, machine, i * 1000);
        if (plan.kind === 'transfer') strategy.finish(request, plan.token, 512, machine, i * 1000 + 700);
        const after = { ...strategy.costs };
        for (const key of Object.keys(before) as (keyof typeof before)[]) expect(after[key]).toBeGreaterThanOrEqual(before[key]);
        before = after;
      }
    });
  });
}

import { expect } from 'vitest';
import {
  TransferDirection,
  type DmaDevice,
  type IoBufferStrategy,
  type IoCosts,
  type IoPlan,
  type IoRequest,
  type IoServices,
  type PhysicalSegment,
  type UserBuffer,
} from '@pagelab/contracts';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

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
  private bounceFree: number[];
  private readonly pinSince = new Map<number, number>();
  private nextId = 1;
  pinnedFrames = 0;
  readonly bouncePoolBytes: number;
  /**
   * The time the machine's services see; a suite sets it to the `now` it passes the strategy,
   * so the pinned frame-cycles it measures can be compared with the strategy's own.
   */
  now = 0;
  /** What the machine saw the strategy do, measured here and not taken from the strategy. */
  readonly seen = { bytesCopied: 0, pinnedFrameCycles: 0, quotaRefusals: 0, residentCalls: 0 };

  /**
   * @param lockQuotaFrames how many frames may be pinned at once
   * @param bounceFrames frames in the bounce pool (at most 32)
   */
  constructor(
    readonly lockQuotaFrames = Infinity,
    bounceFrames = 32,
  ) {
    this.bounceFree = Array.from({ length: Math.min(32, bounceFrames) }, (_, i) => 224 + i);
    this.bouncePoolBytes = this.bounceFree.length * pageSize;
  }

  checkRange(buffer: UserBuffer): boolean {
    return buffer.address >= 0 && buffer.length >= 0 && buffer.address + buffer.length <= this.pageFrames.length * pageSize;
  }

  residentSegments(buffer: UserBuffer, _direction: TransferDirection = TransferDirection.DeviceToMemory): readonly PhysicalSegment[] | null {
    this.seen.residentCalls++;
    return this.segmentsOf(buffer);
  }

  /** The physical segments under `buffer`, or null when it leaves the address space. */
  segmentsOf(buffer: UserBuffer): PhysicalSegment[] | null {
    if (!this.checkRange(buffer)) return null;
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
    if (this.pinnedFrames + segments.length > this.lockQuotaFrames) {
      this.seen.quotaRefusals++;
      return null;
    }
    const id = this.nextId++;
    this.livePins.set(id, segments.length);
    this.pinSince.set(id, this.now);
    this.pinnedFrames += segments.length;
    return id;
  }

  releasePins(pinSet: number): void {
    const frames = this.livePins.get(pinSet);
    if (frames === undefined) throw new Error(`pin set ${pinSet} released twice or never taken`);
    this.livePins.delete(pinSet);
    this.pinnedFrames -= frames;
    this.seen.pinnedFrameCycles += frames * (this.now - this.pinSince.get(pinSet)!);
    this.pinSince.delete(pinSet);
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
    const user = this.segmentsOf({ ...buffer, length });
    if (bounce === undefined || user === null) throw new Error(`copy with bad bounce buffer ${id} or user buffer`);
    const bounceBytes = this.gather(bounce, length);
    if (direction === TransferDirection.DeviceToMemory) this.scatter(user, bounceBytes);
    else this.scatter(bounce, this.gather(user, length));
    this.seen.bytesCopied += length;
    return length;
  }

  /** The bytes the user sees in `buffer` now. */
  readUser(buffer: UserBuffer): Uint8Array {
    return this.gather(this.segmentsOf(buffer)!, buffer.length);
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
 * Carries a request out as the kernel does: begin, play the DMA, finish; a `split` plan is
 * issued as consecutive pieces. Returns what the device received (for a write) and the bytes
 * delivered; `clock` is advanced by `step` around every begin and finish, and the machine's
 * `now` follows it.
 */
export function carryOut(
  strategy: IoBufferStrategy,
  machine: IoTestMachine,
  request: IoRequest,
  deviceBytes: Uint8Array,
  clock = { now: 0, step: 100 },
): { readonly delivered: number; readonly sent: Uint8Array; readonly pieces: number; readonly errno: number | null } {
  const tick = () => (machine.now = clock.now += clock.step);
  const whole = request.buffer.length;
  const first = strategy.begin(request, machine, tick());
  if (first.kind === 'fail') return { delivered: 0, sent: new Uint8Array(0), pieces: 0, errno: first.errno };
  if (first.kind === 'wait') throw new Error(`a request alone on the machine was told to wait: ${first.reason}`);
  const pieceBytes = first.kind === 'split' ? first.pieceBytes : whole;
  if (!(Number.isInteger(pieceBytes) && pieceBytes >= 1 && pieceBytes <= whole)) throw new Error(`split into pieces of ${pieceBytes} bytes`);
  const sent = new Uint8Array(whole);
  let delivered = 0;
  let pieces = 0;
  let plan: IoPlan = first;
  while (delivered < whole) {
    const length = Math.min(pieceBytes, whole - delivered);
    const piece: IoRequest = { ...request, buffer: { ...request.buffer, address: request.buffer.address + delivered, length }, deviceOffset: request.deviceOffset + delivered };
    if (first.kind === 'split') plan = strategy.begin(piece, machine, tick());
    if (plan.kind !== 'transfer') throw new Error(`piece ${pieces}: expected a transfer, got ${plan.kind}`);
    sent.set(runTransfer(machine, plan, piece, deviceBytes.subarray(delivered, delivered + length)), delivered);
    delivered += strategy.finish(piece, plan.token, length, machine, tick());
    pieces++;
  }
  return { delivered, sent, pieces, errno: null };
}

/** The figures a strategy reports about itself, next to what its services saw it do. */
export interface IoCostAudit {
  readonly claimed: IoCosts;
  readonly seen: IoTestMachine['seen'];
}

/**
 * Runs a fixed mix of reads and writes (aligned, unaligned, several pages, under a lock quota
 * and a small bounce pool, so every strategy's pin, bounce and split paths are taken; a
 * request the strategy refuses is fine) and returns the strategy's own account beside what
 * the machine measured.
 */
export function auditIoCosts(create: () => IoBufferStrategy): IoCostAudit {
  const machine = new IoTestMachine(3, 4);
  const strategy = create();
  const clock = { now: 0, step: 250 };
  const jobs: [number, number, TransferDirection][] = [
    [0, 256, TransferDirection.DeviceToMemory],
    [300, 900, TransferDirection.DeviceToMemory],
    [1000, 600, TransferDirection.MemoryToDevice],
    [2048, 2000, TransferDirection.DeviceToMemory],
    [5000, 1500, TransferDirection.MemoryToDevice],
  ];
  jobs.forEach(([address, length, direction], i) => {
    const request: IoRequest = { ...readRequest(address, length), direction };
    carryOut(strategy, machine, request, pattern(length, i), clock);
  });
  return { claimed: strategy.costs, seen: { ...machine.seen } };
}

/** Where a strategy's own account disagrees with what it was seen doing (empty when honest). */
export function costDisagreements({ claimed, seen }: IoCostAudit): string[] {
  const problems: string[] = [];
  if (claimed.bytesCopied !== seen.bytesCopied) problems.push(`bytesCopied: claims ${claimed.bytesCopied}, copied ${seen.bytesCopied}`);
  if (claimed.pinnedFrameCycles !== seen.pinnedFrameCycles) problems.push(`pinnedFrameCycles: claims ${claimed.pinnedFrameCycles}, held ${seen.pinnedFrameCycles}`);
  if ((claimed.copyCycles > 0) !== (seen.bytesCopied > 0)) problems.push(`copyCycles: claims ${claimed.copyCycles} for ${seen.bytesCopied} bytes copied`);
  if ((claimed.quotaRefusals > 0) !== (seen.quotaRefusals > 0)) problems.push(`quotaRefusals: claims ${claimed.quotaRefusals}, the quota refused ${seen.quotaRefusals}`);
  return problems;
}

/**
 * The contract every {@link IoBufferStrategy} must meet, whatever it does inside, as cases for
 * an in-process runner (`pagelab conform io-strategy`) or vitest: after `finish`, a read's bytes
 * are in the user's buffer and a write's bytes reached the device; nothing it pinned or borrowed
 * is still held; a buffer outside the address space fails with EFAULT; its cost account matches
 * what its services saw it do; costs only grow.
 *
 * @param subject the strategy's name in the report
 * @param create builds a fresh strategy
 */
export function ioBufferStrategyConformanceSuite(subject: string, create: () => IoBufferStrategy): ConformanceSuite {
  const cases: ConformanceCase[] = [];
  const check = (name: string, run: () => void): void => void cases.push({ name, run });

  check('delivers a read into the user buffer, across page boundaries, and holds nothing afterwards', () => {
    const machine = new IoTestMachine();
    const strategy = create();
    const request = readRequest(100, 1000);
    const plan = strategy.begin(request, machine, 0);
    expect(plan.kind, 'the plan for a 1000-byte read').toBe('transfer');
    if (plan.kind !== 'transfer') return;
    const bytes = pattern(1000, 7);
    runTransfer(machine, plan, request, bytes);
    expect(strategy.finish(request, plan.token, 1000, machine, 500), 'bytes finish() delivered').toBe(1000);
    expect(machine.readUser(request.buffer), 'the user buffer after finish()').toEqual(bytes);
    expect(machine.livePins.size, 'pin sets still held').toBe(0);
    expect(machine.liveBounce.size, 'bounce buffers still held').toBe(0);
  });

  check('sends the user bytes of a write to the device', () => {
    const machine = new IoTestMachine();
    const strategy = create();
    const request: IoRequest = { ...readRequest(300, 600), direction: TransferDirection.MemoryToDevice };
    const bytes = pattern(600, 3);
    machine.scatter(machine.segmentsOf(request.buffer)!, bytes);
    const plan = strategy.begin(request, machine, 0);
    if (plan.kind !== 'transfer') throw new Error(`expected a transfer, got ${plan.kind}`);
    expect(runTransfer(machine, plan, request, new Uint8Array(0)), 'bytes the device received').toEqual(bytes);
    strategy.finish(request, plan.token, 600, machine, 10);
    expect(machine.livePins.size + machine.liveBounce.size, 'pins and bounce buffers still held').toBe(0);
  });

  check('fails a buffer outside the address space with EFAULT and holds nothing', () => {
    const machine = new IoTestMachine();
    const plan = create().begin(readRequest(32 * pageSize - 10, 100), machine, 0);
    expect(plan, 'the plan for a buffer past the end of the address space').toMatchObject({ kind: 'fail', errno: 14 });
    expect(machine.livePins.size + machine.liveBounce.size, 'pins and bounce buffers still held').toBe(0);
  });

  check('keeps several requests in flight apart and releases each at its own completion', () => {
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
    requests.forEach((r, i) => expect(machine.readUser(r.buffer), `user buffer of request ${i} after finish()`).toEqual(sent[i]));
    expect(machine.livePins.size + machine.liveBounce.size, 'pins and bounce buffers still held').toBe(0);
  });

  check('delivers a read larger than the whole bounce pool, in pieces if it asks for them, holding nothing afterwards', () => {
    const machine = new IoTestMachine(Infinity, 4);
    const request = readRequest(100, 3000);
    const bytes = pattern(3000, 11);
    const { delivered, errno } = carryOut(create(), machine, request, bytes);
    expect(errno, 'errno').toBeNull();
    expect(delivered, 'bytes delivered').toBe(3000);
    expect(machine.readUser(request.buffer), 'the user buffer after the last piece').toEqual(bytes);
    expect(machine.livePins.size + machine.liveBounce.size, 'pins and bounce buffers still held').toBe(0);
  });

  check('accounts for exactly what its services saw it copy and pin', () => {
    expect(costDisagreements(auditIoCosts(create)), 'where its costs disagree with what it did').toEqual([]);
  });

  check('reports costs that never go down', () => {
    const machine = new IoTestMachine();
    const strategy = create();
    let before = { ...strategy.costs };
    for (let i = 0; i < 5; i++) {
      const request = readRequest(i * 512, 512);
      const plan = strategy.begin(request, machine, i * 1000);
      if (plan.kind === 'transfer') strategy.finish(request, plan.token, 512, machine, i * 1000 + 700);
      const after = { ...strategy.costs };
      for (const key of Object.keys(before) as (keyof typeof before)[]) expect(after[key], `costs.${key} after request ${i}`).toBeGreaterThanOrEqual(before[key]);
      before = after;
    }
  });
  return { seam: 'io-strategy', subject, cases };
}

/** Registers the I/O buffer strategy suite with vitest (call it from a test file). */
export function describeIoBufferStrategyConformance(subject: string, create: () => IoBufferStrategy): void {
  describeConformanceSuite('IoBufferStrategy', ioBufferStrategyConformanceSuite(subject, create));
}

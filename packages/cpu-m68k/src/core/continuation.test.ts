import { describe, expect, it } from 'vitest';
import { AccessKind, BusFault, CpuStopReason, FaultCause, isPagelabError, type AccessSize, type Bus, type ContinuationState } from '@pagelab/contracts';
import { FlatBus } from '../bus/flat-bus.js';
import { createCpu } from './cpu.js';
import type { M68000 } from './cpu.js';

/** One bus reference as the bus saw it. */
type Reference = string;

/** A flat bus that logs every reference it completes and faults (not present) the `faultAt`-th one. */
class LoggingBus implements Bus {
  readonly log: Reference[] = [];
  count = 0;
  constructor(
    readonly flat: FlatBus,
    public faultAt = 0,
  ) {}
  private ref(kind: string, address: number, access: AccessKind, size: AccessSize, value: number): void {
    if (++this.count === this.faultAt) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the contract's control-flow signal
      throw new BusFault(address, access, size, FaultCause.NotPresent);
    }
    this.log.push(`${kind}${size} ${address.toString(16)}=${value.toString(16)}`);
  }
  read8(a: number): number {
    const v = this.flat.read8(a);
    this.ref('r', a, AccessKind.Read, 1, v);
    return v;
  }
  read16(a: number): number {
    const v = this.flat.read16(a);
    this.ref('r', a, AccessKind.Read, 2, v);
    return v;
  }
  read32(a: number): number {
    const v = this.flat.read32(a);
    this.ref('r', a, AccessKind.Read, 4, v);
    return v;
  }
  write8(a: number, v: number): void {
    this.ref('w', a, AccessKind.Write, 1, v);
    this.flat.write8(a, v);
  }
  write16(a: number, v: number): void {
    this.ref('w', a, AccessKind.Write, 2, v);
    this.flat.write16(a, v);
  }
  write32(a: number, v: number): void {
    this.ref('w', a, AccessKind.Write, 4, v);
    this.flat.write32(a, v);
  }
  fetch16(a: number): number {
    const v = this.flat.fetch16(a);
    this.ref('f', a, AccessKind.Fetch, 2, v);
    return v;
  }
}

const START = 0x1000;

/** Whole memories compared at once (a deep equality over 64 KiB is slow). */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

interface Setup {
  readonly words: readonly number[];
  readonly registers: Record<number, number>;
  readonly memory: readonly (readonly [number, number])[];
}

function machine(setup: Setup, faultAt: number): { cpu: M68000; bus: LoggingBus } {
  const flat = new FlatBus(1 << 16);
  setup.words.forEach((w, i) => flat.write16(START + 2 * i, w));
  for (const [address, word] of setup.memory) flat.write16(address, word);
  const bus = new LoggingBus(flat, faultAt);
  const cpu = createCpu({ model: 'm68010-continuation', bus, hostFaults: true, hostTraps: true }) as M68000;
  for (const [register, value] of Object.entries(setup.registers)) cpu.state.registers[Number(register)] = value;
  cpu.state.registers[15] = 0x9000;
  cpu.state.ssp = 0x9000;
  cpu.state.sr = 0x2700;
  cpu.resumeAt(START);
  return { cpu, bus };
}

/** The instruction run with reference `n` faulting, then continued from the long frame. */
function faultAndContinue(setup: Setup, n: number): { cpu: M68000; bus: LoggingBus; before: Reference[]; state: ContinuationState } | null {
  const { cpu, bus } = machine(setup, n);
  if (cpu.run(1) !== CpuStopReason.BusFault) return null;
  const frame = cpu.lastFault!;
  expect(frame.continuation?.format).toBe(8);
  expect(frame.continuation?.frameBytes).toBe(58);
  const before = [...bus.log];
  const state = frame.continuation!.state;
  cpu.resumeContinuation(state);
  expect(cpu.run(1)).toBe(CpuStopReason.BudgetExhausted);
  return { cpu, bus, before, state };
}

const A0 = 8;
const A1 = 9;

const cases: readonly { name: string; setup: Setup }[] = [
  { name: 'ADDQ.L #1,(A0)+', setup: { words: [0x5298], registers: { [A0]: 0x4000 }, memory: [[0x4000, 0x0000], [0x4002, 0xffff]] } },
  { name: 'MOVE.L (A0)+,(A1)+', setup: { words: [0x22d8], registers: { [A0]: 0x4000, [A1]: 0x5000 }, memory: [[0x4000, 0x1234], [0x4002, 0x5678]] } },
  { name: 'MOVE.L 6(A1),2(A0) (the seed texts\' instruction)', setup: { words: [0x2169, 0x0006, 0x0002], registers: { [A0]: 0x4000, [A1]: 0x5000 }, memory: [[0x5006, 0xcafe], [0x5008, 0xf00d]] } },
  { name: 'MOVE.L -(A0),-(A1)', setup: { words: [0x2320], registers: { [A0]: 0x4004, [A1]: 0x5004 }, memory: [[0x4000, 0x0bad], [0x4002, 0xbeef]] } },
  { name: 'MOVEM.L (A0)+,D0-D3', setup: { words: [0x4cd8, 0x000f], registers: { [A0]: 0x4000 }, memory: [[0x4000, 1], [0x4002, 2], [0x4004, 3], [0x4006, 4], [0x4008, 5], [0x400a, 6], [0x400c, 7], [0x400e, 8]] } },
  { name: 'MOVEM.L D0-D3,-(A1)', setup: { words: [0x48e1, 0xf000], registers: { 0: 0x11112222, 1: 0x33334444, 2: 0x55556666, 3: 0x77778888, [A1]: 0x5010 }, memory: [] } },
  { name: 'ADDX.L -(A0),-(A1)', setup: { words: [0xd388], registers: { [A0]: 0x4004, [A1]: 0x5004 }, memory: [[0x4000, 0x0001], [0x4002, 0x8000], [0x5000, 0x0002], [0x5002, 0x8000]] } },
];

describe('m68010-continuation: a faulted instruction continues with no second side effect', () => {
  for (const { name, setup } of cases) {
    it(`${name}: every reference faulted in turn`, () => {
      const clean = machine(setup, 0);
      clean.cpu.run(1);
      const truth = clean.bus.log;
      let faulted = 0;
      for (let n = 1; n <= truth.length; n++) {
        const run = faultAndContinue(setup, n);
        expect(run, `reference ${n}`).not.toBeNull();
        const { cpu, bus, before } = run!;
        faulted++;
        // The references before the fault, then the faulted one and the rest: each made once, in order.
        expect(bus.log, `reference ${n}`).toEqual(truth);
        expect(before, `reference ${n}`).toEqual(truth.slice(0, n - 1));
        expect(Array.from(cpu.state.registers), `reference ${n}`).toEqual(Array.from(clean.cpu.state.registers));
        expect(cpu.state.pc).toBe(clean.cpu.state.pc);
        expect(cpu.state.sr).toBe(clean.cpu.state.sr);
        expect(cpu.cycles).toBe(clean.cpu.cycles);
        expect(cpu.instructions).toBe(1);
        expect(sameBytes(bus.flat.memory, clean.bus.flat.memory), `reference ${n}: memory`).toBe(true);
      }
      expect(faulted).toBe(truth.length);
    });
  }

  it('ADDQ.L #1,(A0)+ with its second write faulting: A0 moved once, the long written once, frame holds the write', () => {
    const setup = cases[0]!.setup;
    const { cpu, bus } = machine(setup, 5); // fetch, read high, read low, write high, *write low*
    expect(cpu.run(1)).toBe(CpuStopReason.BusFault);
    const frame = cpu.lastFault!;
    expect(frame.access).toBe(AccessKind.Write);
    expect(frame.address).toBe(0x4002);
    expect(frame.size).toBe(2);
    expect(frame.continuation!.writeData).toBe(0x0000);
    expect(frame.hidden).toBeNull();
    // The partial state as the OS sees it: A0 already moved, the high word already written.
    expect(cpu.state.registers[A0]).toBe(0x4004);
    expect(bus.flat.read16(0x4000)).toBe(0x0001);
    cpu.resumeContinuation(frame.continuation!.state);
    cpu.run(1);
    expect(cpu.state.registers[A0]).toBe(0x4004);
    expect(bus.flat.read32(0x4000)).toBe(0x00010000);
    expect(bus.log.filter((r) => r.startsWith('w'))).toEqual(['w2 4000=1', 'w2 4002=0']);
    expect(cpu.state.pc).toBe(START + 2);
  });

  it('a read fault has no write data', () => {
    const { cpu } = machine(cases[1]!.setup, 2);
    expect(cpu.run(1)).toBe(CpuStopReason.BusFault);
    expect(cpu.lastFault!.access).toBe(AccessKind.Read);
    expect(cpu.lastFault!.continuation!.writeData).toBeNull();
  });

  it('the saved state is self-contained: another CPU with the registers the fault left can continue it', () => {
    const setup = cases[1]!.setup;
    const clean = machine(setup, 0);
    clean.cpu.run(1);
    const { cpu, bus } = machine(setup, 4);
    expect(cpu.run(1)).toBe(CpuStopReason.BusFault);
    const other = createCpu({ model: 'm68010-continuation', bus, hostFaults: true }) as M68000;
    other.state.registers.set(cpu.state.registers);
    other.state.ssp = cpu.state.ssp;
    other.state.sr = cpu.state.sr;
    other.resumeContinuation(cpu.lastFault!.continuation!.state);
    other.run(1);
    expect(Array.from(other.state.registers)).toEqual(Array.from(clean.cpu.state.registers));
    expect(sameBytes(bus.flat.memory, clean.bus.flat.memory)).toBe(true);
  });
});

describe('m68010-continuation: a changed or foreign saved state is refused (the 68010 takes a format error)', () => {
  const setup = cases[1]!.setup;
  const faulted = (): { cpu: M68000; state: ContinuationState } => {
    const { cpu } = machine(setup, 4);
    expect(cpu.run(1)).toBe(CpuStopReason.BusFault);
    return { cpu, state: cpu.lastFault!.continuation!.state };
  };
  const refused = (run: () => void, message: RegExp): void => {
    let error: unknown = null;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(isPagelabError(error, 'FRAME_FORMAT'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  };

  it('the state is frozen: the OS cannot change it in place', () => {
    const { state } = faulted();
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.words)).toBe(true);
  });

  it('every single word changed is caught', () => {
    const { state } = faulted();
    for (let i = 0; i < state.words.length; i++) {
      const words = [...state.words];
      words[i] = (words[i]! ^ 0x0100) & 0xffff;
      const { cpu } = faulted();
      refused(() => cpu.resumeContinuation({ words }), /continuation frame: /);
    }
  });

  it('a wrong version word, a truncated state, a word out of range, no words at all', () => {
    const { cpu, state } = faulted();
    refused(() => cpu.resumeContinuation({ words: [0x1234, ...state.words.slice(1)] }), /version word 0x1234/);
    refused(() => cpu.resumeContinuation({ words: state.words.slice(0, -1) }), /continuation frame: /);
    refused(() => cpu.resumeContinuation({ words: [...state.words.slice(0, -1), 0x10000] }), /not a 16-bit value/);
    refused(() => cpu.resumeContinuation({ words: [] }), /too few/);
    refused(() => cpu.resumeContinuation({} as ContinuationState), /no internal-state words/);
  });

  it('a state saved by another instruction does not fit this one: refused as the replay reaches it', () => {
    const { state } = faulted();
    const other = machine({ words: [0x22d8], registers: { [A0]: 0x6000, [A1]: 0x7000 }, memory: [] }, 0).cpu;
    other.run(0);
    // Same opcode, different addresses: the saved reads were made elsewhere.
    other.state.registers[A0] = 0x6004;
    refused(() => {
      other.resumeContinuation(state);
      other.run(1);
    }, /saved state has kind/);
  });

  it('a model that saves no continuation cannot resume one', () => {
    const { state } = faulted();
    const plain = createCpu({ model: 'm68000', bus: new FlatBus(1 << 16), hostFaults: true });
    refused(() => plain.resumeContinuation!(state), /'m68000' saves no continuation/);
  });
});

describe('m68010-continuation always interprets', () => {
  it('asks for the translator and gets the interpreter', () => {
    const cpu = createCpu({ model: 'm68010-continuation', bus: new FlatBus(1 << 16), engine: 'translate' }) as M68000;
    expect(cpu.engine).toBe('interpret');
  });
});

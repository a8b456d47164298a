import { BusFault, type AccessKind, type AccessSize, type FaultCause } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import { FlatBus } from '../bus/flat-bus.js';
import { createCpu, M68000 } from './cpu.js';

const READ = 0 as AccessKind;
const WRITE = 1 as AccessKind;
const FETCH = 2 as AccessKind;
const NOT_PRESENT = 0 as FaultCause;

/** A flat bus on which every reference into [faultFrom, faultTo) faults as not present. */
class HoleBus extends FlatBus {
  constructor(
    private readonly faultFrom: number,
    private readonly faultTo: number,
  ) {
    super(0x100000);
  }

  private check(address: number, size: number, access: AccessKind): void {
    // A long is two word cycles: the fault names the word that failed.
    for (let a = address; a < address + size; a += 2) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's signal
      if (a >= this.faultFrom && a < this.faultTo) throw new BusFault(a, access, Math.min(size, 2) as AccessSize, NOT_PRESENT);
    }
  }

  override read16(address: number): number {
    this.check(address, 2, READ);
    return super.read16(address);
  }
  override read32(address: number): number {
    this.check(address, 4, READ);
    return super.read32(address);
  }
  override write16(address: number, value: number): void {
    this.check(address, 2, WRITE);
    super.write16(address, value);
  }
  override write32(address: number, value: number): void {
    this.check(address, 4, WRITE);
    super.write32(address, value);
  }
  override fetch16(address: number): number {
    this.check(address, 2, FETCH);
    return super.fetch16(address);
  }
}

const CODE = 0x1000;
const HOLE = 0x8000;

function load(bus: FlatBus, words: number[], at = CODE): void {
  words.forEach((w, i) => bus.write16(at + 2 * i, w));
}

function makeCpu(bus: FlatBus, options: { model?: 'm68000' | 'm68010-hidden'; hostTraps?: boolean; hostFaults?: boolean } = {}): M68000 {
  const cpu = new M68000({ model: options.model ?? 'm68000', bus, hostTraps: options.hostTraps ?? false, hostFaults: options.hostFaults ?? false });
  cpu.sr = 0x2700;
  cpu.r[15] = 0x4000;
  cpu.resumeAt(CODE);
  return cpu;
}

describe('host traps', () => {
  it('stops run() at TRAP #n with the PC past the TRAP', () => {
    const bus = new FlatBus(0x100000);
    load(bus, [0x7005, 0x4e45, 0x4e71]); // moveq #5,d0; trap #5; nop
    const cpu = makeCpu(bus, { hostTraps: true });
    expect(cpu.run(100)).toBe(1);
    expect(cpu.lastTrap).toBe(5);
    expect(cpu.pc).toBe(CODE + 4);
    expect(cpu.instructions).toBe(2);
    expect(cpu.r[15]).toBe(0x4000); // nothing stacked
  });

  it('goes through vector 32 + n on bare metal', () => {
    const bus = new FlatBus(0x100000);
    bus.write32((32 + 3) * 4, 0x2000);
    load(bus, [0x4e43]);
    const cpu = makeCpu(bus);
    cpu.sr = 0x0004; // user mode
    cpu.r[15] = 0x3000;
    cpu.ssp = 0x4000;
    cpu.run(1);
    expect(cpu.pc).toBe(0x2000);
    expect(cpu.sr & 0x2000).toBe(0x2000);
    expect(cpu.r[15]).toBe(0x4000 - 6);
    expect(bus.read16(0x4000 - 6)).toBe(0x0004);
    expect(bus.read32(0x4000 - 4)).toBe(CODE + 2);
    expect(cpu.usp).toBe(0x3000);
  });
});

describe('host faults', () => {
  it('m68010-hidden: MOVE.L (A0)+,(A1)+ faulting on the store records start PC and the A0 increment', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    load(bus, [0x22d8, 0x4e71]); // move.l (a0)+,(a1)+
    bus.write32(0x3000, 0x12345678);
    const cpu = makeCpu(bus, { model: 'm68010-hidden', hostFaults: true });
    cpu.r[8] = 0x3000;
    cpu.r[9] = HOLE + 0x10;
    expect(cpu.run(10)).toBe(2);
    const frame = cpu.lastFault!;
    expect(frame.address).toBe(HOLE + 0x10);
    expect(frame.access).toBe(WRITE);
    expect(frame.cause).toBe(NOT_PRESENT);
    expect(frame.instructionRegister).toBe(0x22d8);
    expect(frame.functionCode).toBe(5);
    expect(frame.hidden).toEqual({ startPc: CODE, registerChanges: [{ register: 8, delta: 4 }] });
    // Partial state: A0 advanced, A1 not, the PC is what the 68000 stacks.
    expect(cpu.r[8]).toBe(0x3004);
    expect(cpu.r[9]).toBe(HOLE + 0x10);
    expect(cpu.pc).toBe(frame.programCounter);
    expect(cpu.instructions).toBe(0);

    // The host backs up and resumes after making the page present.
    const restart = new M68000({ model: 'm68010-hidden', bus: new FlatBus(bus.memory), hostFaults: true });
    restart.r.set(cpu.r);
    restart.sr = cpu.sr;
    for (const change of frame.hidden!.registerChanges) restart.r[change.register] = restart.r[change.register]! - change.delta;
    restart.resumeAt(frame.hidden!.startPc);
    restart.run(1);
    expect(restart.r[8]).toBe(0x3004);
    expect(restart.r[9]).toBe(HOLE + 0x14);
    expect(bus.memory[HOLE + 0x10]).toBe(0x12);
  });

  it('m68000: the frame has no hidden record', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    load(bus, [0x2018]); // move.l (a0)+,d0
    const cpu = makeCpu(bus, { hostFaults: true });
    cpu.r[8] = HOLE;
    expect(cpu.run(1)).toBe(2);
    expect(cpu.lastFault!.hidden).toBeNull();
    expect(cpu.lastFault!.access).toBe(READ);
  });

  it('a long read faulting on its second word leaves (An)+ unapplied', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    load(bus, [0x2018]); // move.l (a0)+,d0
    const cpu = makeCpu(bus, { model: 'm68010-hidden', hostFaults: true });
    cpu.r[8] = HOLE - 2;
    cpu.r[0] = 0x55;
    expect(cpu.run(1)).toBe(2);
    expect(cpu.lastFault!.address).toBe(HOLE);
    expect(cpu.r[8]).toBe(HOLE - 2);
    expect(cpu.r[0]).toBe(0x55);
    expect(cpu.lastFault!.hidden!.registerChanges).toEqual([]);
  });

  it('a fault on an extension word is taken by its instruction, after earlier side effects', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    // At HOLE-4: move.w -(a0),$1234(a1): opcode and... the displacement lies in the hole.
    load(bus, [0x4e71], HOLE - 4);
    load(bus, [0x3360], HOLE - 2); // move.w -(a0),(d16,a1)
    const cpu = makeCpu(bus, { model: 'm68010-hidden', hostFaults: true });
    cpu.r[8] = 0x3002;
    cpu.resumeAt(HOLE - 4);
    expect(cpu.run(5)).toBe(2);
    const frame = cpu.lastFault!;
    expect(frame.access).toBe(FETCH);
    expect(frame.address).toBe(HOLE);
    expect(frame.functionCode).toBe(6);
    expect(frame.hidden).toEqual({ startPc: HOLE - 2, registerChanges: [{ register: 8, delta: -2 }] });
    expect(cpu.r[8]).toBe(0x3000);
    expect(cpu.instructions).toBe(1);
  });

  it('without hostFaults a bus fault becomes a bus-error exception with a group-0 frame', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    bus.write32(2 * 4, 0x2000);
    load(bus, [0x3010]); // move.w (a0),d0
    const cpu = makeCpu(bus);
    cpu.r[8] = HOLE + 4;
    expect(cpu.run(1)).toBe(0);
    expect(cpu.pc).toBe(0x2000);
    const sp = cpu.r[15]!;
    expect(sp).toBe(0x4000 - 14);
    expect(bus.read16(sp) & 0x1f).toBe(0x15); // read, supervisor data
    expect(bus.read32(sp + 2)).toBe(HOLE + 4);
    expect(bus.read16(sp + 6)).toBe(0x3010);
    expect(bus.read16(sp + 8)).toBe(0x2700);
    expect(bus.read32(sp + 10)).toBe(CODE + 2);
  });

  it('a fault while stacking an exception halts the CPU (double bus fault)', () => {
    const bus = new HoleBus(HOLE, HOLE + 0x1000);
    load(bus, [0x3010]);
    const cpu = makeCpu(bus);
    cpu.r[8] = HOLE;
    cpu.r[15] = HOLE + 0x100;
    expect(cpu.run(1)).toBe(4);
    expect(cpu.run(1)).toBe(4);
  });
});

describe('interrupts and STOP', () => {
  function interruptMachine(): { bus: FlatBus; cpu: M68000 } {
    const bus = new FlatBus(0x100000);
    for (let level = 1; level <= 7; level++) bus.write32((24 + level) * 4, 0x2000 + level * 0x10);
    bus.write32(64 * 4, 0x2400);
    load(bus, [0x4e71, 0x4e71, 0x60fe]); // nop; nop; bra.s *
    return { bus, cpu: makeCpu(bus) };
  }

  it('takes an autovectored interrupt above the mask and raises the mask to its level', () => {
    const { bus, cpu } = interruptMachine();
    cpu.sr = 0x2200;
    cpu.run(1);
    cpu.requestInterrupt(2); // at the mask: held off
    cpu.run(1);
    expect(cpu.pc).toBe(CODE + 4);
    cpu.requestInterrupt(5);
    cpu.run(1);
    expect(cpu.pc).toBe(0x2050);
    expect(cpu.sr & 0x0700).toBe(0x0500);
    expect(bus.read16(cpu.r[15]!)).toBe(0x2200);
    expect(bus.read32(cpu.r[15]! + 2)).toBe(CODE + 4);
  });

  it('level 7 is not maskable; a vector can be supplied', () => {
    const { cpu } = interruptMachine();
    cpu.requestInterrupt(7);
    cpu.run(1);
    expect(cpu.pc).toBe(0x2070);
    const second = interruptMachine().cpu;
    second.sr = 0x2000;
    second.requestInterrupt(3, 64);
    second.run(1);
    expect(second.pc).toBe(0x2400);
  });

  it('STOP stops run() until an interrupt above the new mask arrives', () => {
    const { cpu, bus } = interruptMachine();
    load(bus, [0x4e72, 0x2300, 0x4e71]); // stop #$2300; nop
    expect(cpu.run(10)).toBe(3);
    expect(cpu.sr).toBe(0x2300);
    expect(cpu.run(10)).toBe(3);
    cpu.requestInterrupt(2);
    expect(cpu.run(10)).toBe(3);
    cpu.requestInterrupt(4);
    cpu.run(1);
    expect(cpu.pc).toBe(0x2040);
    expect(bus.read32(cpu.r[15]! + 2)).toBe(CODE + 4);
  });
});

describe('run budget and counters', () => {
  it('executes exactly the budget and returns BudgetExhausted', () => {
    const bus = new FlatBus(0x100000);
    load(bus, [0x5280, 0x60fc]); // addq.l #1,d0; bra.s -4
    const cpu = makeCpu(bus);
    expect(cpu.run(1001)).toBe(0);
    expect(cpu.instructions).toBe(1001);
    expect(cpu.r[0]).toBe(501);
    expect(cpu.cycles).toBe(501 * 8 + 500 * 10);
    expect(cpu.run(1)).toBe(0);
    expect(cpu.instructions).toBe(1002);
  });

  it('createCpu returns a CPU whose state is live', () => {
    const bus = new FlatBus(0x100000);
    bus.write32(0, 0x4000);
    bus.write32(4, CODE);
    load(bus, [0x7207]); // moveq #7,d1
    const cpu = createCpu({ model: 'm68000', bus });
    cpu.reset();
    expect(cpu.state.pc).toBe(CODE);
    expect(cpu.state.registers[15]).toBe(0x4000);
    cpu.run(1);
    expect(cpu.state.registers[1]).toBe(7);
  });

  it('illegal, line-A and privilege violations go through their vectors with the start PC', () => {
    const bus = new FlatBus(0x100000);
    bus.write32(4 * 4, 0x2004);
    bus.write32(8 * 4, 0x2008);
    bus.write32(10 * 4, 0x200a);
    load(bus, [0x4afc]);
    const cpu = makeCpu(bus);
    cpu.run(1);
    expect(cpu.pc).toBe(0x2004);
    expect(bus.read32(cpu.r[15]! + 2)).toBe(CODE);
    load(bus, [0xa123]);
    cpu.resumeAt(CODE);
    cpu.run(1);
    expect(cpu.pc).toBe(0x200a);
    load(bus, [0x46fc, 0x2700]); // move #$2700,sr in user mode
    cpu.resumeAt(CODE);
    cpu.setSr(0x0000);
    cpu.run(1);
    expect(cpu.pc).toBe(0x2008);
  });
});

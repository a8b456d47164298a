import { describe, expect, it } from 'vitest';
import { AccessKind, BusFault, CpuStopReason, FaultCause } from '@pagelab/contracts';
import { FlatBus } from '../bus/index.js';
import { createCpu } from './cpu.js';

/** A flat bus whose next data write faults once, like a stack page that is not resident. */
class OneWriteFault extends FlatBus {
  armed = false;

  override write16(address: number, value: number): void {
    this.trip(address, 2);
    super.write16(address, value);
  }

  override write32(address: number, value: number): void {
    this.trip(address, 4);
    super.write32(address, value);
  }

  private trip(address: number, size: 2 | 4): void {
    if (!this.armed) return;
    this.armed = false;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the contract's BusFault is a control-flow signal, not an Error
    throw new BusFault(address, AccessKind.Write, size, FaultCause.NotPresent);
  }
}

const CODE = 0x1000;
const STACK = 0x8000;

describe('m68010-hidden: instructions that move SP themselves', () => {
  it.each([
    ['pea (0x176d).l', [0x4879, 0x0000, 0x176d]],
    ['jsr (0x1100).l', [0x4eb9, 0x0000, 0x1100]],
    ['bsr.w', [0x6100, 0x00fe]],
    ['link a6,#-8', [0x4e56, 0xfff8]],
  ])('%s: the record holds the SP change, so the restarted instruction pushes exactly once', (_name, words) => {
    const bus = new OneWriteFault(1 << 24);
    words.forEach((word, i) => bus.write16(CODE + 2 * i, word));
    const cpu = createCpu({ model: 'm68010-hidden', bus, hostTraps: true, hostFaults: true });
    cpu.state.sr = 0;
    cpu.state.registers[15] = STACK;
    cpu.state.registers[14] = 0x9000;
    cpu.resumeAt(CODE);
    bus.armed = true;
    expect(cpu.run(1)).toBe(CpuStopReason.BusFault);
    const hidden = cpu.lastFault?.hidden;
    if (hidden == null) throw new Error('expected a hidden restart record');
    expect(hidden.startPc).toBe(CODE);
    expect(hidden.registerChanges).toContainEqual({ register: 15, delta: -4 });
    for (const change of hidden.registerChanges) cpu.state.registers[change.register] = (cpu.state.registers[change.register]! - change.delta) >>> 0;
    expect(cpu.state.registers[15]).toBe(STACK);
    cpu.resumeAt(hidden.startPc);
    expect(cpu.run(1)).toBe(CpuStopReason.BudgetExhausted);
    const pushed = STACK - 4;
    const sp = cpu.state.registers[15];
    expect(sp === pushed || sp === pushed - 8).toBe(true);
  });
});

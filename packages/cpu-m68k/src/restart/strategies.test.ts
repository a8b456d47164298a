import { describe, expect, it } from 'vitest';
import { AccessKind, type RestartVerdict } from '@pagelab/contracts';
import { createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';
import { applyRestart, highestStartPolicy, lowestStartPolicy, refusePolicy, resolveAmbiguity } from './policies.js';
import { createRestartStrategy } from './create.js';
import { faultInstruction, type FaultedInstruction } from '../testing/fault-bench.js';

const hardware = createHardwareStrategy();
const software = createSoftwareStrategy();
const none = createNoRestartStrategy();

/** Every reference of the instruction, faulted in turn on the given model. */
function everyFault(model: 'm68000' | 'm68010-hidden', start: number, words: number[]): FaultedInstruction[] {
  const out: FaultedInstruction[] = [];
  for (let n = 1; n <= 40; n++) {
    const f = faultInstruction(model, start, words, n);
    if (f === null) break;
    out.push(f);
  }
  return out;
}

function restarted(v: RestartVerdict): Extract<RestartVerdict, { kind: 'restarted' }> {
  if (v.kind !== 'restarted') throw new Error(`expected a restart, got ${JSON.stringify(v)}`);
  return v;
}

/** After applying the verdict the registers must be exactly what they were before the instruction. */
function expectUndone(f: FaultedInstruction, v: RestartVerdict, start: number): void {
  const r = restarted(v);
  expect(r.startPc).toBe(start);
  const regs = { registers: Uint32Array.from(f.cpu.state.registers), pc: 0, sr: 0, usp: 0, ssp: 0 };
  applyRestart(regs, r);
  expect([...regs.registers.subarray(8)]).toEqual([...f.before.subarray(8)]);
}

describe("the seeds' move.l 6(a1),2(a0) (2169 0006 0002 at 0x1000)", () => {
  const words = [0x2169, 0x0006, 0x0002];

  it('the m68000 model faults it on 5 references; PC at the fault is 0x1002 or 0x1004 and 0x1002 also decodes as an opcode', () => {
    const faults = everyFault('m68000', 0x1000, words);
    // opcode fetch, source extension, source read (a long: one reference), destination extension, destination write
    expect(faults.map((f) => f.frame.access)).toEqual([AccessKind.Fetch, AccessKind.Fetch, AccessKind.Read, AccessKind.Fetch, AccessKind.Write]);
    expect(faults[2]?.frame.address).toBe(0x8106);
    expect(faults[4]?.frame.address).toBe(0x8002);
    for (const f of faults.slice(1)) expect([0x1002, 0x1004, 0x1006]).toContain(f.frame.programCounter);
  });

  it('software: each fault after the opcode fetch restarts at 0x1000: the IR rules out 0x0006 (ori.b) at 0x1002', () => {
    for (const f of everyFault('m68000', 0x1000, words).slice(1)) {
      expect(f.frame.hidden).toBeNull();
      expectUndone(f, software.backUp(f.frame, f.cpu.state, f.code), 0x1000);
    }
  });

  it('software: a fault on the opcode fetch itself restarts there with nothing to undo', () => {
    const f = everyFault('m68000', 0x1000, words)[0]!;
    expect(f.frame.access).toBe(AccessKind.Fetch);
    expect(f.frame.address).toBe(0x1000);
    const v = software.backUp(f.frame, f.cpu.state, f.code);
    expectUndone(f, v, 0x1000);
    expect(restarted(v).undo).toEqual([]);
  });

  it('hardware on m68010-hidden: exact, from the hidden record', () => {
    for (const f of everyFault('m68010-hidden', 0x1000, words)) {
      expect(f.frame.hidden?.startPc).toBe(0x1000);
      expectUndone(f, hardware.backUp(f.frame, f.cpu.state, f.code), 0x1000);
    }
  });

  it('hardware on a plain m68000 is unrecoverable: no hidden record', () => {
    const f = faultInstruction('m68000', 0x1000, words, 5);
    const v = hardware.backUp(f!.frame, f!.cpu.state, f!.code);
    expect(v.kind).toBe('unrecoverable');
    if (v.kind === 'unrecoverable') expect(v.reason).toMatch(/no hidden restart record/);
  });

  it('none is always unrecoverable', () => {
    const f = faultInstruction('m68010-hidden', 0x1000, words, 5);
    const v = none.backUp(f!.frame, f!.cpu.state, f!.code);
    expect(v.kind).toBe('unrecoverable');
    if (v.kind === 'unrecoverable') expect(v.reason).toMatch(/does not let the OS restart/);
  });
});

describe('auto-increment and auto-decrement', () => {
  // move.l (a0)+,-(a1) at 0x2000: 2318
  const words = [0x2318];

  it('software finds the changes already made and undoes them, agreeing with the hidden record', () => {
    const soft = everyFault('m68000', 0x2000, words);
    const hard = everyFault('m68010-hidden', 0x2000, words);
    expect(soft.length).toBeGreaterThanOrEqual(3);
    const undos: string[] = [];
    soft.forEach((f, i) => {
      if (i === 0) return; // the opcode fetch itself: the IR still holds the previous opcode
      const v = restarted(software.backUp(f.frame, f.cpu.state, f.code));
      expectUndone(f, v, 0x2000);
      const h = restarted(hardware.backUp(hard[i]!.frame, hard[i]!.cpu.state, hard[i]!.code));
      expect(v.undo).toEqual(h.undo);
      undos.push(JSON.stringify(v.undo));
    });
    // On the m68000 model a faulting destination write leaves a0 incremented but a1 not yet
    // decremented (MOVE to -(An) commits the decrement with the write): only a0 is undone.
    const write = soft.find((f) => f.frame.access === AccessKind.Write);
    const v = restarted(software.backUp(write!.frame, write!.cpu.state, write!.code));
    expect(v.undo).toEqual([{ register: 8, delta: 4 }]);
    // A fault on the source read leaves nothing to undo: the increment is committed only once the read completes.
    const read = soft.find((f) => f.frame.access === AccessKind.Read);
    expect(restarted(software.backUp(read!.frame, read!.cpu.state, read!.code)).undo).toEqual([]);
  });

  it('movem.l d0-d3,-(sp) faulting partway: the partial decrement of SP is undone', () => {
    // 48e7 f000: movem.l d0-d3,-(sp)
    const faults = everyFault('m68000', 0x3000, [0x48e7, 0xf000]);
    const writes = faults.filter((f) => f.frame.access === AccessKind.Write);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    for (const f of writes) expectUndone(f, software.backUp(f.frame, f.cpu.state, f.code), 0x3000);
  });
});

describe('an ambiguous backup: the fault lands on an extension word equal to the opcode', () => {
  // move.b 0x1168(a0),0x1168(a0) with every word 0x1168: at 0x1002 the extension word decodes
  // as the same instruction. Fault the fetch of the word at 0x1004 (the destination
  // displacement for a start at 0x1000, the source displacement for a start at 0x1002).
  const words = [0x1168, 0x1168, 0x1168, 0x1168, 0x1168];
  const fetchAt1004 = (): FaultedInstruction => {
    const f = everyFault('m68000', 0x1000, words).find((x) => x.frame.access === AccessKind.Fetch && x.frame.address === 0x1004);
    if (f === undefined) throw new Error('no fetch fault at 0x1004');
    return f;
  };

  it('software reports both starts as candidates', () => {
    const f = fetchAt1004();
    expect(f.frame.programCounter).toBe(0x1004);
    const v = software.backUp(f.frame, f.cpu.state, f.code);
    expect(v.kind).toBe('ambiguous');
    if (v.kind !== 'ambiguous') return;
    expect(v.candidates.map((c) => c.startPc).sort()).toEqual([0x1000, 0x1002]);
    for (const c of v.candidates) expect(c.disassembly).toMatch(/^move\.b /);
  });

  it('policies: refuse leaves it ambiguous; lowest-start picks the right one here, highest-start the wrong one', () => {
    const f = fetchAt1004();
    const v = software.backUp(f.frame, f.cpu.state, f.code);
    expect(resolveAmbiguity(v, refusePolicy, f.frame).kind).toBe('ambiguous');
    const low = restarted(resolveAmbiguity(v, lowestStartPolicy, f.frame));
    expect(low.startPc).toBe(0x1000);
    expect(low.chosenFrom).toHaveLength(2);
    expect(restarted(resolveAmbiguity(v, highestStartPolicy, f.frame)).startPc).toBe(0x1002);
  });
});

describe('unrecoverable software backups', () => {
  it('when no start in the window decodes to the IR', () => {
    const f = faultInstruction('m68000', 0x1000, [0x2169, 0x0006, 0x0002], 5)!;
    const v = software.backUp({ ...f.frame, instructionRegister: 0x4e71 }, f.cpu.state, f.code);
    expect(v.kind).toBe('unrecoverable');
    if (v.kind === 'unrecoverable') expect(v.reason).toMatch(/0x1000: opcode differs from IR/);
  });

  it('when the code cannot be read', () => {
    const f = faultInstruction('m68000', 0x1000, [0x2169, 0x0006, 0x0002], 5)!;
    const v = software.backUp(f.frame, f.cpu.state, { readWord: () => null });
    expect(v.kind).toBe('unrecoverable');
  });

  it('does not change the registers it is given', () => {
    const f = faultInstruction('m68000', 0x2000, [0x2318], 3)!;
    const snapshot = Uint32Array.from(f.cpu.state.registers);
    software.backUp(f.frame, f.cpu.state, f.code);
    expect([...f.cpu.state.registers]).toEqual([...snapshot]);
  });
});

describe('createRestartStrategy', () => {
  it('makes each strategy by name', () => {
    expect(createRestartStrategy('hardware').name).toBe('hardware');
    expect(createRestartStrategy('software').name).toBe('software');
    expect(createRestartStrategy('none').name).toBe('none');
  });
});

import { describe, expect, it } from 'vitest';
import { AccessKind, type CpuModelName, type RestartVerdict } from '@pagelab/contracts';
import { createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';
import { applyRestart, highestStartPolicy, lowestStartPolicy, refusePolicy, resolveAmbiguity } from './policies.js';
import { createRestartStrategy } from './create.js';
import { faultInstruction, type FaultedInstruction } from '../testing/fault-bench.js';

const hardware = createHardwareStrategy();
const software = createSoftwareStrategy();
const none = createNoRestartStrategy();

/** Every reference of the instruction, faulted in turn on the given model. */
function everyFault(model: CpuModelName, start: number, words: number[]): FaultedInstruction[] {
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

  it('the m68000 model faults it on 7 references, instruction words at prefetch time, stacking the PC below the word fetched', () => {
    const faults = everyFault('m68000', 0x1000, words);
    // [access, address, stacked PC, completed]: the opcode fetch and the refill of IRC (the
    // bench enters the instruction as after a jump); the prefetch of 0x1004 as 0x1002 is
    // consumed, before the source read; the prefetch of 0x1006 (the next opcode) as 0x1004 is
    // consumed, before the store; the final prefetch of 0x1008 after the store.
    expect(faults.map((f) => [f.frame.access, f.frame.address, f.frame.programCounter, f.completed])).toEqual([
      [AccessKind.Fetch, 0x1000, 0x1002, false],
      [AccessKind.Fetch, 0x1002, 0x1002, false],
      [AccessKind.Fetch, 0x1004, 0x1002, false],
      [AccessKind.Read, 0x8106, 0x1002, false],
      [AccessKind.Fetch, 0x1006, 0x1004, false],
      [AccessKind.Write, 0x8002, 0x1006, false],
      [AccessKind.Fetch, 0x1008, 0x1006, true],
    ]);
  });

  it('m68010-hidden fetches each word when it uses it: 5 references, no prefetch past the instruction', () => {
    const faults = everyFault('m68010-hidden', 0x1000, words);
    expect(faults.map((f) => [f.frame.access, f.frame.address])).toEqual([
      [AccessKind.Fetch, 0x1000],
      [AccessKind.Fetch, 0x1002],
      [AccessKind.Read, 0x8106],
      [AccessKind.Fetch, 0x1004],
      [AccessKind.Write, 0x8002],
    ]);
  });

  it('software: each fault after the opcode fetch restarts at 0x1000 (the IR rules out 0x0006, ori.b, at 0x1002), but the final prefetch goes on at 0x1006', () => {
    for (const f of everyFault('m68000', 0x1000, words).slice(1)) {
      expect(f.frame.hidden).toBeNull();
      const v = software.backUp(f.frame, f.cpu.state, f.code);
      if (f.completed) {
        expect(restarted(v)).toMatchObject({ startPc: 0x1006, undo: [] });
        expect(f.resume(0x1006, Uint32Array.from(f.cpu.state.registers)).registers).toEqual(f.expected.registers);
      } else {
        expectUndone(f, v, 0x1000);
      }
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

describe("a frame with only the PC (pc-only): the seeds' premise", () => {
  const words = [0x2169, 0x0006, 0x0002];
  const pcOnlySoftware = createSoftwareStrategy({ cpuModel: 'pc-only' });

  it('faults exactly as m68000 does, each frame the same but for the missing IR', () => {
    const plain = everyFault('m68000', 0x1000, words);
    const bare = everyFault('pc-only', 0x1000, words);
    expect(bare.length).toBe(plain.length);
    bare.forEach((f, i) => {
      expect(f.frame.instructionRegister).toBeNull();
      expect({ ...f.frame, instructionRegister: 0 }).toEqual({ ...plain[i]!.frame, instructionRegister: 0 });
      expect([...f.cpu.state.registers]).toEqual([...plain[i]!.cpu.state.registers]);
    });
  });

  it('the prefetch of 0x1004, PC 0x1002, is ambiguous: MOVE.L at 0x1000 cut short, or an instruction ending at 0x1002 done', () => {
    // The bench's memory below 0x1000 is zero: 0000 0000 decodes as ORI.B #0,D0 ending at 0x1002.
    const f = everyFault('pc-only', 0x1000, words).find((x) => x.frame.access === AccessKind.Fetch && x.frame.address === 0x1004)!;
    expect(f.frame.programCounter).toBe(0x1002);
    const v = pcOnlySoftware.backUp(f.frame, f.cpu.state, f.code);
    if (v.kind !== 'ambiguous') throw new Error(`expected ambiguous, got ${JSON.stringify(v)}`);
    expect(v.candidates.map((c) => c.startPc).sort()).toEqual([0x1000, 0x1002]);
    // With the IR (0x2169) the same fault has one reading.
    const plain = everyFault('m68000', 0x1000, words).find((x) => x.frame.access === AccessKind.Fetch && x.frame.address === 0x1004)!;
    expect(restarted(software.backUp(plain.frame, plain.cpu.state, plain.code)).startPc).toBe(0x1000);
  });

  it('never restarts wrongly: every restarted verdict finishes the instruction as an unfaulted run', () => {
    const samples = [words, [0x2318], [0x38db], [0xd262], [0x48e7, 0xf000], [0x1168, 0x1168, 0x1168, 0x1168, 0x1168]];
    let restarts = 0;
    let ambiguous = 0;
    for (const sample of samples) {
      for (const f of everyFault('pc-only', 0x1000, sample)) {
        const v = pcOnlySoftware.backUp(f.frame, f.cpu.state, f.code);
        if (v.kind === 'ambiguous') {
          ambiguous++;
          const truth = f.completed ? f.expected.pc : 0x1000;
          expect(v.candidates.map((c) => c.startPc)).toContain(truth);
          continue;
        }
        if (v.kind !== 'restarted') continue;
        restarts++;
        const regs = Uint32Array.from(f.cpu.state.registers);
        for (const c of v.undo) regs[c.register] = (regs[c.register]! - c.delta) >>> 0;
        const out = f.resume(v.startPc, regs);
        expect([...out.registers]).toEqual([...f.expected.registers]);
        expect(out.pc).toBe(f.expected.pc);
      }
    }
    expect(restarts).toBeGreaterThan(10);
    expect(ambiguous).toBeGreaterThan(0);
  });
});

describe('auto-increment and auto-decrement', () => {
  // move.l (a0)+,-(a1) at 0x2000: 2318
  const words = [0x2318];

  it('software finds the changes already made and undoes them, agreeing with the hidden record', () => {
    const soft = everyFault('m68000', 0x2000, words);
    const hard = everyFault('m68010-hidden', 0x2000, words);
    expect(soft.length).toBeGreaterThanOrEqual(3);
    soft.forEach((f, i) => {
      if (i === 0 || f.completed) return; // the opcode fetch (IR holds the previous opcode); the final prefetch (nothing to undo)
      const v = restarted(software.backUp(f.frame, f.cpu.state, f.code));
      expectUndone(f, v, 0x2000);
      // The same reference on m68010-hidden, where there is one (it does not prefetch).
      const twin = hard.find((h) => h.frame.access === f.frame.access && h.frame.address === f.frame.address);
      if (twin === undefined) return;
      expect(v.undo).toEqual(restarted(hardware.backUp(twin.frame, twin.cpu.state, twin.code)).undo);
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
  // as the same instruction. Fault the prefetch of the word at 0x1006, made as the word at
  // 0x1004 is consumed (the destination displacement for a start at 0x1000, the source
  // displacement for a start at 0x1002): both stack 0x1004 with IR 0x1168.
  const words = [0x1168, 0x1168, 0x1168, 0x1168, 0x1168];
  const fetchAt1006 = (): FaultedInstruction => {
    const f = everyFault('m68000', 0x1000, words).find((x) => x.frame.access === AccessKind.Fetch && x.frame.address === 0x1006);
    if (f === undefined) throw new Error('no fetch fault at 0x1006');
    return f;
  };

  it('software reports both starts as candidates', () => {
    const f = fetchAt1006();
    expect(f.frame.programCounter).toBe(0x1004);
    const v = software.backUp(f.frame, f.cpu.state, f.code);
    expect(v.kind).toBe('ambiguous');
    if (v.kind !== 'ambiguous') return;
    expect(v.candidates.map((c) => c.startPc).sort()).toEqual([0x1000, 0x1002]);
    for (const c of v.candidates) expect(c.disassembly).toMatch(/^move\.b /);
  });

  it('policies: refuse leaves it ambiguous; lowest-start picks the right one here, highest-start the wrong one', () => {
    const f = fetchAt1006();
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

describe('what the SingleStepTests cases found (src/sst/ambiguity-sst.ts)', () => {
  const models: CpuModelName[] = ['m68000', 'm68010-hidden'];

  it('an address register whose top byte is set: the bus sees 24 bits, and backup still finds the operand', () => {
    // move.l (a0)+,-(a1) with A0 = 0xbd008000, A1 = 0xff008100: the read at 0x008000, then the
    // store to 0x0080fc low word first, as the 68000 writes a long to -(An).
    for (const model of models) {
      const faults = [];
      for (let n = 1; ; n++) {
        const f = faultInstruction(model, 0x1000, [0x2318], n, [0xbd008000, 0xff008100]);
        if (f === null) break;
        faults.push(f);
      }
      const data = faults.filter((f) => f.frame.access !== AccessKind.Fetch);
      expect(data.map((f) => f.frame.address >>> 0)).toEqual([0x008000, 0x0080fe, 0x0080fc]);
      for (const f of data) expectUndone(f, createSoftwareStrategy({ cpuModel: model }).backUp(f.frame, f.cpu.state, f.code), 0x1000);
    }
  });

  it('movep.l reaches every other byte: a fault on its third or fourth byte is found', () => {
    // movep.l 16(a2),d0 (014a 0010): bytes at 0x8210, 0x8212, 0x8214, 0x8216.
    for (const model of models) {
      const strategy = createSoftwareStrategy({ cpuModel: model });
      const reads = everyFault(model, 0x1000, [0x014a, 0x0010]).filter((f) => f.frame.access === AccessKind.Read);
      expect(reads.map((f) => f.frame.address)).toEqual([0x8210, 0x8212, 0x8214, 0x8216]);
      for (const f of reads) expectUndone(f, strategy.backUp(f.frame, f.cpu.state, f.code), 0x1000);
    }
  });

  it('link a6,#-8 after its push: A6 already holds the new frame; its old value comes back from the pushed copy', () => {
    for (const model of models) {
      const strategy = createSoftwareStrategy({ cpuModel: model });
      const faults = everyFault(model, 0x1000, [0x4e56, 0xfff8]).filter((f) => !f.completed);
      const afterPush = faults.filter((f) => f.cpu.state.registers[14] !== f.before[14]);
      expect(afterPush.length, model).toBeGreaterThan(0);
      for (const f of faults) {
        expectUndone(f, strategy.backUp(f.frame, f.cpu.state, f.code), 0x1000);
        // The hidden record holds A6's whole change (more than a byte's worth: 0x8600 - 0x9000 + 4).
        if (model === 'm68010-hidden') expectUndone(f, hardware.backUp(f.frame, f.cpu.state, f.code), 0x1000);
      }
    }
  });

  it('a line-A opcode fills the prefetch queue before it traps: a fault on that fill restarts it, with or without the IR', () => {
    const fill = faultInstruction('m68000', 0x1000, [0xa000], 2)!;
    expect([fill.frame.access, fill.frame.address, fill.frame.programCounter]).toEqual([AccessKind.Fetch, 0x1002, 0x1002]);
    expect(software.backUp(fill.frame, fill.cpu.state, fill.code)).toMatchObject({ kind: 'restarted', startPc: 0x1000, undo: [] });
    const bare = faultInstruction('pc-only', 0x1000, [0xa000], 2)!;
    expect(createSoftwareStrategy({ cpuModel: 'pc-only' }).backUp(bare.frame, bare.cpu.state, bare.code)).toMatchObject({ kind: 'restarted', startPc: 0x1000, undo: [] });
    // With the IR it must be the opcode: another IR rules the reading out.
    expect(software.backUp({ ...fill.frame, instructionRegister: 0xa001 }, fill.cpu.state, fill.code).kind).toBe('unrecoverable');
  });
});

describe('createRestartStrategy', () => {
  it('makes each strategy by name', () => {
    expect(createRestartStrategy('hardware').name).toBe('hardware');
    expect(createRestartStrategy('software').name).toBe('software');
    expect(createRestartStrategy('none').name).toBe('none');
  });
});

import { CpuStopReason, type Bus, type CpuEngine, type CpuModelName } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import { FlatBus } from '../bus/flat-bus.js';
import { loadElfImage } from '../elf/elf-image.js';
import { createHardwareStrategy } from '../restart/simple-strategies.js';
import { createSoftwareStrategy } from '../restart/software.js';
import { fixturePrograms } from '../runner/__fixtures__/fixture-programs.js';
import { restartedRun } from '../runner/__fixtures__/restarted-run.js';
import { FaultInjectingBus } from '../runner/fault-injection.js';
import { runProgram } from '../runner/run-program.js';
import { M68000 } from './cpu.js';
import { endsBlock } from './block-end.js';
import { getDecoderTable } from './decoder.js';
import { sharedRegionSources } from './translator.js';
import { decodeInstruction } from '../disasm/decode.js';

const programs = fixturePrograms();
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const hex = (v: number): string => (v >>> 0).toString(16);

/**
 * Runs a fixture with a seeded share of its memory references faulting, backing each fault up
 * with the model's strategy (hardware on m68010-hidden, software on m68000), and returns the
 * record of every fault, every verdict and the outcome.
 */
function faultedRun(program: (typeof programs)[number], engine: CpuEngine, model: CpuModelName, seed: number) {
  return restartedRun(program, {
    engine,
    model,
    strategy: model === 'm68010-hidden' ? createHardwareStrategy() : createSoftwareStrategy(),
    wrapBus: (flat) => new FaultInjectingBus(flat, seed, 0.01, seed % 2 === 1),
    onStart: (cpu, injector) => injector.attach(cpu),
    onRestart: (_frame, injector) => injector.markInstructionBoundary(),
  });
}

describe('the translator against the interpreter, on the compiled fixtures', () => {
  it('every fixture gives the same output, status, instruction and cycle counts on both engines, and qemu\'s output', () => {
    for (const p of programs) {
      const runs = (['interpret', 'translate'] as const).map((engine) => runProgram(loadElfImage(p.elf, p.name), { model: 'm68000', engine, translateThreshold: 4, stdin: p.stdin }));
      const [interpreted, translated] = runs;
      expect(text(translated!.stdout), p.name).toBe(text(p.expected));
      expect(translated!.status, p.name).toBe(p.status);
      expect({ ...translated!, stdout: 0, stderr: 0 }, p.name).toEqual({ ...interpreted!, stdout: 0, stderr: 0 });
    }
  });

  it('with injected faults, every fault frame, register, verdict and output is the interpreter\'s (both models, both restarts)', () => {
    let faults = 0;
    let blocks = 0;
    for (const p of programs) {
      for (const model of ['m68010-hidden', 'm68000'] as const) {
        for (const seed of [1, 2, 3]) {
          const interpreted = faultedRun(p, 'interpret', model, seed);
          const translated = faultedRun(p, 'translate', model, seed);
          const where = `${p.name} ${model} seed ${seed}`;
          expect(translated.log, where).toEqual(interpreted.log);
          expect(translated.result, where).toEqual(interpreted.result);
          expect(text(translated.result.stdout), where).toBe(text(p.expected));
          expect(interpreted.blocks).toBe(0);
          faults += interpreted.log.length / 2;
          blocks += translated.blocks;
        }
      }
    }
    console.log(`translator vs interpreter with injected faults: ${faults} faults compared, ${blocks} blocks compiled`);
    expect(faults).toBeGreaterThan(1000);
    expect(blocks).toBeGreaterThan(1000);
  });
});

/** A bus that passes every reference to another: not a plain FlatBus, so blocks are recorded as they run. */
class ForwardingBus implements Bus {
  constructor(readonly inner: Bus) {}
  read8(a: number): number {
    return this.inner.read8(a);
  }
  read16(a: number): number {
    return this.inner.read16(a);
  }
  read32(a: number): number {
    return this.inner.read32(a);
  }
  write8(a: number, v: number): void {
    this.inner.write8(a, v);
  }
  write16(a: number, v: number): void {
    this.inner.write16(a, v);
  }
  write32(a: number, v: number): void {
    this.inner.write32(a, v);
  }
  fetch16(a: number): number {
    return this.inner.fetch16(a);
  }
}

/** Maps the page at 0x2000 to physical 0x2000 or 0x3000, as the host chooses. */
class RemappingBus extends ForwardingBus {
  alternate = false;
  private map(a: number): number {
    return this.alternate && (a & ~0xfff) === 0x2000 ? a + 0x1000 : a;
  }
  override read16(a: number): number {
    return this.inner.read16(this.map(a));
  }
  override fetch16(a: number): number {
    return this.inner.fetch16(this.map(a));
  }
}

function load(bus: FlatBus, address: number, words: readonly number[]): void {
  words.forEach((w, i) => bus.write16(address + 2 * i, w));
}

// prettier-ignore
const SUBROUTINE = [
  0x7001,                 // 2000 moveq  #1,d0
  0xd280,                 // 2002 add.l  d0,d1
  0x0681, 0x0000, 0x0010, // 2004 addi.l #$10,d1
  0x4e75,                 // 200a rts
];
// prettier-ignore
const SELF_MODIFYING = [
  0x7200,                 // 1000 moveq  #0,d1
  0x7e13,                 // 1002 moveq  #19,d7
  0x6100, 0x0ffa,         // 1004 bsr.w  $2000
  0x51cf, 0xfffa,         // 1008 dbra   d7,$1004
  0x31fc, 0x7005, 0x2000, // 100c move.w #$7005,$2000.w   first opcode: moveq #5,d0
  0x31fc, 0x9280, 0x2002, // 1012 move.w #$9280,$2002.w   second opcode: sub.l d0,d1
  0x31fc, 0x0020, 0x2008, // 1018 move.w #$0020,$2008.w   addi's immediate: #$20
  0x7e13,                 // 101e moveq  #19,d7
  0x6100, 0x0fde,         // 1020 bsr.w  $2000
  0x51cf, 0xfffa,         // 1024 dbra   d7,$1020
  0x4e40,                 // 1028 trap   #0
];

function runSelfModifying(engine: CpuEngine, forwarding: boolean, translateThreshold: number | null = 4): M68000 {
  const flat = new FlatBus(1 << 16);
  load(flat, 0x1000, SELF_MODIFYING);
  load(flat, 0x2000, SUBROUTINE);
  const cpu = new M68000({ model: 'm68000', bus: forwarding ? new ForwardingBus(flat) : flat, hostTraps: true, engine, ...(translateThreshold === null ? {} : { translateThreshold }) });
  cpu.r[15] = 0x8000;
  cpu.resumeAt(0x1000);
  expect(cpu.run(100_000)).toBe(CpuStopReason.Trap);
  return cpu;
}

describe('code that changes under the translator', () => {
  it.each([
    ['a flat bus', false],
    ['a bus that is not flat (blocks recorded as they run)', true],
  ])('code rewritten at run time is run as rewritten, on %s', (_, forwarding) => {
    const translated = runSelfModifying('translate', forwarding);
    const interpreted = runSelfModifying('interpret', forwarding);
    // 20 calls adding 1 + $10, then 20 calls adding -5 + $20.
    expect(translated.registers[1]).toBe(20 * 17 + 20 * 27);
    expect(translated.blocksCompiled).toBeGreaterThan(0);
    expect([...translated.registers, translated.cycles, translated.instructions, translated.sr]).toEqual([
      ...interpreted.registers,
      interpreted.cycles,
      interpreted.instructions,
      interpreted.sr,
    ]);
  });

  it('a page remapped under translated code runs the code it now maps', () => {
    const flat = new FlatBus(1 << 16);
    // prettier-ignore
    load(flat, 0x1000, [
      0x7e13,         // 1000 moveq #19,d7
      0x6100, 0x0ffc, // 1002 bsr.w $2000
      0xd280,         // 1006 add.l d0,d1
      0x51cf, 0xfff8, // 1008 dbra  d7,$1002
      0x4e40,         // 100c trap  #0
      0x60f0,         // 100e bra.s $1000
    ]);
    load(flat, 0x2000, [0x7001, 0x4e75]); // moveq #1,d0; rts
    load(flat, 0x3000, [0x7007, 0x4e75]); // moveq #7,d0; rts
    const bus = new RemappingBus(flat);
    const cpu = new M68000({ model: 'm68000', bus, hostTraps: true, engine: 'translate', translateThreshold: 4 });
    cpu.r[15] = 0x8000;
    cpu.resumeAt(0x1000);
    expect(cpu.run(100_000)).toBe(CpuStopReason.Trap);
    expect(cpu.registers[1]).toBe(20);
    const compiled = cpu.blocksCompiled;
    expect(compiled).toBeGreaterThan(0);
    bus.alternate = true;
    expect(cpu.run(100_000)).toBe(CpuStopReason.Trap);
    expect(cpu.registers[1]).toBe(20 + 20 * 7);
  });
});

describe('a region entered at any of its blocks', () => {
  // prettier-ignore
  const loop = [
    0x7200,         // 1000 moveq  #0,d1
    0x3e3c, 0x03e7, // 1002 move.w #999,d7
    0x5281,         // 1006 addq.l #1,d1      (the region's entry)
    0x0801, 0x0000, // 1008 btst   #0,d1
    0x6702,         // 100c beq.s  $1010
    0x5482,         // 100e addq.l #2,d2      (a block of the region)
    0x51cf, 0xfff4, // 1010 dbra   d7,$1006   (another)
    0x4e40,         // 1014 trap   #0
  ];
  const run = (engine: CpuEngine, chunk: number) => {
    const bus = new FlatBus(1 << 16);
    load(bus, 0x1000, loop);
    const cpu = new M68000({ model: 'm68000', bus, hostTraps: true, engine, translateThreshold: 4 });
    cpu.r[15] = 0x8000;
    cpu.resumeAt(0x1000);
    const stops: string[] = [];
    for (let reason = cpu.run(chunk); reason !== CpuStopReason.Trap; reason = cpu.run(chunk)) {
      stops.push(JSON.stringify([hex(cpu.pc), [...cpu.registers].map(hex), cpu.sr, cpu.cycles, cpu.instructions]));
    }
    return { cpu, stops };
  };

  it.each([5, 7, 13])('runs that stop every %i instructions, inside the loop, go on in its one region, exactly as the interpreter does', (chunk) => {
    const translated = run('translate', chunk);
    const interpreted = run('interpret', chunk);
    expect(translated.cpu.registers[1]).toBe(1000);
    expect(translated.cpu.registers[2]).toBe(2 * 500);
    expect(translated.stops).toEqual(interpreted.stops);
    expect([...translated.cpu.registers, translated.cpu.cycles, translated.cpu.instructions]).toEqual([...interpreted.cpu.registers, interpreted.cpu.cycles, interpreted.cpu.instructions]);
    // Picked up at 100e or 1010 after each stop, not made a region of their own there.
    expect(translated.cpu.blocksCompiled).toBe(1);
  });
});

describe('a loop with a path it takes rarely', () => {
  // prettier-ignore
  const loop = [
    0x7200,         // 1000 moveq  #0,d1
    0x7632,         // 1002 moveq  #50,d3
    0x3e3c, 0xffff, // 1004 move.w #65535,d7
    0x5281,         // 1008 addq.l #1,d1      (the loop)
    0x5343,         // 100a subq.w #1,d3
    0x6604,         // 100c bne.s  $1012
    0x7632,         // 100e moveq  #50,d3     (once in 50 rounds)
    0x5284,         // 1010 addq.l #1,d4
    0x51cf, 0xfff4, // 1012 dbra   d7,$1008
    0x4e40,         // 1016 trap   #0
  ];
  const run = (engine: CpuEngine, d4: number) => {
    const bus = new FlatBus(1 << 16);
    load(bus, 0x1000, loop);
    const cpu = new M68000({ model: 'm68000', bus, hostTraps: true, engine });
    cpu.r[4] = d4;
    cpu.r[15] = 0x8000;
    cpu.resumeAt(0x1000);
    expect(cpu.run(1_000_000)).toBe(CpuStopReason.Trap);
    return cpu;
  };

  it('is one region with the default threshold, not a second one made when the rare path grows hot', () => {
    const translated = run('translate', 0);
    const interpreted = run('interpret', 0);
    expect(translated.registers[1]).toBe(65536);
    expect(translated.registers[4]).toBe(Math.floor(65536 / 50));
    expect([...translated.registers, translated.cycles, translated.instructions, translated.sr]).toEqual([...interpreted.registers, interpreted.cycles, interpreted.instructions, interpreted.sr]);
    expect(translated.blocksCompiled).toBe(1);
  });

  it('compiled again by another CPU, reuses the same generated function and keeps each CPU\'s own state', () => {
    run('translate', 0);
    const sources = sharedRegionSources();
    const second = run('translate', 1000);
    expect(second.blocksCompiled).toBe(1);
    expect(sharedRegionSources()).toBe(sources);
    expect(second.registers[4]).toBe(1000 + Math.floor(65536 / 50));
    const interpreted = run('interpret', 1000);
    expect([...second.registers, second.cycles]).toEqual([...interpreted.registers, interpreted.cycles]);
  });
});

describe('a loop of as many blocks as a region holds, each with a way out it never takes', () => {
  // prettier-ignore
  const loop = [
    0x7200,         // 1000 moveq  #0,d1
    0x3e3c, 0x03e7, // 1002 move.w #999,d7
    0x5281, 0x651e, // 1006 addq.l #1,d1; bcs.s $1028   (the loop: seven of these blocks,
    0x5281, 0x651a, // 100a                              each leaving for $1028 on a carry)
    0x5281, 0x6516, // 100e
    0x5281, 0x6512, // 1012
    0x5281, 0x650e, // 1016
    0x5281, 0x650a, // 101a
    0x5281, 0x6506, // 101e
    0x51cf, 0xffe2, // 1022 dbra   d7,$1006             (and the eighth)
    0x4e40,         // 1026 trap   #0
    0x4e41,         // 1028 trap   #1                    (never reached)
  ];
  const run = (engine: CpuEngine) => {
    const bus = new FlatBus(1 << 16);
    load(bus, 0x1000, loop);
    const cpu = new M68000({ model: 'm68000', bus, hostTraps: true, engine, translateThreshold: 4 });
    cpu.r[15] = 0x8000;
    cpu.resumeAt(0x1000);
    expect(cpu.run(100_000)).toBe(CpuStopReason.Trap);
    return cpu;
  };

  it('is one region holding the whole loop: its blocks are taken hottest first, not the ways out found first', () => {
    const translated = run('translate');
    const interpreted = run('interpret');
    expect(translated.registers[1]).toBe(7000);
    expect([...translated.registers, translated.cycles, translated.instructions, translated.sr]).toEqual([...interpreted.registers, interpreted.cycles, interpreted.instructions, interpreted.sr]);
    // Taken in the order found, the region would hold the way out and not the DBRA: the DBRA
    // would become a second region, and the two would hand the loop to each other every round.
    expect(translated.blocksCompiled).toBe(1);
  });
});

describe('the translation threshold', () => {
  it('is an integer from 0 to 65535, or the CPU says which value it refused', () => {
    for (const threshold of [-1, 1.5, 65536, Number.NaN]) {
      expect(() => new M68000({ model: 'm68000', bus: new FlatBus(1 << 16), translateThreshold: threshold })).toThrow(`translateThreshold: expected an integer from 0 to 65535, got ${threshold}`);
    }
  });

  it('by default, code run fewer times is left to the interpreter', () => {
    const cpu = runSelfModifying('translate', false, null);
    expect(cpu.blocksCompiled).toBe(0);
  });
});

describe('what ends a block', () => {
  it('exactly the opcodes the disassembler names as flow, traps, SR or USP writes, or invalid end one', () => {
    const table = getDecoderTable();
    const flow = new Set(['jmp', 'jsr', 'rts', 'rtr', 'rte', 'trap', 'trapv', 'chk', 'divu', 'divs', 'stop', 'reset', 'illegal']);
    const differing: string[] = [];
    let enders = 0;
    for (let op = 0; op < 0x10000; op++) {
      const d = decodeInstruction((a) => (a === 0 ? op : 0), 0);
      const special = d.operands.filter((o) => o.kind === 'special').map((o) => (o.kind === 'special' ? o.name : ''));
      const writesSr = d.operands.at(-1)?.kind === 'special' && special.at(-1) === 'sr';
      const expected = !d.valid || d.operands.some((o) => o.kind === 'branch') || flow.has(d.mnemonic) || writesSr || special.includes('usp');
      if (endsBlock(op, table[op]!) !== expected) differing.push(`${hex(op)} ${d.mnemonic}`);
      if (expected) enders++;
    }
    expect(differing).toEqual([]);
    // Bcc/BRA/BSR and lines A and F alone are 3 x 4,096.
    expect(enders).toBeGreaterThan(3 * 4096);
  });
});

import type { CpuEngine } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import { FlatBus } from '../bus/flat-bus.js';
import { decodeInstruction } from '../disasm/decode.js';
import { M68000 } from './cpu.js';
import { handlerFor } from './decoder.js';
import { inlineForm } from './inline-forms.js';
import { cannotFault } from './translator.js';

/** Extension words for the opcode survey: one that makes every displacement even. */
const EXTENSION = 0x1234;
const surveyWord = (address: number): number => (address === 0x1000 ? 0 : EXTENSION);

interface Survey {
  /** Opcodes written out inline that are straight-line. */
  readonly straight: number[];
  /** Those of them with a memory operand. */
  readonly memory: number[];
  /** Branches written out inline. */
  readonly branches: number[];
  /** Opcodes that only touch registers but go through their handlers (ADDX, MULU, ROXL...). */
  readonly interpreted: number[];
}

function survey(): Survey {
  const result: Survey = { straight: [], memory: [], branches: [], interpreted: [] };
  for (let op = 0; op < 0x10000; op++) {
    const decoded = decodeInstruction((a) => (a === 0x1000 ? op : EXTENSION), 0x1000);
    const form = inlineForm(op, 0x1000, (a) => (a === 0x1000 ? op : surveyWord(a)));
    if (form !== null) {
      (form.branches ? result.branches : result.straight).push(op);
      if (decoded.mnemonic !== 'lea' && decoded.operands.some((o) => o.kind === 'ea' && !['dn', 'an', 'imm'].includes(o.ea.mode))) result.memory.push(op);
    } else if (decoded.valid && cannotFault(decoded, handlerFor(op)) && !/^div/.test(decoded.mnemonic)) {
      result.interpreted.push(op);
    }
  }
  return result;
}

const forms = survey();

/** A small deterministic generator (xorshift32), so every failure names a reproducible seed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * A random loop: straight-line register instructions (mostly inline, some through their
 * handlers), a conditional branch back to the start, more instructions, an inline Scc, and a
 * DBcc or BRA back. Random extension words give the immediates.
 */
function randomProgram(seed: number): number[] {
  const next = random(seed);
  const pick = (list: readonly number[]): number => list[next() % list.length]!;
  const words: number[] = [];
  const straight = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const choice = next() % 10;
      const op = choice < 2 ? pick(forms.interpreted) : choice < 5 ? pick(forms.memory) : pick(forms.straight);
      const length = decodeInstruction((a) => (a === 0 ? op : 0), 0).length;
      words.push(op);
      // Extension words are mostly even, so most displacements and absolute addresses are.
      for (let w = 2; w < length; w += 2) words.push(next() & (next() % 4 === 0 ? 0xffff : 0xfffe));
    }
  };
  straight(1 + (next() % 12));
  // Bcc.b back to the start (cc 2..15), displacement from the word after the opcode.
  words.push(0x6000 | ((2 + (next() % 14)) << 8) | ((-(words.length * 2 + 2)) & 0xff));
  straight(1 + (next() % 6));
  words.push(0x50c0 | ((next() % 16) << 8) | (next() % 8)); // Scc Dn
  if (next() % 2 === 0) {
    words.push(0x51c8 | (next() % 8), (-(words.length * 2 + 2)) & 0xffff); // DBF Dn back
  }
  words.push(0x6000 | ((-(words.length * 2 + 2)) & 0xff)); // BRA.b back
  return words;
}

/** 64 KiB of flat memory; `offset` 2 puts it off a four-byte boundary (words compared bytewise). */
function flatMemory(offset: number): FlatBus {
  return new FlatBus(new Uint8Array(new ArrayBuffer((1 << 16) + 4), offset, 1 << 16));
}

const stops = new WeakMap<M68000, number[]>();

function runProgramWords(words: readonly number[], engine: CpuEngine, seed: number, budget: number): M68000 {
  const bus = flatMemory(seed % 2 === 0 ? 0 : 2);
  words.forEach((w, i) => {
    bus.memory[0x1000 + 2 * i] = w >>> 8;
    bus.memory[0x1000 + 2 * i + 1] = w & 0xff;
  });
  const cpu = new M68000({ model: 'm68000', bus, engine, translateThreshold: 2 });
  const next = random(seed * 7919 + 1);
  for (let i = 0; i < 16; i++) cpu.r[i] = next() | 0;
  // Address registers mostly point into a data area, one in forty at an odd address (those
  // references take the address error); memory forms may still write over the code.
  for (let i = 8; i < 15; i++) cpu.r[i] = (0x8000 + (next() & 0x3ffe)) | (next() % 40 === 0 ? 1 : 0);
  cpu.sr = 0x2700 | (next() & 0x1f);
  cpu.resumeAt(0x1000);
  // Several budgets, so runs stop and resume inside and between regions. An address error
  // with a wild supervisor stack may halt the CPU: the engines must agree on that too.
  stops.set(cpu, [budget >> 2, budget >> 3, budget].map((part) => cpu.run(part)));
  return cpu;
}

const state = (cpu: M68000): unknown => ({ stops: stops.get(cpu), registers: [...cpu.registers], sr: cpu.sr, pc: cpu.pc, cycles: cpu.cycles, instructions: cpu.instructions, memory: Buffer.from(cpu.mem).toString('base64') });

describe('inline forms', () => {
  it('cover the register forms a compiler emits, and every one is a valid instruction', () => {
    // Counted over all 65,536 opcode words (branches with this survey's even displacement).
    expect(forms.straight.length).toBeGreaterThan(7000);
    expect(forms.branches.length).toBeGreaterThan(1500);
    for (const op of [...forms.straight, ...forms.branches]) {
      const decoded = decodeInstruction((a) => (a === 0x1000 ? op : EXTENSION), 0x1000);
      expect(decoded.valid, op.toString(16)).toBe(true);
    }
  });

  it('reach memory only through one operand, checking word and long addresses first, and end a run after a write', () => {
    let memoryForms = 0;
    for (const op of forms.straight) {
      const decoded = decodeInstruction((a) => (a === 0x1000 ? op : EXTENSION), 0x1000);
      const form = inlineForm(op, 0x1000, (a) => (a === 0x1000 ? op : surveyWord(a)))!;
      const memory = decoded.operands.flatMap((o) => (o.kind === 'ea' && !['dn', 'an', 'imm'].includes(o.ea.mode) ? [o.ea] : []));
      if (decoded.mnemonic === 'lea' || memory.length === 0) {
        // Registers only (LEA only computes an address): nothing the block may not watch.
        if (decoded.mnemonic !== 'lea') expect(cannotFault(decoded, handlerFor(op)), decoded.mnemonic).toBe(true);
        expect(form.exits ?? false, decoded.mnemonic).toBe(false);
        continue;
      }
      memoryForms++;
      expect(memory, decoded.mnemonic).toHaveLength(1);
      const [operand] = memory;
      expect(form.exits ?? false, `${decoded.mnemonic} ${op.toString(16)}`).toBe(operand!.size !== 1);
      expect(form.writesMemory ?? false, `${decoded.mnemonic} ${op.toString(16)}`).toBe(operand!.access !== 'read');
    }
    expect(memoryForms).toBeGreaterThan(10000);
  });

  it('odd branch targets are left to the handlers (they fault)', () => {
    expect(inlineForm(0x6601, 0x1000, () => 0)).toBeNull(); // bne.s *+3
    expect(inlineForm(0x6600, 0x1000, () => 0x0003)).toBeNull(); // bne.w *+5
    expect(inlineForm(0x51c8, 0x1000, () => 0x0001)).toBeNull(); // dbf d0,*+3
    expect(inlineForm(0x6100, 0x1000, () => 0x0010)).toBeNull(); // bsr.w: a call, never inline
  });

  it('random loops of them leave exactly the interpreter\'s registers, flags, memory, PC, cycles, counts and stops (600 seeds)', () => {
    let translatedSeeds = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const words = randomProgram(seed);
      const translated = runProgramWords(words, 'translate', seed, 4000);
      const interpreted = runProgramWords(words, 'interpret', seed, 4000);
      if (translated.blocksCompiled > 0) translatedSeeds++;
      expect(state(translated), `seed ${seed}: ${words.map((w) => w.toString(16)).join(' ')}`).toEqual(state(interpreted));
    }
    // Some loops take an address error (or write over themselves) before any code is hot.
    expect(translatedSeeds).toBeGreaterThan(300);
  });

  it.each([
    ['aligned memory', 0],
    ['memory off a four-byte boundary', 2],
  ])('a run whose opcode or immediate is rewritten runs as rewritten (%s)', (_, offset) => {
    const run = (engine: CpuEngine): M68000 => {
      const bus = flatMemory(offset);
      // 1000 addi.l #1,d0; 1006 add.l d0,d1; 1008 bra.s 1000
      [0x0680, 0x0000, 0x0001, 0xd280, 0x60f6].forEach((w, i) => {
        bus.memory[0x1000 + 2 * i] = w >>> 8;
        bus.memory[0x1001 + 2 * i] = w & 0xff;
      });
      const cpu = new M68000({ model: 'm68000', bus, engine, translateThreshold: 2 });
      cpu.resumeAt(0x1000);
      cpu.run(3001);
      bus.memory[0x1005] = 5; // the immediate: addi.l #5,d0
      cpu.run(3000);
      bus.memory[0x1006] = 0x92; // sub.l d0,d1
      cpu.run(3000);
      return cpu;
    };
    const translated = run('translate');
    expect(translated.blocksCompiled).toBeGreaterThan(1);
    expect(state(translated)).toEqual(state(run('interpret')));
  });

  it('code rewritten by the loop itself, while its region runs, runs as rewritten', () => {
    const run = (engine: CpuEngine): M68000 => {
      const bus = flatMemory(0);
      // 1000 addi.l #1,d0; 1006 move.w d1,$1004.w (the immediate's low word); 100a addq.l #1,d1; 100c bra.s 1000
      [0x0680, 0x0000, 0x0001, 0x31c1, 0x1004, 0x5281, 0x60f2].forEach((w, i) => {
        bus.memory[0x1000 + 2 * i] = w >>> 8;
        bus.memory[0x1001 + 2 * i] = w & 0xff;
      });
      const cpu = new M68000({ model: 'm68000', bus, engine, translateThreshold: 2 });
      cpu.resumeAt(0x1000);
      cpu.run(4000);
      return cpu;
    };
    const translated = run('translate');
    expect(translated.blocksCompiled).toBeGreaterThan(0);
    // d0 sums 1, then 0, 1, 2, ... as each round writes d1 into the next round's immediate.
    expect(translated.registers[0]).toBe(1 + (999 * 998) / 2);
    expect(state(translated)).toEqual(state(run('interpret')));
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PagelabError, Protection, type IoStrategyName, type RestartStrategyName } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import type { ProgramImage } from './program-image.js';
import type { RunReport, System } from './system.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A small fixed-seed generator (mulberry32): the fuzz cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const textBase = 0x1000;
const dataBase = 0x8000;
/** Register values that make wild pointers and lengths likely: edges of the address space, of the data page, of 2^31 and 2^32. */
const interesting = [0, 1, 2, 3, 4, 5, 6, 19, 45, 247, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_ffff, dataBase, dataBase + 0xfff, 0x00ff_fff0, 0x0100_0000, textBase, 0x10];

/**
 * A program of random instruction words: a prologue loads every register but A7 with
 * interesting or random values (MOVE.L/MOVEA.L #imm), then the words, with system calls
 * (MOVEQ #n,D0; TRAP #0) sprinkled in so wild arguments reach the kernel. `bytes` mode is
 * plain garbage instead (odd lengths, no structure at all).
 */
function randomImage(next: () => number, mode: 'words' | 'bytes'): ProgramImage {
  const words: number[] = [];
  const pick = () => (next() < 0.6 ? interesting[Math.floor(next() * interesting.length)]! : Math.floor(next() * 2 ** 32));
  for (let r = 0; r < 15; r++) {
    const value = pick();
    // MOVE.L #imm,Dn is 0x203C | n << 9; MOVEA.L #imm,An is 0x207C | n << 9.
    words.push((r < 8 ? 0x203c : 0x207c) | ((r & 7) << 9), value >>> 16, value & 0xffff);
  }
  // System calls first, each with freshly loaded wild arguments, so every program reaches the kernel.
  for (let call = 0; call < 6; call++) {
    for (let r = 1; r <= 3; r++) {
      const value = pick();
      words.push(0x203c | (r << 9), value >>> 16, value & 0xffff);
    }
    words.push(0x7000 | [3, 4, 5, 6, 19, 45, 3, 4][Math.floor(next() * 8)]!, 0x4e40);
  }
  const body: number[] = [];
  for (let i = 0; i < 400; i++) {
    const roll = next();
    if (roll < 0.05) body.push(0x7000 | [1, 3, 4, 5, 6, 19, 45, 247][Math.floor(next() * 8)]!, 0x4e40);
    else body.push(Math.floor(next() * 0x10000));
  }
  const prologue = new Uint8Array(words.flatMap((w) => [w >>> 8, w & 0xff]));
  const tail = mode === 'words' ? new Uint8Array(body.flatMap((w) => [w >>> 8, w & 0xff])) : Uint8Array.from({ length: 1 + Math.floor(next() * 900) }, () => Math.floor(next() * 256));
  const text = new Uint8Array(prologue.length + tail.length);
  text.set(prologue);
  text.set(tail, prologue.length);
  return {
    entry: textBase,
    segments: [
      { address: textBase, bytes: text, memorySize: text.length, protection: Protection.ReadExecute },
      { address: dataBase, bytes: Uint8Array.from({ length: 64 }, () => Math.floor(next() * 256)), memorySize: 0x2000, protection: Protection.ReadWrite },
    ],
  };
}

const strategies: readonly { restart: RestartStrategyName; io: IoStrategyName }[] = [
  { restart: 'hardware', io: 'pin' },
  { restart: 'software', io: 'bounce' },
  { restart: 'hardware', io: 'hybrid' },
  { restart: 'none', io: 'unprotected' },
];
const maxCycles = 400_000;
const timeSlice = 400;

function fuzzSystem(index: number): System {
  const { restart, io } = strategies[index % strategies.length]!;
  const system = createSystem({ frames: 14, restart, io, bounceFrames: 3, timeSlice, swapSlots: 24, seed: index, lockQuota: { perAddressSpace: 3 } });
  system.addFile('/data', Uint8Array.from({ length: 9000 }, (_, i) => i & 0xff));
  return system;
}

/** What must hold after any run, whatever the programs did. */
function expectSound(system: System, report: RunReport): void {
  expect(['all-ended', 'max-cycles']).toContain(report.ended);
  // No run outlives its bound by more than one time slice of the slowest instructions.
  expect(report.statistics.simulatedCycles).toBeLessThan(maxCycles + timeSlice * 200 + 100_000);
  for (const p of report.processes) {
    expect(['exited', 'killed', 'running']).toContain(p.status);
    if (p.status === 'killed') expect(p.killed!.startsWith(`${p.signal!}: `)).toBe(true);
  }
  expect(report.pins.acquired).toBe(report.pins.released);
  const audit = system.frames.audit(system.clock.now, { longLockLimit: 0, isLiveAddressSpace: () => false });
  expect(audit.outstanding).toBe(0);
}

describe('hostile-program fuzz (fixed seed, bounded): no stack trace, no hang, every pin released', () => {
  it('random instruction words and garbage bytes, four programs per system, every strategy', () => {
    const next = random(0x5eed);
    const signals = new Map<string, number>();
    let runs = 0;
    for (let index = 0; index < 48; index++) {
      const system = fuzzSystem(index);
      for (let p = 0; p < 4; p++) system.spawnImage(`fuzz-${index}-${p}`, randomImage(next, p % 2 === 0 ? 'words' : 'bytes'), p % 3);
      const report = system.run({ maxCycles });
      expectSound(system, report);
      for (const p of report.processes) signals.set(p.signal ?? p.status, (signals.get(p.signal ?? p.status) ?? 0) + 1);
      runs++;
    }
    expect(runs).toBe(48);
    // The fuzz reached the kernel's paths: illegal opcodes, privileged ones, bad addresses, arithmetic traps.
    for (const signal of ['SIGILL', 'SIGSEGV', 'SIGBUS']) expect(signals.get(signal) ?? 0).toBeGreaterThan(0);
  });

  it('the hostile programs and the compiled fixtures, mutated byte by byte: a typed load error or a sound run', () => {
    const next = random(0xe1f);
    const sources = [
      ...readdirSync(join(fixtures, 'hostile', 'bin')).filter((f) => f.endsWith('.elf')).map((f) => join(fixtures, 'hostile', 'bin', f)),
      ...readdirSync(join(fixtures, 'bin')).filter((f) => f.endsWith('.elf')).map((f) => join(fixtures, 'bin', f)),
    ];
    expect(sources.length).toBeGreaterThanOrEqual(28);
    let refused = 0;
    let ran = 0;
    for (let index = 0; index < 120; index++) {
      const elf = new Uint8Array(readFileSync(sources[index % sources.length]!));
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips; f++) {
        // Half the flips land in the headers (first 256 bytes), where the loader must refuse cleanly.
        const at = next() < 0.5 ? Math.floor(next() * Math.min(256, elf.length)) : Math.floor(next() * elf.length);
        elf[at] = Math.floor(next() * 256);
      }
      const system = fuzzSystem(index);
      try {
        system.spawnProgram({ name: `mutant-${index}`, executable: elf, stdin: new Uint8Array(100) });
      } catch (error) {
        // A broken executable is the user's mistake: a typed one-line error, never a crash.
        expect(error).toBeInstanceOf(PagelabError);
        expect((error as Error).message).not.toContain('\n');
        refused++;
        continue;
      }
      expectSound(system, system.run({ maxCycles }));
      ran++;
    }
    expect(refused + ran).toBe(120);
    expect(ran).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

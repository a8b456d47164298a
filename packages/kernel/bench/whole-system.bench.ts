/**
 * Whole-system speed: 68000 instructions per second of host time for a compiled program
 * running on the full simulated machine (MMU, pager, DMA, I/O strategy, restart strategy),
 * with and without memory pressure. Run: pnpm --filter @pagelab/kernel bench
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpu, FlatBus, loadElfImage } from '@pagelab/cpu-m68k';
import { CpuStopReason } from '@pagelab/contracts';
import { createSystem } from '../src/create-system.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const elf = readFileSync(join(fixtures, 'bin', 'readsum.elf'));

/** Deterministic text, as fixtures/make-input.mjs writes it, at any size. */
function input(size: number): Uint8Array {
  const words = ['page', 'frame', 'fault', 'pin', 'bounce', 'dma', 'burst', 'victim', 'clock', 'swap', 'kernel', 'buffer', 'restart', 'backup', 'lock'];
  const out = new Uint8Array(size);
  let state = 12345;
  let at = 0;
  let column = 0;
  while (at < size) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const word = words[(state >>> 16) % words.length]!;
    for (let i = 0; i < word.length && at < size; i++) out[at++] = word.charCodeAt(i);
    column += word.length + 1;
    if (at < size) out[at++] = column > 60 ? 10 : 32;
    if (column > 60) column = 0;
  }
  return out;
}

const stdin = input(1 << 20);

/** The same program on a flat bus with the system calls served directly: the CPU alone. */
function flat(): { instructions: number; seconds: number } {
  const image = loadElfImage(elf, 'readsum.elf');
  const bus = new FlatBus(1 << 24);
  for (const s of image.segments) bus.load(s.address, s.bytes);
  const cpu = createCpu({ model: 'm68000', bus, hostTraps: true });
  cpu.state.sr = 0;
  cpu.state.registers[15] = 0xfff000;
  cpu.resumeAt(image.entry);
  let position = 0;
  const started = performance.now();
  for (;;) {
    const reason = cpu.run(1_000_000);
    if (reason !== CpuStopReason.Trap) continue;
    const r = cpu.state.registers;
    if (r[0] === 1 || r[0] === 247) break;
    if (r[0] === 3) {
      const n = Math.min(r[3]!, stdin.length - position);
      for (let i = 0; i < n; i++) bus.write8(r[2]! + i, stdin[position + i]!);
      position += n;
      r[0] = n;
    } else {
      r[0] = r[3]!;
    }
  }
  return { instructions: cpu.instructions, seconds: (performance.now() - started) / 1000 };
}

function whole(frames: number, hog: boolean): { instructions: number; seconds: number; faults: number; restarts: number } {
  const system = createSystem({ frames, io: 'pin', restart: 'hardware', policy: 'clock', bounceFrames: 4, timeSlice: 20_000 });
  system.spawnProgram({ name: 'readsum', executable: elf, stdin, priority: 1 });
  if (hog) system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 24, references: 200_000 }, priority: 5 });
  const report = system.run();
  const program = report.processes[0]!;
  if (program.exitCode !== 0) throw new Error(`readsum failed: ${program.killed ?? program.exitCode}`);
  return { instructions: report.statistics.instructions - (hog ? 200_000 : 0), seconds: report.hostMilliseconds / 1000, faults: report.statistics.pageFaults, restarts: report.statistics.restarts };
}

const best = <T extends { instructions: number; seconds: number }>(f: () => T, runs = 3): T & { rate: number } => {
  let top: (T & { rate: number }) | null = null;
  for (let i = 0; i < runs; i++) {
    const result = f();
    const rate = result.instructions / result.seconds / 1e6;
    if (top === null || rate > top.rate) top = { ...result, rate };
  }
  return top!;
};

const a = best(flat);
console.log(`flat bus, CPU alone          ${a.rate.toFixed(1)} M instructions/s (${a.instructions} instructions)`);
const b = best(() => whole(256, false));
console.log(`whole system, 256 frames     ${b.rate.toFixed(1)} M instructions/s (${(100 * b.rate / a.rate).toFixed(0)}% of flat; ${b.faults} faults, ${b.restarts} restarts)`);
const c = best(() => whole(14, true));
console.log(`whole system, 14 frames+hog  ${c.rate.toFixed(1)} M instructions/s (${(100 * c.rate / a.rate).toFixed(0)}% of flat; ${c.faults} faults, ${c.restarts} restarts)`);

/**
 * CPU throughput on compute-bound programs on a flat bus, translator (default) or interpreter
 * (`--interpret`):
 *  - a bitwise CRC-32 over a 4 KiB buffer, hand-assembled 68000 code;
 *  - the compiled fixtures (gcc -m68000 -O2, `fixtures/out/*.elf`), each loaded once and re-run
 *    from its entry with a fresh data segment and stack, over and over, for `seconds` each
 *    after a warm-up; write/exit system calls are served minimally and the output is checked
 *    against qemu's (`*.expected`, `*.exit`).
 * Run (from the repository root):
 *   node --conditions=pagelab-source --import tsx packages/cpu-m68k/bench/cpu.bench.ts [seconds] [program...]
 * or `pnpm --filter @pagelab/cpu-m68k bench [seconds] [program...]`. `program` is `crc-loop` or a
 * fixture name (default: all of crc-loop sort crc32 recurse strings movem).
 * Prints M instructions/s per program (over the whole time, and in its best ~1 s window: the
 * machine may be shared), and the aggregate of the compiled ones (total instructions over
 * total time). Each re-run costs a copy of the image's few KiB, not a fresh 16 MiB process as
 * `runProgram` would.
 */
import { readFileSync } from 'node:fs';
import type { CpuEngine } from '@pagelab/contracts';
import { fileURLToPath } from 'node:url';
import { FlatBus } from '../src/bus/flat-bus.js';
import { M68000 } from '../src/core/cpu.js';
import { copyImage } from '../src/elf/copy-image.js';
import { loadElfImage, type ElfImage } from '../src/elf/elf-image.js';

const CODE = 0x1000;
const BUFFER = 0x10000;
const LENGTH = 4096;
const POLY = 0xedb88320;

// prettier-ignore
const program = [
  0x7000,                   // 1000 moveq   #0,d0
  0x223c, 0x0000, LENGTH,   // 1002 move.l  #LENGTH,d1
  0x283c, 0xedb8, 0x8320,   // 1008 move.l  #$EDB88320,d4
  0x41f9, 0x0001, 0x0000,   // 100e lea     BUFFER,a0
  0x1418,                   // 1014 loop: move.b (a0)+,d2
  0xb500,                   // 1016 eor.b   d2,d0
  0x7607,                   // 1018 moveq   #7,d3
  0xe288,                   // 101a bit:  lsr.l #1,d0
  0x6402,                   // 101c bcc.s   skip
  0xb980,                   // 101e eor.l   d4,d0
  0x51cb, 0xfff8,           // 1020 skip: dbra d3,bit
  0x5381,                   // 1024 subq.l  #1,d1
  0x66ec,                   // 1026 bne.s   loop
  0x4e40,                   // 1028 trap    #0
];

function referenceCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ POLY : crc >>> 1;
  }
  return crc >>> 0;
}

function crcLoop(seconds: number): void {
  const bus = new FlatBus(0x1000000);
  program.forEach((word, i) => bus.write16(CODE + 2 * i, word));
  const data = new Uint8Array(LENGTH);
  for (let i = 0; i < LENGTH; i++) data[i] = (i * 131 + 7) & 0xff;
  bus.load(BUFFER, data);
  const cpu = new M68000({ model: 'm68000', bus, hostTraps: true, engine });
  cpu.sr = 0x2700;
  cpu.r[15] = 0x8000;

  const runPass = (): void => {
    cpu.resumeAt(CODE);
    const reason = cpu.run(1e9);
    if (reason !== 1) throw new Error(`pass ended with stop reason ${reason}`);
  };
  runPass();
  const expected = referenceCrc(data);
  if (cpu.registers[0] !== expected) {
    throw new Error(`CRC mismatch: 68000 ${cpu.registers[0]!.toString(16)}, reference ${expected.toString(16)}`);
  }
  // Warm up, then measure.
  for (let i = 0; i < 20; i++) runPass();
  const startInstructions = cpu.instructions;
  const startCycles = cpu.cycles;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    runPass();
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const executed = cpu.instructions - startInstructions;
  const mips = executed / elapsed / 1e6;
  const emulatedMhz = (cpu.cycles - startCycles) / elapsed / 1e6;
  console.log(
    `crc32 loop: ${executed} instructions in ${elapsed.toFixed(2)} s = ${mips.toFixed(1)} M instructions/s ` +
      `(${emulatedMhz.toFixed(0)} MHz of 68000 cycles)`,
  );
}

/** `--interpret` measures the interpreter; the default is the translator. */
const engine: CpuEngine = process.argv.includes('--interpret') ? 'interpret' : 'translate';

const FIXTURES = fileURLToPath(new URL('../fixtures/out/', import.meta.url));
const COMPILED = ['sort', 'crc32', 'recurse', 'strings', 'movem'];
const MEMORY_SIZE = 0x100_0000;
const STACK_TOP = MEMORY_SIZE - 0x1000;
const SUPERVISOR_STACK = 0x0c00;
const STUBS = 0x0400;

interface Measured {
  readonly instructions: number;
  readonly seconds: number;
  /** The best window's rate, instructions per second. */
  readonly best: number;
}

/** A fixture loaded into its own flat memory, re-runnable from the entry. */
class CompiledRun {
  readonly bus = new FlatBus(MEMORY_SIZE);
  readonly cpu: M68000;
  private readonly image: ElfImage;
  private output: number[] = [];

  constructor(file: Uint8Array, name: string) {
    this.image = loadElfImage(file, name);
    // Every exception vector points at a `stop #0x2700` stub: taking one ends the run (an error).
    this.bus.write32(0, SUPERVISOR_STACK);
    for (let v = 1; v < 64; v++) {
      this.bus.write32(v * 4, STUBS + v * 4);
      this.bus.write32(STUBS + v * 4, 0x4e722700);
    }
    this.cpu = new M68000({ model: 'm68000', bus: this.bus, hostTraps: true, hostFaults: true, engine });
  }

  /** Runs the program once from its entry; returns its exit status and stdout. */
  runOnce(): { status: number; stdout: string } {
    const cpu = this.cpu;
    const m = this.bus.memory;
    copyImage(this.image, m);
    // argc = 1, argv = {NULL}, envp = {NULL}, AT_NULL: enough for the fixtures' start-up.
    const sp = STACK_TOP - 24;
    m.fill(0, sp, STACK_TOP);
    this.bus.write32(sp, 1);
    cpu.registers.fill(0);
    cpu.ssp = SUPERVISOR_STACK;
    cpu.sr = 0;
    cpu.r[15] = sp;
    cpu.usp = sp;
    cpu.resumeAt(this.image.entry);
    this.output = [];
    for (;;) {
      const reason = cpu.run(100_000_000);
      if (reason !== 1) throw new Error(`stopped with reason ${reason} at pc ${cpu.pc.toString(16)}`);
      if (cpu.lastTrap !== 0) throw new Error(`unexpected trap #${cpu.lastTrap}`);
      const regs = cpu.registers;
      const call = regs[0]!;
      if (call === 1 || call === 247) return { status: regs[1]! & 0xff, stdout: Buffer.from(this.output).toString('latin1') };
      if (call === 4) {
        for (let i = 0; i < regs[3]!; i++) this.output.push(m[regs[2]! + i]!);
        regs[0] = regs[3]!;
      } else if (call === 3) {
        regs[0] = 0; // empty stdin
      } else {
        regs[0] = -38 >>> 0;
      }
    }
  }
}

function compiled(name: string, seconds: number): Measured {
  const run = new CompiledRun(readFileSync(`${FIXTURES}${name}.elf`), name);
  const expected = readFileSync(`${FIXTURES}${name}.expected`, 'latin1');
  const expectedStatus = Number(readFileSync(`${FIXTURES}${name}.exit`, 'utf8').trim());
  const first = run.runOnce();
  if (first.stdout !== expected || first.status !== expectedStatus) {
    throw new Error(`${name}: output or exit status differs from qemu's (status ${first.status})`);
  }
  const perRun = run.cpu.instructions;
  const warmUntil = process.hrtime.bigint() + 300_000_000n;
  while (process.hrtime.bigint() < warmUntil) run.runOnce();
  // Measured in windows of about a second: the whole-time rate, and the best window's (the
  // machine may be shared; the best window is the least disturbed).
  const startInstructions = run.cpu.instructions;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  let runs = 0;
  let best = 0;
  let windowStart = start;
  let windowInstructions = startInstructions;
  while (elapsed < seconds) {
    run.runOnce();
    runs++;
    const now = process.hrtime.bigint();
    elapsed = Number(now - start) / 1e9;
    const windowSeconds = Number(now - windowStart) / 1e9;
    if (windowSeconds >= Math.min(1, seconds) || elapsed >= seconds) {
      best = Math.max(best, (run.cpu.instructions - windowInstructions) / windowSeconds);
      windowStart = now;
      windowInstructions = run.cpu.instructions;
    }
  }
  const executed = run.cpu.instructions - startInstructions;
  console.log(
    `${name.padEnd(8)}: ${runs} runs x ${perRun} instructions in ${elapsed.toFixed(2)} s = ` +
      `${(executed / elapsed / 1e6).toFixed(1)} M instructions/s (best 1 s window ${(best / 1e6).toFixed(1)})` +
      (engine === 'translate' ? `, ${run.cpu.blocksCompiled} regions translated` : ''),
  );
  return { instructions: executed, seconds: elapsed, best };
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--interpret');
  const seconds = args.length > 0 && /^[0-9.]+$/.test(args[0]!) ? Number(args.shift()) : 3;
  const programs = args.length > 0 ? args : ['crc-loop', ...COMPILED];
  console.log(`node --conditions=pagelab-source --import tsx packages/cpu-m68k/bench/cpu.bench.ts ${seconds} ${programs.join(' ')}${engine === 'interpret' ? ' --interpret' : ''}`);
  let instructions = 0;
  let time = 0;
  let bestTime = 0;
  let count = 0;
  for (const name of programs) {
    if (name === 'crc-loop') {
      crcLoop(seconds);
      continue;
    }
    const m = compiled(name, seconds);
    instructions += m.instructions;
    time += m.seconds;
    // The time the same instructions would take at each program's best-window rate.
    bestTime += m.instructions / m.best;
    count++;
  }
  if (count > 0) {
    console.log(
      `compiled aggregate (${count} programs): ${(instructions / time / 1e6).toFixed(1)} M instructions/s ` +
        `(from best windows ${(instructions / bestTime / 1e6).toFixed(1)})`,
    );
  }
}

main();

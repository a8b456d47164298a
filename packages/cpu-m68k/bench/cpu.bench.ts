/**
 * Interpreter throughput on a compute-bound program: a bitwise CRC-32 over a 4 KiB buffer,
 * hand-assembled 68000 code on a flat bus. Run:
 *   node --conditions=pagelab-source --import tsx packages/cpu-m68k/bench/cpu.bench.ts [seconds]
 * Prints instructions per second (and checks the CRC against a JavaScript reference).
 */
import { FlatBus } from '../src/bus/flat-bus.js';
import { M68000 } from '../src/core/cpu.js';

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

function main(): void {
  const seconds = Number(process.argv[2] ?? 3);
  const bus = new FlatBus(0x1000000);
  program.forEach((word, i) => bus.write16(CODE + 2 * i, word));
  const data = new Uint8Array(LENGTH);
  for (let i = 0; i < LENGTH; i++) data[i] = (i * 131 + 7) & 0xff;
  bus.load(BUFFER, data);
  const cpu = new M68000({ model: 'm68000', bus, hostTraps: true });
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

main();

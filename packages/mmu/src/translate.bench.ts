/**
 * Translation throughput: the MMU's translate fast path and the Bus the CPU runs through.
 * Run: pnpm --filter @pagelab/mmu bench
 */
import { AccessKind, Protection } from '@pagelab/contracts';
import { createMmu, createPhysicalMemory } from './index.js';

const FRAMES = 256;
const mmu = createMmu({ frameCount: FRAMES, pageSize: 4096, tlbEntries: 64, tlbWays: 4 });
const memory = createPhysicalMemory(FRAMES, 4096);
const space = mmu.createAddressSpace();
for (let page = 0; page < FRAMES; page++) mmu.map(space, page, FRAMES - 1 - page, Protection.All);
const bus = mmu.busFor(space, memory);

/**
 * Runs `body` for `n` iterations, best of five, and prints operations per second of this
 * process's CPU time (user + system), not wall time: on a shared machine the wall clock also
 * counts the time other work held the core.
 */
function measure(label: string, n: number, body: (n: number) => number): void {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    sink += body(n);
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    best = Math.min(best, seconds);
  }
  console.log(`${label.padEnd(44)} ${(n / best / 1e6).toFixed(1).padStart(7)} M/s  (checksum ${sink & 0xffff})`);
}

const N = 20_000_000;
// A working set of 16 pages fits the 64-entry TLB: nearly every translation is a hit.
measure('translate, TLB-resident (16 pages)', N, (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += mmu.translate(space, ((i * 2654435761) >>> 0) & 0xfffc, AccessKind.Read);
  return sum;
});
measure('bus.read16, TLB-resident (16 pages)', N, (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += bus.read16(((i * 2654435761) >>> 0) & 0xfffe);
  return sum;
});
measure('bus.fetch16, sequential code', N, (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += bus.fetch16((i << 1) & 0x3fffe);
  return sum;
});
measure('bus.write32 + read32, TLB-resident', N / 2, (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const address = ((i * 2654435761) >>> 0) & 0xfffc;
    bus.write32(address, i);
    sum += bus.read32(address);
  }
  return sum;
});
// 256 pages spread at random: most translations miss and walk the page table.
measure('translate, 256 random pages (mostly misses)', N / 4, (n) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += mmu.translate(space, ((i * 2654435761) >>> 0) & 0xffffc, AccessKind.Read);
  return sum;
});
const stats = mmu.tlbStats;
console.log(`TLB: ${stats.hits} hits, ${stats.misses} misses, ${stats.flushes} flushes`);

import { readFileSync } from 'node:fs';
import { createSystem } from '@pagelab/kernel';
const elf = readFileSync('fixtures/bin/readsum.elf');
const stdin = new Uint8Array(1 << 20).fill(97);
for (let i = 0; i < 100; i++) stdin[i * 97] = 10;
const frames = Number(process.argv[2] ?? 256); const runs = Number(process.argv[3] ?? 8);
const engine = (process.argv[4] ?? 'translate') as 'translate';
const t0 = performance.now();
for (let r = 0; r < runs; r++) {
  const system = createSystem({ frames, io: 'pin', restart: 'hardware', policy: 'clock', bounceFrames: 4, timeSlice: 20_000, cpuEngine: engine, ...(process.env.BURST ? { costs: { dmaBurstBytes: Number(process.env.BURST) } } : {}) });
  system.spawnProgram({ name: 'readsum', executable: elf, stdin, priority: 1 });
  const s = performance.now();
  const report = system.run();
  console.log(`run ${r} at ${(s - t0).toFixed(0)}ms: ${report.hostMilliseconds.toFixed(1)} ms, ${(report.statistics.instructions / report.hostMilliseconds / 1e3).toFixed(1)} M/s`);
}

/**
 * Whole-system speed: 68000 instructions per second of host time for a compiled program
 * running on the full simulated machine (MMU, pager, DMA, I/O strategy, restart strategy),
 * with and without memory pressure. Run: pnpm --filter @pagelab/kernel bench
 *
 * It runs the built packages, as the `pagelab` bin does (turbo builds them first): from source,
 * tsx's transform wraps every closure the kernel makes on its hot paths (a DMA burst's event,
 * a kernel-page scope) in a naming call that built code does not have.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpu, FlatBus, loadElfImage } from '@pagelab/cpu-m68k';
import { createMmu } from '@pagelab/mmu';
import { CpuStopReason, Protection, type Bus, type CpuEngine } from '@pagelab/contracts';
import { createSystem } from '@pagelab/kernel';

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
/** The CPU engine a child process measures (its second argument). */
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const engine: CpuEngine = positional[1] === 'interpret' ? 'interpret' : 'translate';

/**
 * The bytes a read system call delivers, written as a kernel would: a page at a time where
 * the bus has a page window, so the harness's own copying is not what the table measures.
 */
function copyIn(bus: Bus, address: number, bytes: Uint8Array): void {
  const window = bus.pages;
  let done = 0;
  while (done < bytes.length) {
    const at = address + done;
    const physical = window === undefined ? -1 : window.writeAt(at);
    if (physical < 0) {
      bus.write8(at, bytes[done]!);
      done++;
      continue;
    }
    const n = Math.min(bytes.length - done, window!.pageSize - (at & (window!.pageSize - 1)));
    window!.bytes.set(bytes.subarray(done, done + n), physical);
    done += n;
  }
}

/** Runs readsum on `bus` with the system calls served directly (no kernel): the CPU and its bus alone. */
function direct(bus: Bus, load: (address: number, bytes: Uint8Array) => void): { instructions: number; seconds: number } {
  const image = loadElfImage(elf, 'readsum.elf');
  for (const s of image.segments) load(s.address, s.bytes);
  const cpu = createCpu({ model: 'm68000', bus, hostTraps: true, engine });
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
      copyIn(bus, r[2]!, stdin.subarray(position, position + n));
      position += n;
      r[0] = n;
    } else {
      r[0] = r[3]!;
    }
  }
  return { instructions: cpu.instructions, seconds: (performance.now() - started) / 1000 };
}

/** The same program on a flat bus: the CPU alone. */
function flat(): { instructions: number; seconds: number } {
  const bus = new FlatBus(1 << 24);
  return direct(bus, (address, bytes) => bus.load(address, bytes));
}

/** Through a page table and TLB, every page mapped up front (no faults): the CPU plus translation. */
function paged(): { instructions: number; seconds: number } {
  const pageSize = 4096;
  const frameCount = 4096;
  const mmu = createMmu({ frameCount, pageSize, addressWidth: 24, tlbEntries: 64, tlbWays: 4 });
  const memory = { bytes: new Uint8Array(frameCount * pageSize), frameCount, pageSize };
  const space = mmu.createAddressSpace();
  mmu.reserve(space, 0, frameCount, Protection.All);
  for (let page = 0; page < frameCount; page++) mmu.map(space, page, page, Protection.All);
  return direct(mmu.busFor(space, memory), (address, bytes) => memory.bytes.set(bytes, address));
}

function whole(frames: number, hog: boolean): { instructions: number; seconds: number; faults: number; restarts: number } {
  const system = createSystem({ frames, io: 'pin', restart: 'hardware', policy: 'clock', bounceFrames: 4, timeSlice: 20_000, cpuEngine: engine });
  system.spawnProgram({ name: 'readsum', executable: elf, stdin, priority: 1 });
  if (hog) system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 24, references: 200_000 }, priority: 5 });
  const report = system.run();
  const program = report.processes[0]!;
  if (program.exitCode !== 0) throw new Error(`readsum failed: ${program.killed ?? program.exitCode}`);
  return { instructions: report.statistics.instructions - (hog ? 200_000 : 0), seconds: report.hostMilliseconds / 1000, faults: report.statistics.pageFaults, restarts: report.statistics.restarts };
}

/**
 * Runs `f` three times in one process: the first run is a user's (V8 compiles everything as
 * it goes), the best of the three what a long-lived process reaches.
 */
const measure = <T extends { instructions: number; seconds: number }>(f: () => T, runs = 3): T & { first: number; rate: number } => {
  let top: (T & { rate: number }) | null = null;
  let first = 0;
  for (let i = 0; i < runs; i++) {
    const result = f();
    const rate = result.instructions / result.seconds / 1e6;
    if (i === 0) first = rate;
    if (top === null || rate > top.rate) top = { ...result, rate };
  }
  return { ...top!, first };
};

type Measured = { instructions: number; seconds: number; faults?: number; restarts?: number };
const configurations: Record<string, () => Measured> = {
  flat,
  paged,
  'whole-256': () => whole(256, false),
  'whole-scarce': () => whole(10, false),
};
const labels: Record<string, string> = {
  flat: 'flat bus, CPU alone',
  paged: 'page-table bus, all resident',
  'whole-256': 'whole system, 256 frames',
  'whole-scarce': 'whole system, 10 frames (paging)',
};

const only = positional[0];
if (only !== undefined) {
  if (!(only in configurations)) throw new RangeError(`unknown configuration '${only}': expected one of ${Object.keys(configurations).join(', ')}`);
  // One configuration per process, so each gets monomorphic call sites (the CPU sees one bus class).
  const result = measure(configurations[only]!);
  process.stdout.write(JSON.stringify(result));
} else {
  // This machine kind's speed drifts by half from one second to the next, so the
  // configurations are measured in interleaved rounds (each in its own process) and every
  // cell is a median over the rounds, against flat's median of the same kind.
  const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds: expected a positive integer, got ${rounds}`);
  const self = fileURLToPath(import.meta.url);
  console.log(`command: pnpm --filter @pagelab/kernel bench -- --rounds=${rounds}  (readsum.elf over 1 MiB of input; each configuration and engine in its own process, 3 runs in it; medians of ${rounds} interleaved rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const names = Object.keys(configurations);
  const engines = ['interpret', 'translate'] as const;
  const rates = new Map<string, { first: number[]; best: number[] }>();
  const extras = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      for (const measured of engines) {
        const out = execFileSync(process.execPath, [...process.execArgv, self, name, measured], { encoding: 'utf8' });
        const r = JSON.parse(out) as Measured & { first: number; rate: number };
        const key = `${name} ${measured}`;
        const seen = rates.get(key) ?? { first: [], best: [] };
        rates.set(key, { first: [...seen.first, r.first], best: [...seen.best, r.rate] });
        extras.set(name, r.faults === undefined ? '-' : `${r.faults}, ${r.restarts}`);
      }
    }
  }
  const median = (values: readonly number[]): number => {
    const all = [...values].sort((a, b) => a - b);
    const middle = all.length >> 1;
    return all.length % 2 === 1 ? all[middle]! : (all[middle - 1]! + all[middle]!) / 2;
  };
  console.log('| configuration | interpreter M/s, first run (% of flat) / best of 3 (%) | translator M/s, first run (%) / best of 3 (%) | faults, restarts |');
  console.log('|---|---|---|---|');
  for (const name of names) {
    const cells = engines.map((measured) => {
      const own = rates.get(`${name} ${measured}`)!;
      const flat = rates.get(`flat ${measured}`)!;
      const cell = (kind: 'first' | 'best'): string => `${median(own[kind]).toFixed(1)} (${((100 * median(own[kind])) / median(flat[kind])).toFixed(0)}%)`;
      return `${cell('first')} / ${cell('best')}`;
    });
    console.log(`| ${labels[name]} | ${cells.join(' | ')} | ${extras.get(name)} |`);
  }
}

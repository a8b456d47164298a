import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IoStrategyName, RestartStrategyName } from '@pagelab/contracts';
import { M68000 } from '@pagelab/cpu-m68k';
import { createSystem } from './create-system.js';

const here = dirname(fileURLToPath(import.meta.url));
const kernelFixtures = join(here, '..', 'fixtures');
const cpuFixtures = join(here, '..', '..', 'cpu-m68k', 'fixtures');

interface Program {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly stdin: Uint8Array;
  readonly expected: string;
  readonly exit: number;
}

/**
 * The programs these tests must find: the kernel's own fixtures and the CPU's. Fixtures are
 * committed, so a missing one is a broken checkout, not a reason to run fewer cases.
 */
const requiredKernelPrograms = ['filecopy', 'readsum', 'syscalls'];
const requiredCpuPrograms = ['crc32', 'divide', 'movem', 'numsort', 'recurse', 'sort', 'strings', 'switch', 'wc'];

/** Every compiled program with qemu-m68k's output (`NAME.expected`) in `dir`; each needs its `.elf` and `.exit` beside it. */
function programsIn(dir: string, stdinFor: (name: string) => Uint8Array): Program[] {
  if (!existsSync(dir)) throw new Error(`fixture directory ${dir} is missing`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.expected'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.expected'.length);
      const elf = join(dir, `${name}.elf`);
      const exitFile = join(dir, `${name}.exit`);
      for (const needed of [elf, exitFile]) if (!existsSync(needed)) throw new Error(`${join(dir, file)} has no ${needed} beside it`);
      return {
        name,
        elf: readFileSync(elf),
        stdin: stdinFor(name),
        expected: readFileSync(join(dir, file), 'utf8'),
        exit: Number(readFileSync(exitFile, 'utf8').trim()),
      };
    });
}

/** The compiled programs with qemu-m68k's output: the kernel's own and the CPU's fixtures. */
function programs(): Program[] {
  const input = readFileSync(join(kernelFixtures, 'input.txt'));
  const cpuInput = join(cpuFixtures, 'input');
  return [
    ...programsIn(join(kernelFixtures, 'bin'), () => input),
    ...programsIn(join(cpuFixtures, 'out'), (name) => {
      const stdinFile = join(cpuInput, `${name}.txt`);
      return existsSync(stdinFile) ? readFileSync(stdinFile) : new Uint8Array(0);
    }),
  ];
}

const found = programs();

/** One of the programs by name (the guard below proves the required ones are all there). */
function fixture(name: string): Program {
  const p = found.find((candidate) => candidate.name === name);
  if (p === undefined) throw new Error(`compiled program ${name} not found among the fixtures`);
  return p;
}

const restarts: RestartStrategyName[] = ['hardware', 'software'];
const ios: IoStrategyName[] = ['pin', 'bounce', 'hybrid'];

/** Scarce frames and a high-priority process faulting beside the program, so faults land inside instructions and during transfers. */
function run(
  program: Program,
  restart: RestartStrategyName,
  io: IoStrategyName | 'unprotected',
  cpuEngine: 'translate' | 'interpret' = 'translate',
  events?: unknown[],
  cpus: M68000[] = [],
) {
  const system = createSystem(
    {
    cpuEngine,
    frames: 14,
    policy: 'clock',
    scope: 'global',
    io,
    restart,
    ambiguity: 'refuse',
    bounceFrames: 4,
    timeSlice: 500,
    lockQuota: { perAddressSpace: 6 },
    costs: { swapLatency: 8000, diskPerByte: 16 },
    },
    {
      createCpu: (options) => {
        const cpu = new M68000({ ...options, translateThreshold: 4 });
        cpus.push(cpu);
        return cpu;
      },
    },
  );
  system.spawnProgram({ name: program.name, executable: program.elf, priority: 1, stdin: program.stdin });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 24, references: 20_000, writeFraction: 0.3 }, priority: 5 });
  if (events !== undefined) system.log.listen((event) => events.push(event));
  const report = system.run();
  // At rest every pin taken (DMA, page-in, kernel) has been released: no lock bit left on.
  const pins = system.frames.pinStats;
  expect(pins.acquired).toBe(pins.released);
  expect(system.frames.audit(system.clock.now, { longLockLimit: 0, isLiveAddressSpace: () => false }).orphaned).toEqual([]);
  return report;
}

describe('the translator and the interpreter', () => {
  it('give the same report and the same event log, event by event, for every fixture under both restarts', () => {
    let events = 0;
    let translatedRegions = 0;
    for (const program of found) {
      for (const restart of restarts) {
        const logs: unknown[][] = [[], []];
        const cpus: M68000[] = [];
        const [translated, interpreted] = (['translate', 'interpret'] as const).map((engine, i) => run(program, restart, 'pin', engine, logs[i], cpus));
        translatedRegions += cpus.reduce((sum, cpu) => sum + cpu.blocksCompiled, 0);
        const where = `${program.name}, ${restart} restart`;
        expect({ ...translated!, hostMilliseconds: 0 }, where).toEqual({ ...interpreted!, hostMilliseconds: 0 });
        expect(logs[0], where).toEqual(logs[1]);
        expect(translated!.processes[0]!.stdout, where).toBe(program.expected);
        events += logs[0]!.length;
      }
    }
    // Faults mid-instruction and restarts are what could tell the engines apart: there must be many.
    expect(events).toBeGreaterThan(10_000);
    // And the translator did translate: code ran from compiled blocks, not only the interpreter.
    expect(translatedRegions).toBeGreaterThan(100);
  });
});

describe('the compiled fixtures', () => {
  it('are all there, each with an exit status', () => {
    const names = found.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([...requiredKernelPrograms, ...requiredCpuPrograms]));
    expect(new Set(names).size).toBe(names.length);
    for (const p of found) expect(Number.isInteger(p.exit), `${p.name}.exit`).toBe(true);
  });
});

describe('compiled programs on the whole system equal qemu-m68k, under every safe combination', () => {
  // Continue resumes the m68010-continuation model's instructions from their long frames.
  for (const program of found) {
    for (const restart of [...restarts, 'continue'] as const) {
      for (const io of ios) {
        it(`${program.name}: restart ${restart}, io ${io}`, () => {
          const report = run(program, restart, io);
          const p = report.processes[0]!;
          expect(p.killed).toBeNull();
          expect(p.stdout).toBe(program.expected);
          expect(p.exitCode).toBe(program.exit);
          expect(report.statistics.corruptionEvents).toBe(0);
          expect(report.restarts.restarted).toBeGreaterThan(0);
        });
      }
    }
  }
});

describe('the same pressure without protection', () => {
  it('is caught by the ground truth: corruption events, and readsum prints the wrong summary', () => {
    const readsum = fixture('readsum');
    const report = run(readsum, 'hardware', 'unprotected');
    expect(report.statistics.corruptionEvents).toBeGreaterThan(0);
    expect(report.processes[0]!.stdout).not.toBe(readsum.expected);
  });
});

describe('files written by a program', () => {
  it('can be read back from the system after the run, grown, truncated and appended as the program asked', () => {
    const filecopy = fixture('filecopy');
    const system = createSystem({ frames: 32, io: 'bounce', restart: 'hardware' });
    system.addFile('/tmp/pagelab-filecopy.out', new TextEncoder().encode('stale contents that O_TRUNC must remove'));
    system.spawnProgram({ name: 'filecopy', executable: filecopy.elf, stdin: filecopy.stdin });
    expect(system.run().processes[0]!.stdout).toBe(filecopy.expected);
    const text = new TextDecoder().decode(system.fileContents('/tmp/pagelab-filecopy.out'));
    expect(text).toHaveLength(3016);
    expect(text.startsWith(new TextDecoder().decode(filecopy.stdin.subarray(0, 3000)).toUpperCase())).toBe(true);
    expect(text.endsWith('\n-- appended --\n')).toBe(true);
    expect(system.fileContents('/no/such/file')).toBeNull();
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RestartStrategyName } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import type { RunReport } from './system.js';

const here = dirname(fileURLToPath(import.meta.url));
const cpuFixtures = join(here, '..', '..', 'cpu-m68k', 'fixtures');
const kernelFixtures = join(here, '..', 'fixtures');

/** A compiled program with qemu-m68k's output and exit status beside it (committed: a missing one fails). */
interface Program {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly stdin: Uint8Array;
  readonly expected: string;
  readonly exit: number;
}

function program(dir: string, name: string, stdinFile: string | null): Program {
  for (const ext of ['elf', 'expected', 'exit']) {
    const path = join(dir, `${name}.${ext}`);
    if (!existsSync(path)) throw new Error(`fixture ${path} is missing`);
  }
  return {
    name,
    elf: readFileSync(join(dir, `${name}.elf`)),
    stdin: stdinFile === null ? new Uint8Array(0) : readFileSync(stdinFile),
    expected: readFileSync(join(dir, `${name}.expected`), 'utf8'),
    exit: Number(readFileSync(join(dir, `${name}.exit`), 'utf8').trim()),
  };
}

/** The nine compiled programs of the CPU's fixtures that have qemu's output, each with its own standard input. */
const nine = ['crc32', 'divide', 'movem', 'numsort', 'recurse', 'sort', 'strings', 'switch', 'wc'].map((name) => {
  const input = join(cpuFixtures, 'input', `${name}.txt`);
  return program(join(cpuFixtures, 'out'), name, existsSync(input) ? input : null);
});

/** The nine together in 14 frames: 1 wired for the kernel and 4 for the bounce pool leave 9 for processes. */
function runNine(restart: RestartStrategyName, loadControl: unknown): RunReport {
  const system = createSystem({ frames: 14, kernelFrames: 1, bounceFrames: 4, policy: 'clock', scope: 'global', io: 'pin', restart, loadControl });
  for (const p of nine) system.spawnProgram({ name: p.name, executable: p.elf, stdin: p.stdin });
  const report = system.run();
  const pins = system.frames.pinStats;
  expect(pins.acquired).toBe(pins.released);
  return report;
}

/** Every program ended as qemu-m68k says it does: same output, same exit status, not killed. */
function expectQemuResults(report: RunReport): void {
  expect(report.ended).toBe('all-ended');
  report.processes.forEach((p, i) => {
    const want = nine[i]!;
    expect(p.name).toBe(want.name);
    expect(p.killed, want.name).toBeNull();
    expect(p.stdout, want.name).toBe(want.expected);
    expect(p.exitCode, want.name).toBe(want.exit);
  });
}

describe('load control: the nine compiled programs together in 14 frames (issue 13, item 7)', () => {
  for (const restart of ['hardware', 'software'] as const) {
    it(`complete with qemu's output and exit status under ${restart} restart with load control on`, () => {
      const report = runNine(restart, 'on');
      expectQemuResults(report);
      // Load control did the work: it suspended processes, and their pages went to the others through the pager.
      expect(report.loadControl.suspensions).toBeGreaterThan(0);
      expect(report.loadControl.resumes).toBeGreaterThan(0);
      expect(report.loadControl.pagesSwappedOut).toBeGreaterThan(0);
      expect(report.loadControl.suspendedCycles).toBeGreaterThan(0);
      expect(report.statistics.corruptionEvents).toBe(0);
    });

    it(`thrash until the livelock guard kills them under ${restart} restart without it`, () => {
      const report = runNine(restart, 'off');
      const killed = report.processes.filter((p) => p.killed !== null);
      expect(killed.length).toBeGreaterThan(4);
      for (const p of killed) expect(p.killed).toMatch(/^SIGKILL: (livelock: 256 page faults|out of memory: )/);
      expect(report.loadControl).toEqual({ suspensions: 0, resumes: 0, pagesSwappedOut: 0, suspendedCycles: 0 });
    });
  }

  it('complete under the page-fault-frequency rule too', () => {
    const report = runNine('hardware', { rule: 'pff' });
    expectQemuResults(report);
    expect(report.loadControl.suspensions).toBeGreaterThan(0);
  });

  it('give the same report on every run (a function of the configuration and seed)', () => {
    const strip = (r: RunReport) => JSON.stringify({ ...r, hostMilliseconds: 0 });
    expect(strip(runNine('software', 'on'))).toBe(strip(runNine('software', 'on')));
  });
});

describe('load control with fresh-page locks', () => {
  it('takes a suspended process\'s fresh-page locks away, so the frames go to the active ones', () => {
    // 10 frames, 8 for processes. Without giving up the locks, suspended processes keep the pages
    // they had just faulted in pinned until a dispatch that does not come, and three programs
    // livelock beside them.
    const system = createSystem({ frames: 10, kernelFrames: 1, bounceFrames: 1, restart: 'hardware', lockFreshPages: true, loadControl: { rule: 'pff' } });
    for (const p of nine) system.spawnProgram({ name: p.name, executable: p.elf, stdin: p.stdin });
    const report = system.run({ maxCycles: 1e9 });
    expectQemuResults(report);
    expect(report.loadControl.suspensions).toBeGreaterThan(0);
    expect(system.frames.pinStats.acquired).toBe(system.frames.pinStats.released);
  });
});

describe('load control: a fault that finds every frame pinned', () => {
  it('waits for a pin to go and makes the reference again, where it used to kill', () => {
    // 3 frames for processes: three processes' first page-ins pin all three, then the fourth faults.
    const run = (loadControl: string) => {
      const system = createSystem({ frames: 5, kernelFrames: 1, bounceFrames: 1, loadControl });
      for (let i = 0; i < 4; i++) system.spawnSynthetic({ name: `p${i}`, spec: { pattern: 'loop', pages: 1, references: 50 } });
      return system.run();
    };
    const off = run('off');
    expect(off.processes[3]!.killed).toMatch(/^SIGKILL: out of memory: .*no evictable frame/);
    const on = run('on');
    expect(on.processes.map((p) => p.status)).toEqual(['exited', 'exited', 'exited', 'exited']);
    // Every reference made exactly once: the one that waited is not counted twice, nor lost.
    expect(on.statistics.instructions).toBe(4 * 50);
    expect(on.statistics.pageFaults).toBe(4);
  });
});

describe('load control: the one remaining kill', () => {
  it('kills only a process that cannot run even alone in the frames there are, and lets the other finish', () => {
    const [sort, crc32] = [nine.find((p) => p.name === 'sort')!, nine.find((p) => p.name === 'crc32')!];
    // 4 frames, 1 for the kernel and 1 for the bounce pool: 2 for processes. crc32 runs in 2; sort needs 3 at once.
    const system = createSystem({ frames: 4, kernelFrames: 1, bounceFrames: 1, loadControl: 'on' });
    system.spawnProgram({ name: 'sort', executable: sort.elf });
    system.spawnProgram({ name: 'crc32', executable: crc32.elf });
    const report = system.run();
    expect(report.processes[0]!.killed).toBe(
      'SIGKILL: cannot run even alone: 256 page faults without completing an instruction with every other process suspended (2 frames for processes)',
    );
    expect(report.processes[1]!.killed).toBeNull();
    expect(report.processes[1]!.stdout).toBe(crc32.expected);
    expect(report.processes[1]!.exitCode).toBe(crc32.exit);
    expect(report.loadControl.suspensions).toBeGreaterThan(0);
  });
});

describe('load control: pins are honoured', () => {
  it('leaves a process reading by DMA alone: no corruption, and its output is qemu-m68k\'s', () => {
    const readsum = program(join(kernelFixtures, 'bin'), 'readsum', join(kernelFixtures, 'input.txt'));
    for (const io of ['pin', 'bounce'] as const) {
      const system = createSystem({ frames: 14, kernelFrames: 1, bounceFrames: 4, io, loadControl: 'on', costs: { swapLatency: 8000, diskPerByte: 16 } });
      system.spawnProgram({ name: 'readsum', executable: readsum.elf, stdin: readsum.stdin, priority: 1 });
      for (const p of nine.slice(0, 4)) system.spawnProgram({ name: p.name, executable: p.elf, stdin: p.stdin, priority: 1 });
      const report = system.run();
      expect(report.statistics.corruptionEvents, io).toBe(0);
      expect(report.processes[0]!.stdout, io).toBe(readsum.expected);
      expect(report.processes[0]!.exitCode, io).toBe(readsum.exit);
      report.processes.slice(1).forEach((p, i) => expect(p.stdout, `${io} ${p.name}`).toBe(nine[i]!.expected));
      expect(report.loadControl.suspensions, io).toBeGreaterThan(0);
      expect(system.frames.pinStats.acquired).toBe(system.frames.pinStats.released);
    }
  });
});

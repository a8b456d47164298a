import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IoStrategyName } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import type { RunReport, System } from './system.js';

const here = dirname(fileURLToPath(import.meta.url));
const kernelBin = join(here, '..', 'fixtures', 'bin');
const cpuOut = join(here, '..', '..', 'cpu-m68k', 'fixtures', 'out');
const readsum = readFileSync(join(kernelBin, 'readsum.elf'));
const input = readFileSync(join(here, '..', 'fixtures', 'input.txt'));

/** readsum reading its input through `io` from a slow disk, beside a faulting hog: transfers are in flight most of the time. */
function readsumSystem(io: IoStrategyName, extra: Record<string, unknown> = {}): System {
  const system = createSystem({ frames: 20, io, restart: 'hardware', bounceFrames: 4, timeSlice: 300, costs: { diskPerByte: 40 }, ...extra });
  system.spawnProgram({ name: 'readsum', executable: readsum, stdin: input, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 30, references: 50_000, writeFraction: 0.3 }, priority: 2 });
  return system;
}

/** Everything but host time, which is not part of the simulation. */
const simulated = (report: RunReport) => ({ ...report, hostMilliseconds: 0 });

/** The leak audit after a run: every pin released, none orphaned. */
function expectNoPinsHeld(system: System, report: RunReport): void {
  expect(report.pins.acquired).toBe(report.pins.released);
  const audit = system.frames.audit(system.clock.now, { longLockLimit: 0, isLiveAddressSpace: () => false });
  expect(audit.outstanding).toBe(0);
  expect(audit.orphaned).toEqual([]);
}

describe('a bounded run (issue 8 item 14)', () => {
  for (const io of ['pin', 'bounce', 'hybrid', 'unprotected'] as const) {
    it(`stops at maxCycles with a DMA transfer in flight, cancels it and releases its pins (${io})`, () => {
      // Step a first system until a transfer is in flight (and, for pin, its pins held) ...
      const probe = readsumSystem(io);
      let steps = 0;
      while (probe.dma.busyChannels === 0 || (io === 'pin' && probe.frames.pinStats.acquired === probe.frames.pinStats.released)) {
        expect(probe.advance({ rounds: 1 })).toBeNull();
        if (++steps > 100_000) throw new Error('no transfer was ever in flight');
      }
      const deadline = probe.clock.now - 1;
      // ... then bound an identical one there: the run stops at exactly that point.
      const system = readsumSystem(io);
      const report = system.run({ maxCycles: deadline });
      expect(report.ended).toBe('max-cycles');
      expect(report.statistics.simulatedCycles).toBe(probe.clock.now);
      expect(report.processes.map((p) => p.status)).toEqual(['running', 'running']);
      expect(report.processes.map((p) => p.killed)).toEqual([null, null]);
      expectNoPinsHeld(system, report);
    });
  }

  it('reports a process still running with its output so far (a prefix of the whole)', () => {
    const divide = readFileSync(join(cpuOut, 'divide.elf'));
    const expected = readFileSync(join(cpuOut, 'divide.expected'), 'utf8');
    const whole = createSystem({ frames: 16 });
    whole.spawnProgram({ name: 'divide', executable: divide });
    const total = whole.run().statistics.simulatedCycles;
    const partial: string[] = [];
    for (let tenth = 1; tenth < 10; tenth++) {
      const system = createSystem({ frames: 16 });
      system.spawnProgram({ name: 'divide', executable: divide });
      const report = system.run({ maxCycles: Math.floor((total * tenth) / 10) });
      const p = report.processes[0]!;
      expect(report.ended).toBe('max-cycles');
      expect(p.status).toBe('running');
      expect(p.exitCode).toBeNull();
      expect(expected.startsWith(p.stdout)).toBe(true);
      if (p.stdout.length > 0 && p.stdout.length < expected.length) partial.push(p.stdout);
      expectNoPinsHeld(system, report);
    }
    // divide prints 600 bytes through a 256-byte buffer: some bound falls between its flushes.
    expect(partial.length).toBeGreaterThan(0);
  });

  it('takes the bound from the configuration (system.maxCycles) when run() is given none', () => {
    const system = readsumSystem('pin', { maxCycles: 300_000 });
    const report = system.run();
    expect(report.ended).toBe('max-cycles');
    expect(report.statistics.simulatedCycles).toBeGreaterThan(300_000);
    expect(report.statistics.simulatedCycles).toBeLessThan(400_000);
  });

  it('stops when interrupted (Ctrl-C), with a report like a bounded run', () => {
    const system = readsumSystem('bounce');
    let asked = 0;
    const report = system.run({ interrupted: () => ++asked > 3 });
    expect(report.ended).toBe('interrupted');
    expect(report.processes.every((p) => p.status === 'running')).toBe(true);
    expectNoPinsHeld(system, report);
  });

  it('is the same run whether it is run at once or stepped', () => {
    const once = readsumSystem('hybrid').run();
    const stepped = readsumSystem('hybrid');
    let ended = null;
    while ((ended = stepped.advance({ rounds: 7 })) === null);
    expect(simulated(stepped.finish(ended))).toEqual(simulated(once));
    expect(once.ended).toBe('all-ended');
    expect(once.processes.map((p) => p.status)).toEqual(['exited', 'exited']);
  });
});

describe('a full swap area (issue 8 item 17)', () => {
  it('kills the process with the largest footprint, as Linux\'s OOM killer does, and the others finish', () => {
    const system = createSystem({ frames: 10, swapSlots: 12, timeSlice: 100 });
    system.spawnSynthetic({ name: 'writer', spec: { pattern: 'sequential', pages: 40, references: 4_000, writeFraction: 1 } });
    system.spawnSynthetic({ name: 'small', spec: { pattern: 'loop', pages: 2, references: 4_000 } });
    system.spawnProgram({ name: 'readsum', executable: readsum, stdin: input });
    const report = system.run();
    const [writer, small, sum] = report.processes;
    expect(writer!.status).toBe('killed');
    expect(writer!.signal).toBe('SIGKILL');
    expect(writer!.killed).toMatch(/^SIGKILL: out of memory: swap full: all 12 slots.*the OOM killer chose it \(13 pages touched\)$/);
    expect(small!.status).toBe('exited');
    expect(sum!.stdout).toBe(readFileSync(join(kernelBin, 'readsum.expected'), 'utf8'));
    expectNoPinsHeld(system, report);
  });

  it('kills the faulting process when it is the largest, without aborting the run', () => {
    const system = createSystem({ frames: 8, swapSlots: 3 });
    system.spawnSynthetic({ name: 'writer', spec: { pattern: 'random', pages: 30, references: 3_000, writeFraction: 1 } });
    const report = system.run();
    expect(report.ended).toBe('all-ended');
    expect(report.processes[0]!.killed).toMatch(/^SIGKILL: out of memory: swap full: all 3 slots.*, the faulting process\)$/);
    expectNoPinsHeld(system, report);
  });
});

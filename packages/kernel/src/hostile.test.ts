import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IoStrategyName, RestartStrategyName } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import { signalNumber, type LinuxSignal } from './signals.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const hostileSource = join(fixtures, 'hostile', 'src');
const hostileBin = join(fixtures, 'hostile', 'bin');

/**
 * What each hostile program must earn, and whose word that is. `qemu`: qemu-m68k's recorded
 * run (it hands the exception to Linux's rules: exit status 128 + signal) must agree, output
 * included. `linux`: qemu is no oracle for it (it does not model 68000 address errors, and
 * qemu 7.2 itself aborts or crashes on MOVE/ANDI/ORI/EORI to SR in user mode), so the rule is
 * Linux/m68k's `trap_c`: a privilege violation is SIGILL, an address error SIGBUS.
 */
const expectations: Readonly<Record<string, { readonly signal: LinuxSignal; readonly oracle: 'qemu' | 'linux' }>> = {
  illegal: { signal: 'SIGILL', oracle: 'qemu' },
  'line-a': { signal: 'SIGILL', oracle: 'qemu' },
  'line-f': { signal: 'SIGILL', oracle: 'qemu' },
  'move-to-sr': { signal: 'SIGILL', oracle: 'linux' },
  'andi-sr': { signal: 'SIGILL', oracle: 'linux' },
  'ori-sr': { signal: 'SIGILL', oracle: 'linux' },
  'eori-sr': { signal: 'SIGILL', oracle: 'linux' },
  stop: { signal: 'SIGILL', oracle: 'qemu' },
  rte: { signal: 'SIGILL', oracle: 'qemu' },
  'move-to-usp': { signal: 'SIGILL', oracle: 'qemu' },
  'move-from-usp': { signal: 'SIGILL', oracle: 'qemu' },
  reset: { signal: 'SIGILL', oracle: 'qemu' },
  'divide-by-zero': { signal: 'SIGFPE', oracle: 'qemu' },
  chk: { signal: 'SIGFPE', oracle: 'qemu' },
  trapv: { signal: 'SIGFPE', oracle: 'qemu' },
  'trap-1': { signal: 'SIGILL', oracle: 'qemu' },
  'trap-15': { signal: 'SIGTRAP', oracle: 'qemu' },
  'unmapped-read': { signal: 'SIGSEGV', oracle: 'qemu' },
  'write-text': { signal: 'SIGSEGV', oracle: 'qemu' },
  'jump-unmapped': { signal: 'SIGSEGV', oracle: 'qemu' },
  'odd-read': { signal: 'SIGBUS', oracle: 'linux' },
  'odd-jump': { signal: 'SIGBUS', oracle: 'linux' },
  'own-vectors-rte': { signal: 'SIGILL', oracle: 'qemu' },
  'own-vectors-stop': { signal: 'SIGILL', oracle: 'qemu' },
};

interface Hostile {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly qemuStatus: number;
  readonly qemuOutput: string;
}

function hostilePrograms(): Hostile[] {
  const sources = readdirSync(hostileSource).filter((f) => f.endsWith('.S')).map((f) => f.slice(0, -2)).sort();
  return sources.map((name) => ({
    name,
    elf: readFileSync(join(hostileBin, `${name}.elf`)),
    qemuStatus: Number(readFileSync(join(hostileBin, `${name}.exit`), 'utf8').trim()),
    qemuOutput: readFileSync(join(hostileBin, `${name}.expected`), 'utf8'),
  }));
}

const programs = hostilePrograms();
const maxCycles = 2_000_000;

const configurations: readonly { restart: RestartStrategyName; io: IoStrategyName }[] = [
  { restart: 'hardware', io: 'pin' },
  { restart: 'software', io: 'bounce' },
];

function runAlone(program: Hostile, restart: RestartStrategyName, io: IoStrategyName) {
  const system = createSystem({ frames: 12, restart, io, bounceFrames: 2 });
  system.spawnProgram({ name: program.name, executable: program.elf });
  const report = system.run({ maxCycles });
  const audit = system.frames.audit(system.clock.now, { longLockLimit: 0, isLiveAddressSpace: () => false });
  return { system, report, audit };
}

describe('hostile programs are killed with Linux signals and never reach supervisor mode', () => {
  it('every program built has an expectation, and every expectation a program (none silently missing)', () => {
    expect(programs.map((p) => p.name)).toEqual(Object.keys(expectations).sort());
    expect(programs.length).toBe(24);
  });

  for (const program of programs) {
    const expected = expectations[program.name]!;
    for (const { restart, io } of configurations) {
      it(`${program.name} (${restart}, ${io}): ${expected.signal}, oracle ${expected.oracle}`, () => {
        const { report, audit } = runAlone(program, restart, io);
        const p = report.processes[0]!;
        expect(report.ended).toBe('all-ended');
        expect(p.status).toBe('killed');
        expect(p.signal).toBe(expected.signal);
        expect(p.killed!.startsWith(`${expected.signal}: `)).toBe(true);
        expect(p.exitCode).toBeNull();
        // Killed at the hostile instruction: nothing after it ran, no user handler ran.
        expect(p.stdout).toBe('before\n');
        expect(report.statistics.simulatedCycles).toBeLessThan(maxCycles);
        expect(report.pins.acquired).toBe(report.pins.released);
        expect(audit.outstanding).toBe(0);
        if (expected.oracle === 'qemu') {
          expect(program.qemuStatus).toBe(128 + signalNumber[expected.signal]);
          expect(p.stdout).toBe(program.qemuOutput);
        }
      });
    }
  }

  it('the own-vectors attack: the program\'s page 0 table is never used (its handler would print)', () => {
    for (const name of ['own-vectors-rte', 'own-vectors-stop']) {
      const program = programs.find((p) => p.name === name)!;
      const { report } = runAlone(program, 'hardware', 'pin');
      expect(report.processes[0]!.stdout).not.toContain('supervisor');
      expect(report.processes[0]!.signal).toBe('SIGILL');
    }
  });

  it('a hostile program beside a correct one costs the correct one nothing', () => {
    const readsum = {
      elf: readFileSync(join(fixtures, 'bin', 'readsum.elf')),
      expected: readFileSync(join(fixtures, 'bin', 'readsum.expected'), 'utf8'),
    };
    const system = createSystem({ frames: 48, restart: 'hardware', io: 'pin', timeSlice: 300 });
    system.spawnProgram({ name: 'readsum', executable: readsum.elf, stdin: readFileSync(join(fixtures, 'input.txt')) });
    for (const program of programs) system.spawnProgram({ name: program.name, executable: program.elf });
    const report = system.run({ maxCycles: 500_000_000 });
    expect(report.ended).toBe('all-ended');
    expect(report.processes[0]!.stdout).toBe(readsum.expected);
    expect(report.processes[0]!.status).toBe('exited');
    for (const p of report.processes.slice(1)) expect(`${p.name}: ${p.signal}`, p.killed ?? "").toBe(`${p.name}: ${expectations[p.name]!.signal}`);
    expect(report.pins.acquired).toBe(report.pins.released);
  });
});

describe('system calls with wild pointers (issue 8 item 12)', () => {
  it('return -EFAULT as qemu-m68k does, and a program running beside loses nothing', () => {
    const load = (name: string) => ({
      elf: readFileSync(join(fixtures, 'bin', `${name}.elf`)),
      expected: readFileSync(join(fixtures, 'bin', `${name}.expected`), 'utf8'),
    });
    const wild = load('wildptr');
    const readsum = load('readsum');
    const input = readFileSync(join(fixtures, 'input.txt'));
    expect(wild.expected).toContain('open((char *)-1, 0) -> -14');
    for (const io of ['pin', 'bounce', 'hybrid', 'unprotected'] as const) {
      const system = createSystem({ frames: 24, restart: 'hardware', io, timeSlice: 200 });
      system.spawnProgram({ name: 'wildptr', executable: wild.elf, stdin: input });
      system.spawnProgram({ name: 'readsum', executable: readsum.elf, stdin: input });
      const report = system.run();
      expect(report.processes.map((p) => p.stdout)).toEqual([wild.expected, readsum.expected]);
      expect(report.processes.map((p) => p.status)).toEqual(['exited', 'exited']);
      expect(report.pins.acquired).toBe(report.pins.released);
    }
  });
});

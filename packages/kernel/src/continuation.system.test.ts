import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RestartStrategy, SystemEvent } from '@pagelab/contracts';
import { createContinueStrategy } from '@pagelab/cpu-m68k';
import { createSystem } from './create-system.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cpu-m68k', 'fixtures', 'out');
const program = (name: string): { elf: Uint8Array; expected: string } => ({
  elf: readFileSync(join(out, `${name}.elf`)),
  expected: readFileSync(join(out, `${name}.expected`), 'latin1'),
});

/** sort and crc32 in 14 frames beside a faulting hog, with `restart` (and, for a part, its strategy). */
function run(strategy?: RestartStrategy) {
  const system = createSystem(
    { frames: 14, policy: 'clock', restart: 'continue', timeSlice: 500, bounceFrames: 2, costs: { swapLatency: 8000 } },
    strategy === undefined ? {} : { parts: { 'restart-strategy': () => strategy } },
  );
  const events: SystemEvent[] = [];
  system.log.listen((e) => events.push(e));
  for (const name of ['sort', 'crc32']) system.spawnProgram({ name, executable: program(name).elf, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 24, references: 20_000, writeFraction: 0.3 }, priority: 5 });
  return { report: system.run(), events };
}

describe('the kernel continues instructions from their long frames (restart continue, m68010-continuation)', () => {
  it("every program gives qemu's output, every fault continued, none backed up", () => {
    const { report, events } = run();
    for (const p of report.processes.filter((p) => p.name !== 'hog')) {
      expect(p.killed, p.name).toBeNull();
      expect(p.stdout, p.name).toBe(program(p.name).expected);
    }
    const verdicts = events.filter((e) => e.kind === 'restart');
    expect(verdicts.length).toBeGreaterThan(10);
    expect(verdicts.every((e) => e.kind === 'restart' && e.verdict === 'continued' && e.strategy === 'continue' && e.startPc === null)).toBe(true);
    expect(report.restarts.restarted).toBe(verdicts.length);
  });

  it('a state changed by the OS is refused: the process is killed with a one-line format error', () => {
    const honest = createContinueStrategy();
    const tampering: RestartStrategy = {
      name: 'tampering',
      specificationVersion: 1,
      backUp(frame, registers, code) {
        const verdict = honest.backUp(frame, registers, code);
        if (verdict.kind !== 'continued') return verdict;
        const words = [...verdict.state.words];
        words[2] = words[2]! ^ 1; // the saved start PC's high word
        return { kind: 'continued', state: { words } };
      },
    };
    const { report } = run(tampering);
    const programs = report.processes.filter((p) => p.name !== 'hog');
    expect(programs.length).toBe(2);
    for (const p of programs) expect(p.killed, p.name).toMatch(/^SIGBUS: continuation frame: check word does not match/);
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IoStrategyName, SystemEvent } from '@pagelab/contracts';
import { createSystem } from './create-system.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const readsum = readFileSync(join(fixtures, 'bin', 'readsum.elf'));
const input = readFileSync(join(fixtures, 'input.txt'));

/** readsum reading its input by DMA beside a hog, every event handed to a listener as well as kept. */
function listenedRun(io: IoStrategyName) {
  const system = createSystem({ frames: 20, pageSize: 4096, policy: 'clock', io, restart: 'hardware', bounceFrames: 4, timeSlice: 2000 });
  const heard: SystemEvent[] = [];
  // Listening from the start: spawning a program already faults its stack page in.
  system.log.listen((event) => heard.push(event));
  system.spawnProgram({ name: 'readsum', executable: readsum, stdin: input, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: { pattern: 'random', pages: 48, references: 20_000, writeFraction: 0.3 }, priority: 5 });
  const report = system.run();
  return { system, report, heard };
}

describe('the event log a listener hears', () => {
  for (const io of ['unprotected', 'bounce'] as const) {
    it(`${io}: every page fault, eviction, DMA byte and corruption the run's statistics count`, () => {
      const { system, report, heard } = listenedRun(io);
      const of = <K extends SystemEvent['kind']>(kind: K) => heard.filter((e): e is Extract<SystemEvent, { kind: K }> => e.kind === kind);
      expect(of('page-fault')).toHaveLength(report.statistics.pageFaults);
      expect(of('page-fault').filter((e) => e.evicted)).toHaveLength(system.pager.statistics.evictions);
      // readsum reads all of its input by DMA: into its own frames, or into bounce buffers.
      expect(of('dma-burst').filter((e) => e.direction === 'to-memory').reduce((n, e) => n + e.bytes, 0)).toBeGreaterThanOrEqual(input.length);
      expect(of('corruption')).toHaveLength(report.statistics.corruptionEvents);
      expect(of('corruption').reduce((n, e) => n + e.bytes, 0)).toBe(report.corruptedBytes);
      expect(of('restart')).toHaveLength(report.restarts.restarted + report.restarts.ambiguous + report.restarts.unrecoverable);
      expect(of('exit')).toHaveLength(2);
      // Each source stamps its events in time order (DMA bursts with their own time, which can
      // trail the CPU's: the controller catches up between instructions).
      for (const kind of ['page-fault', 'dma-burst', 'corruption'] as const) {
        const times = of(kind).map((e) => e.at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      if (io === 'bounce') expect(report.corruptedBytes).toBe(0);
    });
  }

  it('stops calling a listener that unsubscribed', () => {
    const system = createSystem({ frames: 8 });
    let calls = 0;
    const stop = system.log.listen(() => calls++);
    stop();
    system.spawnSynthetic({ name: 'loop', spec: { pattern: 'loop', pages: 12, workingSet: 12, references: 500 } });
    system.run();
    expect(system.log.count('page-fault')).toBeGreaterThan(0);
    expect(calls).toBe(0);
    // Counted, heard, but not kept: the kept bodies are the rare events.
    expect(system.log.events.filter((e) => e.kind === 'page-fault')).toEqual([]);
  });
});

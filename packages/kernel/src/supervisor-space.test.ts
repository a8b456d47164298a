import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BusFault, FaultCause, FrameState, type Bus } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import { SupervisorSpace } from './supervisor-space.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A user bus that records it was asked: the supervisor side must never ask it. */
function userBus(): Bus & { calls: number } {
  const bus = {
    calls: 0,
    read8: () => (bus.calls++, 0),
    read16: () => (bus.calls++, 0),
    read32: () => (bus.calls++, 0),
    write8: () => void bus.calls++,
    write16: () => void bus.calls++,
    write32: () => void bus.calls++,
    fetch16: () => (bus.calls++, 0),
  };
  return bus;
}

describe('the kernel\'s supervisor space', () => {
  const pageSize = 1024;
  const memory = { bytes: new Uint8Array(8 * pageSize), frameCount: 8, pageSize };
  // Frames out of order: the space maps its pages to whatever wired frames it was given.
  const space = new SupervisorSpace(memory, [5, 2, 7]);

  it('holds a vector table whose every entry is its own STOP stub, and a stack', () => {
    const user = userBus();
    const bus = space.busFor(user);
    bus.attach({ sr: 0x2700 } as never);
    expect(bus.read32(0)).toBe(space.stackTop);
    for (let vector = 2; vector < 256; vector++) {
      const stub = bus.read32(vector * 4);
      expect(bus.fetch16(stub)).toBe(0x4e72);
      expect(bus.fetch16(stub + 2)).toBe(0x2700);
      expect(space.vectorStoppedAt(stub + 4)).toBe(vector);
    }
    expect(user.calls).toBe(0);
  });

  it('refuses supervisor writes to the table and stubs, and references outside the space', () => {
    const bus = space.busFor(userBus());
    bus.attach({ sr: 0x2000 } as never);
    const fault = (f: () => unknown) => {
      try {
        f();
      } catch (signal) {
        return signal instanceof BusFault ? signal.cause : 'other';
      }
      return 'none';
    };
    expect(fault(() => bus.write32(4 * 4, 0x1000))).toBe(FaultCause.Protection);
    expect(fault(() => bus.write16(SupervisorSpace.bytes - 2, 1))).toBe('none');
    expect(fault(() => bus.read16(SupervisorSpace.bytes))).toBe(FaultCause.Unmapped);
    expect(fault(() => bus.fetch16(0x1000))).toBe(FaultCause.Unmapped);
  });

  it('sends user-mode references to the user bus alone', () => {
    const user = userBus();
    const bus = space.busFor(user);
    bus.attach({ sr: 0x0000 } as never);
    bus.read32(0);
    bus.write16(0, 1);
    bus.fetch16(0);
    expect(user.calls).toBe(3);
    expect(space.vectorStoppedAt(0x1004)).toBe(-1);
  });

  it('lives in kernel-wired frames that no process ever maps', () => {
    const system = createSystem({ frames: 12, pageSize: 512 });
    // 2,304 bytes of table, stubs and stack take 5 frames of 512 bytes: the default wires that many.
    expect(system.config.kernelFrames).toBe(5);
    for (let frame = 0; frame < 5; frame++) expect(system.frames.state(frame)).toBe(FrameState.Wired);
    system.spawnProgram({ name: 'readsum', executable: readFileSync(join(fixtures, 'bin', 'readsum.elf')), stdin: readFileSync(join(fixtures, 'input.txt')) });
    system.spawnProgram({ name: 'own-vectors', executable: readFileSync(join(fixtures, 'hostile', 'bin', 'own-vectors-rte.elf')) });
    const report = system.run();
    expect(report.processes[0]!.status).toBe('exited');
    expect(report.processes[1]!.signal).toBe('SIGILL');
    for (let frame = 0; frame < 5; frame++) expect(system.frames.state(frame)).toBe(FrameState.Wired);
  });

  it('a configuration with too few kernel frames is refused, naming the field', () => {
    expect(() => createSystem({ pageSize: 256, kernelFrames: 2 })).toThrow(/^kernelFrames: the kernel's vector table, exception stubs and supervisor stack take 2304 bytes: at least 9 frame\(s\) of 256 bytes, got 2$/);
  });
});

import { AccessKind } from '@pagelab/contracts';
import { describe, expect, it } from 'vitest';
import { faultEveryReference } from './fault-bench.js';

// MOVE.L D0,(A0): the opcode fetch and the refill of IRC (the bench enters as after a jump), a
// long write, then the final prefetch.
const moveLong = { model: 'm68000', start: 0x1000, words: [0x2080], dataRegisters: [0x12345678] } as const;

describe('fault bench: long accesses', () => {
  it('counts a long as one reference by default', () => {
    const refs = faultEveryReference(moveLong);
    expect(refs.map((f) => [f.frame.access, f.frame.address, f.frame.size])).toEqual([
      [AccessKind.Fetch, 0x1000, 2],
      [AccessKind.Fetch, 0x1002, 2],
      [AccessKind.Write, 0x8000, 4],
      [AccessKind.Fetch, 0x1004, 2],
    ]);
    expect(refs.map((f) => f.completed)).toEqual([false, false, false, true]);
  });

  it('with splitLongs, faults each word on its own, high word first, the first one done', () => {
    const refs = faultEveryReference({ ...moveLong, splitLongs: true });
    expect(refs.map((f) => [f.frame.access, f.frame.address, f.frame.size])).toEqual([
      [AccessKind.Fetch, 0x1000, 2],
      [AccessKind.Fetch, 0x1002, 2],
      [AccessKind.Write, 0x8000, 2],
      [AccessKind.Write, 0x8002, 2],
      [AccessKind.Fetch, 0x1004, 2],
    ]);
    expect(refs[2]!.code.readWord(0x8000)).toBeNull();
    expect(refs[3]!.code.readWord(0x8000)).toBe(0x1234);
    // The restart finishes the store either way.
    const done = refs[3]!.resume(0x1000, refs[3]!.before);
    expect([...done.memory.subarray(0x8000, 0x8004)]).toEqual([0x12, 0x34, 0x56, 0x78]);
  });
});

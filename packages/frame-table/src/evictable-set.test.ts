import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EvictableSet } from './evictable-set.js';

describe('EvictableSet', () => {
  it('finds the next member from any position, as a sorted array would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.tuple(fc.boolean(), fc.nat())), (frameCount, edits) => {
        const set = new EvictableSet(frameCount);
        const model = new Set<number>();
        for (const [add, n] of edits) {
          const frame = n % frameCount;
          if (add) {
            set.add(frame);
            model.add(frame);
          } else {
            set.delete(frame);
            model.delete(frame);
          }
        }
        expect(set.size).toBe(model.size);
        const sorted = [...model].sort((a, b) => a - b);
        for (let from = -1; from <= frameCount; from++) {
          expect(set.next(from)).toBe(sorted.find((frame) => frame >= from) ?? -1);
        }
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import { checkSyntheticSpec, ReferenceGenerator, type SyntheticSpec } from './synthetic.js';

const take = (spec: SyntheticSpec, seed: number, n = spec.references) => {
  const g = new ReferenceGenerator(spec, seed);
  return Array.from({ length: n }, () => g.next());
};

describe('ReferenceGenerator', () => {
  it('walks sequentially and loops over the working set', () => {
    expect(take({ pattern: 'sequential', pages: 3, references: 7 }, 1)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(take({ pattern: 'loop', pages: 10, workingSet: 2, references: 5 }, 1)).toEqual([0, 1, 0, 1, 0]);
  });

  it('is a function of the seed, and stays inside its pages', () => {
    const spec: SyntheticSpec = { pattern: 'random', pages: 50, references: 1000 };
    expect(take(spec, 7)).toEqual(take(spec, 7));
    expect(take(spec, 7)).not.toEqual(take(spec, 8));
    expect(take(spec, 7).every((p) => p >= 0 && p < 50)).toBe(true);
  });

  it('keeps each phase inside a working set of the given size', () => {
    const refs = take({ pattern: 'phases', pages: 100, workingSet: 5, phaseLength: 200, references: 2000 }, 3);
    for (let phase = 0; phase < 10; phase++) {
      const pages = new Set(refs.slice(phase * 200, phase * 200 + 200));
      expect(Math.max(...pages) - Math.min(...pages)).toBeLessThan(5);
    }
  });

  it('refuses a bad spec naming the field', () => {
    expect(() => checkSyntheticSpec({ pattern: 'loop', pages: 4, workingSet: 9, references: 1 }, 'processes[2]')).toThrow(
      new ConfigurationError('processes[2].workingSet', '9 is more than the 4 pages the process owns'),
    );
    expect(() => checkSyntheticSpec({ pattern: 'zigzag' as 'loop', pages: 4, references: 1 }, 'p')).toThrow(/p\.pattern/);
  });
});

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

  it('refuses what used to hang or crash: a missing count, io: null, unknown and non-finite fields (issue 8 item 16)', () => {
    const refusal = (spec: unknown, maxPages?: number) => {
      try {
        checkSyntheticSpec(spec, 'p', maxPages);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message;
      }
      throw new Error('expected a ConfigurationError');
    };
    // Without `references` the generator never ran out: the run never ended.
    expect(refusal({ pattern: 'loop', pages: 4 })).toBe('p.references: expected an integer from 1 to 9007199254740991 (required), got nothing');
    expect(refusal({ pattern: 'loop', references: 4 })).toMatch(/^p\.pages: expected an integer from 1 to \d+ \(required\), got nothing$/);
    // `io: null` was a TypeError reading null.every.
    expect(refusal({ pattern: 'loop', pages: 4, references: 4, io: null })).toBe('p.io: expected an object { every, bytes, file }, got null');
    expect(refusal({ pattern: 'loop', pages: 4, references: 4, io: { every: 1, bytes: 1 } })).toBe('p.io.file: expected a simulated file path, got nothing');
    expect(refusal({ pattern: 'loop', pages: 4, references: 4, io: { every: 1, bytes: 1, file: '/d', when: 2 } })).toMatch(/^p\.io\.when: unknown field/);
    expect(refusal({ pattern: 'loop', pages: 4, references: Infinity })).toBe('p.references: expected an integer from 1 to 9007199254740991 (required), got Infinity');
    expect(refusal({ pattern: 'loop', pages: 4, references: 1, writeFraction: NaN })).toBe('p.writeFraction: expected a number from 0 to 1, got NaN');
    expect(refusal({ pattern: 'loop', pages: 4, references: 1, speed: 2 })).toMatch(/^p\.speed: unknown field; expected one of pattern, pages/);
    expect(refusal({ pattern: 'loop', pages: 5000, references: 1 }, 3584)).toBe('p.pages: expected an integer from 1 to 3584 (required), got 5000');
    expect(refusal(null)).toBe('p: expected an object, got null');
  });
});

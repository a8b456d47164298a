import { describe, expect, it } from 'vitest';
import { createIoStrategy } from '@pagelab/io-buffers';
import { isPagelabError, seamNames, seamSpecificationVersions, type IoStrategyFactory } from '@pagelab/contracts';
import { createSystem } from './create-system.js';

/** A lab's I/O strategy: pagelab's `pin`, reporting under its own name. */
const renamedPin = (version: unknown): IoStrategyFactory => (options) => {
  const inner = createIoStrategy('pin', options);
  return Object.assign(Object.create(inner) as typeof inner, { name: 'lab-pin', specificationVersion: version as 1 });
};

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('seam specification versions', () => {
  it('has a version for every seam', () => {
    expect(seamNames).toEqual(['replacement-policy', 'pager', 'restart-strategy', 'io-strategy', 'frame-table', 'mmu', 'dma']);
    for (const seam of seamNames) expect(seamSpecificationVersions[seam]).toBe(1);
  });

  it('wires a part that declares its seam version, under its own name', () => {
    const system = createSystem({ frames: 16, bounceFrames: 1 }, { parts: { 'io-strategy': renamedPin(1) }, origins: { 'io-strategy': './lab/pin.js' } });
    system.spawnSynthetic({ name: 'reader', spec: { pattern: 'sequential', pages: 4, references: 50 } });
    expect(system.run().partNames.io).toBe('lab-pin');
  });

  it('refuses a part written for another version, naming the seam, the origin and both versions', () => {
    const error = errorOf(() => createSystem({}, { parts: { 'io-strategy': renamedPin(2) }, origins: { 'io-strategy': './lab/pin.js' } }));
    expect(isPagelabError(error, 'SPECIFICATION_MISMATCH')).toBe(true);
    expect((error as Error).message).toBe('io-strategy (./lab/pin.js): needs specification version 1, got 2');
  });

  it('refuses a part without a version, and one that is missing members', () => {
    const unversioned = errorOf(() => createSystem({}, { parts: { 'io-strategy': renamedPin(undefined) } }));
    expect((unversioned as Error).message).toBe('io-strategy (caller): needs specification version 1, got none (no specificationVersion property)');
    const hollow = errorOf(() => createSystem({}, { parts: { 'restart-strategy': () => ({ specificationVersion: 1, name: 'hollow' }) as never } }));
    expect((hollow as Error).message).toBe('restart-strategy (caller): missing backUp');
  });

  it('checks the replacement policy when the pager builds it', () => {
    const error = errorOf(() => {
      const system = createSystem({ frames: 8, bounceFrames: 1 }, { parts: { 'replacement-policy': () => ({ name: 'old' }) as never } });
      system.spawnSynthetic({ name: 'p', spec: { pattern: 'sequential', pages: 20, references: 40 } });
      system.run();
    });
    expect((error as Error).message).toBe('replacement-policy (caller): needs specification version 1, got none (no specificationVersion property)');
  });
});

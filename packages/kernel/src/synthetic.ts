import { ConfigurationError } from '@pagelab/contracts';

/** The reference patterns a synthetic process can follow. */
export type ReferencePattern = 'sequential' | 'loop' | 'random' | 'phases';

/** A synthetic process: a reference-string generator, with optional I/O. */
export interface SyntheticSpec {
  /** How it walks its pages. */
  readonly pattern: ReferencePattern;
  /** How many pages it owns. */
  readonly pages: number;
  /** How many references it makes before it exits. */
  readonly references: number;
  /** Fraction of references that are writes, 0..1. */
  readonly writeFraction?: number;
  /** `loop`: pages in the loop (default all). `phases`: pages in each phase's working set. */
  readonly workingSet?: number;
  /** `phases`: references per phase. */
  readonly phaseLength?: number;
  /** Optional I/O: read `bytes` from the named file into its pages every `every` references. */
  readonly io?: { readonly every: number; readonly bytes: number; readonly file: string };
}

/** A small fast deterministic PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a synthetic spec, naming the bad field under `path`. */
export function checkSyntheticSpec(spec: SyntheticSpec, path: string): void {
  const positive = (value: number | undefined, field: string) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new ConfigurationError(`${path}.${field}`, `expected a positive integer, got ${JSON.stringify(value)}`);
    }
  };
  if (!['sequential', 'loop', 'random', 'phases'].includes(spec.pattern)) {
    throw new ConfigurationError(`${path}.pattern`, `expected one of sequential, loop, random, phases, got ${JSON.stringify(spec.pattern)}`);
  }
  positive(spec.pages, 'pages');
  positive(spec.references, 'references');
  positive(spec.workingSet, 'workingSet');
  positive(spec.phaseLength, 'phaseLength');
  if (spec.workingSet !== undefined && spec.workingSet > spec.pages) {
    throw new ConfigurationError(`${path}.workingSet`, `${spec.workingSet} is more than the ${spec.pages} pages the process owns`);
  }
  const w = spec.writeFraction ?? 0;
  if (typeof w !== 'number' || !(w >= 0 && w <= 1)) throw new ConfigurationError(`${path}.writeFraction`, `expected a number from 0 to 1, got ${JSON.stringify(w)}`);
  if (spec.io !== undefined) {
    positive(spec.io.every, 'io.every');
    positive(spec.io.bytes, 'io.bytes');
  }
}

/**
 * Generates the page numbers (0-based, within the process's own pages) a synthetic process
 * references, and whether each is a write. Allocation-free per reference.
 */
export class ReferenceGenerator {
  private index = 0;
  private phaseBase = 0;
  private readonly random: () => number;
  /** Whether the last reference returned by `next` is a write. */
  lastWasWrite = false;

  constructor(
    private readonly spec: SyntheticSpec,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** References left. */
  get remaining(): number {
    return this.spec.references - this.index;
  }

  /** The next page referenced. */
  next(): number {
    const { spec } = this;
    const i = this.index++;
    this.lastWasWrite = (spec.writeFraction ?? 0) > 0 && this.random() < (spec.writeFraction ?? 0);
    switch (spec.pattern) {
      case 'sequential':
        return i % spec.pages;
      case 'loop':
        return i % (spec.workingSet ?? spec.pages);
      case 'random':
        return Math.floor(this.random() * spec.pages);
      case 'phases': {
        const set = spec.workingSet ?? Math.max(1, Math.floor(spec.pages / 4));
        const length = spec.phaseLength ?? 1000;
        if (i > 0 && i % length === 0) this.phaseBase = Math.floor(this.random() * (spec.pages - set + 1));
        return this.phaseBase + Math.floor(this.random() * set);
      }
    }
  }
}

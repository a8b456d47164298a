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

const patterns: readonly ReferencePattern[] = ['sequential', 'loop', 'random', 'phases'];
const specFields = new Set(['pattern', 'pages', 'references', 'writeFraction', 'workingSet', 'phaseLength', 'io']);
const ioFields = new Set(['every', 'bytes', 'file']);

/**
 * Most references one synthetic process may make: the largest count a double holds exactly, so
 * counters stay exact. A run that long is bounded by `maxCycles`, not by this.
 */
export const MAX_SYNTHETIC_REFERENCES = Number.MAX_SAFE_INTEGER;

const show = (value: unknown): string =>
  value === undefined ? 'nothing' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a synthetic spec as a person wrote it (any JSON value), naming the bad field under
 * `path`: required fields present, counts positive integers within their limits, no unknown
 * fields. `maxPages` is how many pages fit in a process's address space.
 */
export function checkSyntheticSpec(spec: unknown, path: string, maxPages = Number.MAX_SAFE_INTEGER): asserts spec is SyntheticSpec {
  if (!isRecord(spec)) throw new ConfigurationError(path, `expected an object, got ${show(spec)}`);
  for (const key of Object.keys(spec)) {
    if (!specFields.has(key)) throw new ConfigurationError(`${path}.${key}`, `unknown field; expected one of ${[...specFields].join(', ')}`);
  }
  const count = (value: unknown, field: string, required: boolean, max: number): void => {
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw new ConfigurationError(`${path}.${field}`, `expected an integer from 1 to ${max}${required ? ' (required)' : ''}, got ${show(value)}`);
    }
  };
  if (typeof spec.pattern !== 'string' || !(patterns as readonly string[]).includes(spec.pattern)) {
    throw new ConfigurationError(`${path}.pattern`, `expected one of ${patterns.join(', ')}, got ${show(spec.pattern)}`);
  }
  count(spec.pages, 'pages', true, maxPages);
  count(spec.references, 'references', true, MAX_SYNTHETIC_REFERENCES);
  count(spec.workingSet, 'workingSet', false, MAX_SYNTHETIC_REFERENCES);
  if (spec.workingSet !== undefined && (spec.workingSet as number) > (spec.pages as number)) {
    throw new ConfigurationError(`${path}.workingSet`, `${spec.workingSet as number} is more than the ${spec.pages as number} pages the process owns`);
  }
  count(spec.phaseLength, 'phaseLength', false, MAX_SYNTHETIC_REFERENCES);
  const w = spec.writeFraction ?? 0;
  if (typeof w !== 'number' || !(w >= 0 && w <= 1)) throw new ConfigurationError(`${path}.writeFraction`, `expected a number from 0 to 1, got ${show(w)}`);
  if (spec.io !== undefined) {
    const io = spec.io;
    if (!isRecord(io)) throw new ConfigurationError(`${path}.io`, `expected an object { every, bytes, file }, got ${show(io)}`);
    for (const key of Object.keys(io)) {
      if (!ioFields.has(key)) throw new ConfigurationError(`${path}.io.${key}`, `unknown field; expected one of ${[...ioFields].join(', ')}`);
    }
    count(io.every, 'io.every', true, MAX_SYNTHETIC_REFERENCES);
    count(io.bytes, 'io.bytes', true, 0x7fff_ffff);
    if (typeof io.file !== 'string' || io.file.length === 0) throw new ConfigurationError(`${path}.io.file`, `expected a simulated file path, got ${show(io.file)}`);
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

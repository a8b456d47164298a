import { ConfigurationError, type ReplacementPolicyFactory } from '@pagelab/contracts';
import { isReplacementPolicyName, replacementPolicyNames } from '../policies/registry.js';
import type { TraceFormat, ReferenceKindCounts } from './formats.js';
import { computeNextUse } from './next-use.js';
import { PageIdTable } from './page-ids.js';
import { DEFAULT_PAGE_SIZE, MAX_TRACE_FRAMES } from './limits.js';
import { streamTraceReferences, type TraceReadSummary } from './source.js';
import { ReferenceBuffer } from './reference-buffer.js';
import { TraceSimulator, type TraceStatistics } from './simulator.js';

/** How to simulate one trace. */
export interface TraceRunOptions {
  /** A policy of `replacementPolicyNames`; with {@link factory}, only a label until the policy reports its own name. */
  readonly policy: string;
  /**
   * Builds the policy instead of the named one (a lab's part). It streams like every policy but
   * OPT and gets no `nextUse`; the result reports the `name` the policy gives itself.
   */
  readonly factory?: ReplacementPolicyFactory;
  readonly frames: number;
  readonly format?: TraceFormat;
  /** Bytes per page, a power of two (lackey addresses are divided by it). */
  readonly pageSize?: number;
  readonly skipBadLines?: boolean;
  readonly tickInterval?: number;
  readonly seed?: number;
  readonly workingSetWindow?: number;
}

/** The result of simulating a trace: the counts and what they were measured on. */
export interface TraceRunResult extends TraceStatistics {
  readonly policy: string;
  readonly frames: number;
  readonly format: TraceFormat;
  readonly pageSize: number;
  readonly hits: number;
  readonly hitRatio: number;
  readonly distinctPages: number;
  readonly badLines: number;
  readonly kinds: ReferenceKindCounts;
}

export { DEFAULT_PAGE_SIZE, MAX_TRACE_FRAMES };

/**
 * Most references OPT may hold: it needs the whole future, 9 bytes a reference with its
 * next-use index, so 134,217,728 references are about 1.2 GB. A longer trace is refused with a
 * one-line error rather than growing until the host's allocation fails.
 */
export const MAX_OPT_REFERENCES = 1 << 27;

/** Checks the options every trace run shares; throws `ConfigurationError` naming the bad one. */
export function checkTraceRunOptions(options: TraceRunOptions): void {
  if (options.factory === undefined && !isReplacementPolicyName(options.policy)) {
    throw new ConfigurationError('policy', `unknown policy "${options.policy}" (known: ${replacementPolicyNames.join(', ')})`);
  }
  if (!Number.isInteger(options.frames) || options.frames < 1 || options.frames > MAX_TRACE_FRAMES) {
    throw new ConfigurationError('frames', `must be a positive integer up to ${MAX_TRACE_FRAMES}, got ${options.frames}`);
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || (pageSize & (pageSize - 1)) !== 0 || pageSize > 2 ** 30) {
    throw new ConfigurationError('page-size', `must be a power of two up to 2^30, got ${pageSize}`);
  }
}

function simulatorFor(options: TraceRunOptions, nextUse?: Int32Array): TraceSimulator {
  return new TraceSimulator({
    frames: options.frames,
    policy: options.policy,
    ...(options.tickInterval !== undefined ? { tickInterval: options.tickInterval } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.workingSetWindow !== undefined ? { workingSetWindow: options.workingSetWindow } : {}),
    ...(nextUse !== undefined ? { nextUse } : {}),
    ...(options.factory !== undefined ? { factory: options.factory } : {}),
  });
}

function result(options: TraceRunOptions, simulator: TraceSimulator, read: TraceReadSummary, pageIds: PageIdTable): TraceRunResult {
  const stats = simulator.statistics;
  const hits = stats.references - stats.misses;
  return {
    policy: options.factory === undefined ? options.policy : simulator.policy.name,
    frames: options.frames,
    format: read.format,
    pageSize: read.pageSize,
    ...stats,
    hits,
    hitRatio: stats.references === 0 ? 0 : hits / stats.references,
    distinctPages: pageIds.size,
    badLines: read.badLines,
    kinds: { ...read.kinds },
  };
}

/**
 * Reads the whole trace at `path` (text or binary) into `buffer`, as OPT needs it, within
 * {@link MAX_OPT_REFERENCES}.
 */
export function streamWholeTrace(path: string, options: TraceRunOptions, pageIds: PageIdTable, buffer: ReferenceBuffer): TraceReadSummary {
  return streamTraceReferences(path, options, pageIds, buffer, () => {
    if (buffer.length > MAX_OPT_REFERENCES) {
      throw new ConfigurationError('policy', `opt keeps the whole trace in memory, and ${path} has more than the limit of ${MAX_OPT_REFERENCES} references; use another policy or a shorter trace`);
    }
  }, true);
}

/**
 * Simulates the trace file at `path`: text in the options' format, or a binary trace
 * (recognised by its magic). Every policy but OPT streams: each chunk is read and simulated,
 * then dropped, so memory stays flat however long the trace. OPT needs the future, so it keeps
 * the dense page ids (4 bytes a reference, plus 4 for the next-use index).
 */
export function simulateTraceFile(path: string, options: TraceRunOptions): TraceRunResult {
  checkTraceRunOptions(options);
  const pageIds = new PageIdTable();
  const buffer = new ReferenceBuffer();
  if (options.policy === 'opt' && options.factory === undefined) {
    const read = streamWholeTrace(path, options, pageIds, buffer);
    const nextUse = computeNextUse(buffer.pages, buffer.length, pageIds.size);
    const simulator = simulatorFor(options, nextUse);
    simulator.run(buffer.pages, buffer.flags, 0, buffer.length, pageIds.size);
    return result(options, simulator, read, pageIds);
  }
  const simulator = simulatorFor(options);
  const read = streamTraceReferences(path, options, pageIds, buffer, () => {
    simulator.run(buffer.pages, buffer.flags, 0, buffer.length, pageIds.size);
    buffer.clear();
  });
  return result(options, simulator, read, pageIds);
}

/**
 * Simulates a reference string given as page numbers (and optional write flags), the way the
 * textbook examples are stated. Returns the same counts as a trace file would.
 */
export function simulateReferenceString(
  pages: ArrayLike<number>,
  options: TraceRunOptions,
  writes?: ArrayLike<boolean>,
): TraceRunResult {
  checkTraceRunOptions(options);
  const pageIds = new PageIdTable();
  const buffer = new ReferenceBuffer(Math.max(16, pages.length));
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i] as number;
    if (!Number.isInteger(page) || page < 0 || page >= 2 ** 53) {
      throw new ConfigurationError(`pages[${i}]`, `must be a non-negative integer page number, got ${page}`);
    }
    buffer.push(pageIds.idOf(page), writes?.[i] === true ? 1 : 0);
  }
  const read: TraceReadSummary = {
    format: options.format ?? 'pages',
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    badLines: 0,
    kinds: { instructionFetches: 0, loads: pages.length, stores: 0, modifies: 0 },
  };
  const nextUse = options.policy === 'opt' && options.factory === undefined ? computeNextUse(buffer.pages, buffer.length, pageIds.size) : undefined;
  const simulator = simulatorFor(options, nextUse);
  simulator.run(buffer.pages, buffer.flags, 0, buffer.length, pageIds.size);
  return result(options, simulator, read, pageIds);
}

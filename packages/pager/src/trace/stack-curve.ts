import { ConfigurationError } from '@pagelab/contracts';
import { FaultCurveRecorder, isStackPolicyName, stackPolicyNames, type FaultCurve, type StackPolicyName } from './fault-curve.js';
import type { ReferenceKindCounts, TraceFormat } from './formats.js';
import { LruStackDistance } from './lru-stack-distance.js';
import { computeNextUse } from './next-use.js';
import { OptStackDistance } from './opt-stack-distance.js';
import { PageIdTable } from './page-ids.js';
import { ReferenceBuffer } from './reference-buffer.js';
import { checkTraceRunOptions, MAX_TRACE_FRAMES, streamWholeTrace, type TraceRunOptions } from './simulate.js';
import { streamTraceReferences, type TraceReadSummary } from './source.js';

/** How to compute a stack policy's fault curve over a trace file. */
export interface FaultCurveOptions {
  readonly policy: StackPolicyName;
  /** The curve covers 1..maxFrames frames (at most `MAX_TRACE_FRAMES`). */
  readonly maxFrames: number;
  readonly format?: TraceFormat;
  /** Bytes per page, a power of two (lackey addresses are divided by it). */
  readonly pageSize?: number;
  readonly skipBadLines?: boolean;
}

/** A trace file's fault curve and what it was measured on. */
export interface TraceFaultCurve extends FaultCurve {
  readonly format: TraceFormat;
  readonly pageSize: number;
  readonly badLines: number;
  readonly kinds: ReferenceKindCounts;
}

function checkCurveOptions(policy: string, maxFrames: number): void {
  if (!isStackPolicyName(policy)) {
    throw new ConfigurationError('policy', `a fault curve in one pass needs a stack policy (${stackPolicyNames.join(' or ')}), got "${policy}"`);
  }
  if (!Number.isInteger(maxFrames) || maxFrames < 1 || maxFrames > MAX_TRACE_FRAMES) {
    throw new ConfigurationError('frames', `must be a positive integer up to ${MAX_TRACE_FRAMES}, got ${maxFrames}`);
  }
}

/**
 * The fault curve of `policy` over references `pages[0..length)` (dense ids below
 * `pageCount`, write flags in `flags` or null for all reads), for 1..maxFrames frames.
 */
export function faultCurveOfReferences(
  policy: StackPolicyName,
  pages: Int32Array,
  flags: Uint8Array | null,
  length: number,
  pageCount: number,
  maxFrames: number,
): FaultCurve {
  checkCurveOptions(policy, maxFrames);
  const recorder = new FaultCurveRecorder(maxFrames);
  if (policy === 'opt') {
    new OptStackDistance(recorder, computeNextUse(pages, length, pageCount)).run(pages, flags, length, pageCount);
  } else {
    const lru = new LruStackDistance(recorder);
    lru.run(pages, flags, 0, length, pageCount);
    lru.finish();
  }
  return recorder.curve(policy, pageCount);
}

/**
 * The fault curve of a reference string given as page numbers (and optional write flags), the
 * way the textbook examples are stated.
 */
export function faultCurveOfReferenceString(
  pages: ArrayLike<number>,
  policy: StackPolicyName,
  maxFrames: number,
  writes?: ArrayLike<boolean>,
): FaultCurve {
  const ids = new PageIdTable();
  const dense = new Int32Array(pages.length);
  const flags = new Uint8Array(pages.length);
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i] as number;
    if (!Number.isInteger(page) || page < 0 || page >= 2 ** 53) {
      throw new ConfigurationError(`pages[${i}]`, `must be a non-negative integer page number, got ${page}`);
    }
    dense[i] = ids.idOf(page);
    flags[i] = writes?.[i] === true ? 1 : 0;
  }
  return faultCurveOfReferences(policy, dense, flags, pages.length, ids.size, maxFrames);
}

/**
 * The fault curve of the trace file at `path`: one pass gives what `simulateTraceFile` reports
 * at every frame count up to `maxFrames`. LRU streams in flat memory; OPT keeps the trace, as
 * its simulation does, and refuses the same over-long traces.
 */
export function faultCurveOfTraceFile(path: string, options: FaultCurveOptions): TraceFaultCurve {
  return faultCurveWithinBudget(path, options, Infinity) as TraceFaultCurve;
}

/**
 * {@link faultCurveOfTraceFile}, or undefined when OPT's stack walk passes an average of
 * `stepsPerReference` positions a reference (LRU's pass is O(log) a reference and always finishes).
 */
export function faultCurveWithinBudget(path: string, options: FaultCurveOptions, stepsPerReference: number): TraceFaultCurve | undefined {
  checkCurveOptions(options.policy, options.maxFrames);
  const runOptions: TraceRunOptions = { ...options, frames: options.maxFrames };
  checkTraceRunOptions(runOptions);
  const pageIds = new PageIdTable();
  const buffer = new ReferenceBuffer();
  const recorder = new FaultCurveRecorder(options.maxFrames);
  let read: TraceReadSummary;
  if (options.policy === 'opt') {
    read = streamWholeTrace(path, runOptions, pageIds, buffer);
    const opt = new OptStackDistance(recorder, computeNextUse(buffer.pages, buffer.length, pageIds.size));
    if (!opt.run(buffer.pages, buffer.flags, buffer.length, pageIds.size, stepsPerReference * buffer.length)) return undefined;
  } else {
    const lru = new LruStackDistance(recorder);
    read = streamTraceReferences(path, runOptions, pageIds, buffer, () => {
      lru.run(buffer.pages, buffer.flags, 0, buffer.length, pageIds.size);
      buffer.clear();
    });
    lru.finish();
  }
  return {
    ...recorder.curve(options.policy, pageIds.size),
    format: read.format,
    pageSize: read.pageSize,
    badLines: read.badLines,
    kinds: { ...read.kinds },
  };
}

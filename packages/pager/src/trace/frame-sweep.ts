import { ConfigurationError } from '@pagelab/contracts';
import { curveEvictions, isStackPolicyName } from './fault-curve.js';
import { checkTraceRunOptions, simulateTraceFile, type TraceRunOptions, type TraceRunResult } from './simulate.js';
import { faultCurveWithinBudget, type TraceFaultCurve } from './stack-curve.js';

/** A trace run's options but the frame count, which a sweep varies. */
export type TraceSweepOptions = Omit<TraceRunOptions, 'frames'>;

/** What `simulateTraceFile` reports with `frames` frames, read off a fault curve. */
export function runOnCurve(curve: TraceFaultCurve, frames: number): TraceRunResult {
  if (!Number.isInteger(frames) || frames < 1 || frames > curve.maxFrames) {
    throw new ConfigurationError('frames', `the curve covers 1 to ${curve.maxFrames} frames, not ${frames}`);
  }
  const misses = curve.misses[frames] as number;
  const hits = curve.references - misses;
  // The keys in the order simulateTraceFile gives them, so the JSON is the same byte for byte.
  return {
    policy: curve.policy,
    frames,
    format: curve.format,
    pageSize: curve.pageSize,
    references: curve.references,
    misses,
    compulsoryMisses: curve.compulsoryMisses,
    evictions: curveEvictions(curve, frames),
    writebacks: curve.writebacks[frames] as number,
    hits,
    hitRatio: curve.references === 0 ? 0 : hits / curve.references,
    distinctPages: curve.distinctPages,
    badLines: curve.badLines,
    kinds: { ...curve.kinds },
  };
}

/**
 * The steps of OPT's stack walk a reference may average per run it replaces. Measured on a
 * uniformly random trace (1 M references over 20,000 pages, 16 frame counts): up to 1,024
 * frames the whole walk (1.5 s) beats the 16 runs (2.5 s) and stays within this; up to 16,384
 * frames it would take 7.7 s, so it is given up and the runs (2.4 s) follow, 4.7 s in all: a
 * trace without locality costs at most about twice the runs. Traces with locality stay far
 * below (gzip's lackey trace: under 2 steps a reference with 4 KiB pages, under 10 with
 * 256-byte ones).
 */
const STACK_STEPS_PER_RUN = 60;

/**
 * Runs one policy over the trace file at `path` at each of `frameCounts`: the results
 * `simulateTraceFile` gives, in the same order. LRU and OPT take one pass over the trace for
 * all of them (see `faultCurveOfTraceFile`); every other policy, one run per frame count. A
 * trace that keeps OPT's stack walk deep (references spread over more pages than the frames,
 * with no locality) falls back to a run per frame count once the walk has cost more than those
 * runs would; the results are the same either way.
 */
export function simulateTraceFileAtFrames(path: string, options: TraceSweepOptions, frameCounts: readonly number[]): TraceRunResult[] {
  if (frameCounts.length === 0) throw new ConfigurationError('frames', 'expected at least one frame count');
  for (const frames of frameCounts) checkTraceRunOptions({ ...options, frames });
  if (options.factory !== undefined || !isStackPolicyName(options.policy)) {
    return frameCounts.map((frames) => simulateTraceFile(path, { ...options, frames }));
  }
  const maxFrames = Math.max(...frameCounts);
  const curveOptions = {
    policy: options.policy,
    maxFrames,
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.skipBadLines !== undefined ? { skipBadLines: options.skipBadLines } : {}),
  };
  const curve = faultCurveWithinBudget(path, curveOptions, STACK_STEPS_PER_RUN * frameCounts.length);
  if (curve === undefined) return frameCounts.map((frames) => simulateTraceFile(path, { ...options, frames }));
  return frameCounts.map((frames) => runOnCurve(curve, frames));
}

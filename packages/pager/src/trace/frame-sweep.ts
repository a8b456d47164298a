import { ConfigurationError } from '@pagelab/contracts';
import { curveEvictions, isStackPolicyName } from './fault-curve.js';
import { checkTraceRunOptions, simulateTraceFile, type TraceRunOptions, type TraceRunResult } from './simulate.js';
import { faultCurveOfTraceFile, type TraceFaultCurve } from './stack-curve.js';

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
 * Runs one policy over the trace file at `path` at each of `frameCounts`: the results
 * `simulateTraceFile` gives, in the same order. LRU and OPT take one pass over the trace for
 * all of them (see `faultCurveOfTraceFile`); every other policy, one run per frame count.
 */
export function simulateTraceFileAtFrames(path: string, options: TraceSweepOptions, frameCounts: readonly number[]): TraceRunResult[] {
  if (frameCounts.length === 0) throw new ConfigurationError('frames', 'expected at least one frame count');
  for (const frames of frameCounts) checkTraceRunOptions({ ...options, frames });
  if (options.factory !== undefined || !isStackPolicyName(options.policy)) {
    return frameCounts.map((frames) => simulateTraceFile(path, { ...options, frames }));
  }
  const curve = faultCurveOfTraceFile(path, {
    policy: options.policy,
    maxFrames: Math.max(...frameCounts),
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.skipBadLines !== undefined ? { skipBadLines: options.skipBadLines } : {}),
  });
  return frameCounts.map((frames) => runOnCurve(curve, frames));
}

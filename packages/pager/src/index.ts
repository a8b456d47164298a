/**
 * @packageDocumentation
 * `@pagelab/pager`: page-replacement policies, the page-fault service with its backing store,
 * and a fast trace-driven simulator (`pager-sim`).
 */
export { createReplacementPolicy, isReplacementPolicyName, replacementPolicyNames } from './policies/registry.js';
export { FifoPolicy } from './policies/fifo.js';
export { ClockPolicy } from './policies/clock.js';
export { EnhancedClockPolicy } from './policies/enhanced-clock.js';
export { LruPolicy } from './policies/lru.js';
export { NfuPolicy } from './policies/nfu.js';
export { AgingPolicy, AGING_COUNTER_BITS } from './policies/aging.js';
export { WorkingSetPolicy, DEFAULT_WORKING_SET_WINDOW } from './policies/working-set.js';
export { WsClockPolicy } from './policies/wsclock.js';
export { RandomPolicy } from './policies/random.js';
export { OptPolicy, optEvictionKey } from './policies/opt.js';
export { TraceSimulator, DEFAULT_TICK_INTERVAL } from './trace/simulator.js';
export type { TraceSimulatorOptions, TraceStatistics } from './trace/simulator.js';
export { computeNextUse, NEVER_AGAIN } from './trace/next-use.js';
export { PageIdTable } from './trace/page-ids.js';
export { ReferenceBuffer, WRITE_FLAG } from './trace/reference-buffer.js';
export { LackeyParser, PageNumberParser, TraceParser, traceFormats } from './trace/formats.js';
export type { TraceFormat, BadLinePolicy, ReferenceKindCounts } from './trace/formats.js';
export { streamTraceFile } from './trace/reader.js';
export { streamTraceReferences } from './trace/source.js';
export type { TraceReadOptions, TraceReadSummary } from './trace/source.js';
export {
  BinaryTraceError,
  BinaryTraceWriter,
  BINARY_TRACE_HEADER_BYTES,
  BINARY_TRACE_MAGIC,
  BINARY_TRACE_VERSION,
  decodeBinaryTraceHeader,
  looksLikeBinaryTrace,
  streamBinaryTrace,
} from './trace/binary.js';
export type { BinaryTraceHeader } from './trace/binary.js';
export { convertTraceToBinary } from './trace/convert.js';
export type { BinaryConversion } from './trace/convert.js';
export { simulateTraceFile, simulateReferenceString, DEFAULT_PAGE_SIZE, MAX_TRACE_FRAMES } from './trace/simulate.js';
export type { TraceRunOptions, TraceRunResult } from './trace/simulate.js';
export { FaultCurveRecorder, curveEvictions, isStackPolicyName, stackPolicyNames } from './trace/fault-curve.js';
export type { FaultCurve, StackPolicyName } from './trace/fault-curve.js';
export { LruStackDistance } from './trace/lru-stack-distance.js';
export { OptStackDistance } from './trace/opt-stack-distance.js';
export { faultCurveOfReferences, faultCurveOfReferenceString, faultCurveOfTraceFile } from './trace/stack-curve.js';
export type { FaultCurveOptions, TraceFaultCurve } from './trace/stack-curve.js';
export { simulateTraceFileAtFrames, runOnCurve } from './trace/frame-sweep.js';
export type { TraceSweepOptions } from './trace/frame-sweep.js';
export { runPagerSim, parsePagerSimArguments, formatTraceReport, formatConversionReport, pagerSimUsage, PAGER_SIM_USAGE } from './cli/pager-sim.js';
export type { CommandOutput } from './cli/pager-sim.js';
export { FaultService, createPager } from './fault/pager.js';
export type { FaultServiceDependencies, PagerMmu, PagerFrameTable } from './fault/pager.js';
export { SwapStore } from './fault/swap-store.js';
export type { SwapStoreOptions } from './fault/swap-store.js';
export { policyFactory } from './policies/registry.js';

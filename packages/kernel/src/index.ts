/**
 * @packageDocumentation
 * `@pagelab/kernel`: the composition root. `createSystem(config)` wires pagelab's packages
 * (or a lab's replacements) into one simulated machine that runs 68000 programs and
 * synthetic processes under a chosen replacement policy, I/O buffer strategy and
 * instruction-restart strategy.
 */
export { createSystem, type ReplacementParts } from './create-system.js';
export { System, type PartNames, type ProcessReport, type ProcessStatus, type RestartCounts, type RunEnd, type RunOptions, type RunReport } from './system.js';
export type { IoMeasurements } from './io-meter.js';
export { signalForVector, signalNumber, type LinuxSignal, type SignalCause } from './signals.js';
export { SupervisorSpace } from './supervisor-space.js';
export {
  defaultSystemConfig,
  defaultTickInterval,
  parseSystemConfig,
  showValue,
  systemConfigChoices,
  systemConfigLimits,
  type AmbiguityPolicyName,
  type SystemConfig,
} from './config.js';
export { costModel, defaultCostModel } from './costs.js';
export { defaultLoadControl, loadControlRules, type LoadControlCounts, type LoadControlRule, type LoadControlSettings } from './load-control.js';
export { leakKinds, type LeakKind, type LeakLocksSettings } from './lock-leaks.js';
export {
  frameTableEntryBytes,
  frameTablePagesFor,
  kernelPagesModes,
  pageTableEntryBytes,
  type KernelMemoryReport,
  type KernelPagesMode,
  type KernelPanicReport,
} from './kernel-pages.js';
export { leaksByFrame, type LeakedFrame, type LeakedLock, type LeakSample, type LockLeakReport, type LockReasonName } from './lock-audit.js';
export type { PartOrigins, SystemParts } from './parts.js';
export { defaultParts } from './default-parts.js';
export type { ProgramImage, ImageSegment } from './program-image.js';
export { syntheticPageLimit } from './layout.js';
export { checkSyntheticSpec, MAX_SYNTHETIC_REFERENCES, type SyntheticSpec, type ReferencePattern } from './synthetic.js';
export { runPagerSim as runTraceCommand } from '@pagelab/pager';
// The trace simulator's pieces, for `pagelab trace` with lists of policies and frame counts and a lab's policy.
export {
  simulateTraceFile,
  simulateTraceFileAtFrames,
  formatTraceReport,
  pagerSimUsage,
  replacementPolicyNames,
  traceFormats,
  DEFAULT_PAGE_SIZE,
  DEFAULT_TICK_INTERVAL,
  MAX_TRACE_FRAMES,
  type TraceFormat,
  type TraceRunOptions,
  type TraceRunResult,
  type TraceSweepOptions,
} from '@pagelab/pager';
export { checkSeamPart } from './seam-check.js';
/** Real 68000 fault frames for the restart-strategy conformance suite (`pagelab conform`). */
export { faultEveryReference } from '@pagelab/cpu-m68k';
// The 68000 C runtime and compile recipe, for `pagelab cc`.
export { m68kRuntime, type M68kRuntime } from '@pagelab/cpu-m68k';
// What the CLI needs from the contracts, so that it depends on the kernel alone.
export {
  ConfigurationError,
  PagelabError,
  isPagelabError,
  formatCount,
  ScenarioError,
  specificationVersion,
  type Bus,
  type ByteSource,
  seamNames,
  seamSpecificationVersions,
  type PartFactories,
  type SeamFactories,
  type SeamName,
  type IoStrategyName,
  type RestartStrategyName,
  type RunStatistics,
  type SystemEvent,
  type ComparisonRunResult,
  type RunResult,
} from '@pagelab/contracts';

/**
 * @packageDocumentation
 * Contract test suites. A package (ours or a lab's replacement) proves it fits its seam by
 * calling the suite for that seam from one of its own test files.
 */
export { SimulatedTime } from './simulated-time.js';
export { describeDmaControllerConformance, dmaControllerConformanceSuite, dmaWiringOf, type DmaTestRig } from './dma.js';
export {
  auditIoCosts,
  carryOut,
  costDisagreements,
  describeIoBufferStrategyConformance,
  ioBufferStrategyConformanceSuite,
  IoTestMachine,
  type IoCostAudit,
} from './io-buffers.js';
export {
  ArrayUsageBits,
  describeReplacementPolicyConformance,
  replacementPolicyConformanceSuite,
  type KnownAnswer,
  type ReplacementPolicyConformanceOptions,
} from './replacement-policy.js';
export { describeMmuConformance, mmuConformanceSuite } from './mmu.js';
export { describeFrameTableConformance, frameTableConformanceSuite } from './frame-table.js';
export type { ConformanceCase, ConformanceSuite, TestVisibility } from './suite.js';
export { describeConformanceSuite } from './vitest-binding.js';
export {
  describeRestartStrategyConformance,
  restartStrategyConformanceSuite,
  type BenchFault,
  type BenchInstruction,
  type BenchOutcome,
  type FaultBench,
  type RestartStrategyCapabilities,
  type RestartStrategyConformanceOptions,
} from './restart-strategy.js';
export { runConformanceSuite, type CaseResult, type SuiteReport } from './runner/run-suite.js';
export { toGradescopeResults, type GradescopeResults, type GradescopeTest } from './runner/gradescope.js';
export { formatSuiteReport } from './runner/text-report.js';
export { describePagerConformance, pagerConformanceSuite } from './pager.js';
export { PagerTestClock, PagerTestFrameTable, PagerTestImages, PagerTestMmu, PagerTestSwap, pagerTestCosts } from './pager-machine.js';
export { ConformanceModuleError, importPartModule } from './runner/load-module.js';
export {
  conformSeam,
  conformSeamNames,
  loadExtraTests,
  prepareConformance,
  suiteForModule,
  type ConformHost,
  type ConformSeamName,
  type ExtraTest,
  type ExtraTestKit,
} from './runner/seams.js';

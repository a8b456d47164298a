/**
 * @packageDocumentation
 * Contract test suites. A package (ours or a lab's replacement) proves it fits its seam by
 * calling the suite for that seam from one of its own test files.
 */
export { SimulatedTime } from './simulated-time.js';
export { describeDmaControllerConformance, type DmaTestRig } from './dma.js';
export {
  auditIoCosts,
  carryOut,
  costDisagreements,
  describeIoBufferStrategyConformance,
  IoTestMachine,
  type IoCostAudit,
} from './io-buffers.js';
export {
  ArrayUsageBits,
  describeReplacementPolicyConformance,
  type KnownAnswer,
  type ReplacementPolicyConformanceOptions,
} from './replacement-policy.js';
export { describeMmuConformance } from './mmu.js';
export { describeFrameTableConformance } from './frame-table.js';

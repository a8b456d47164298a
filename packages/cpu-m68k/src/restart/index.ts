/**
 * @packageDocumentation
 * Instruction-restart strategies: how an OS backs up a faulting 68000 instruction.
 */
export { createContinueStrategy, createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
export { createSoftwareStrategy, type SoftwareStrategyOptions } from './software.js';
export { InstructionReplay, type ReplayFault } from './replay.js';
export { refusePolicy, lowestStartPolicy, highestStartPolicy, AMBIGUITY_POLICIES, resolveAmbiguity, applyRestart } from './policies.js';
export { createRestartStrategy } from './create.js';

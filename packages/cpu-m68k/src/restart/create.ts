import type { CpuModelName, RestartStrategy, RestartStrategyName } from '@pagelab/contracts';
import { createContinueStrategy, createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';

/**
 * The strategy with the given name (how a system configuration picks one), for faults from
 * `cpuModel` (default `m68000`; the software strategy replays that model's rules).
 */
export function createRestartStrategy(name: RestartStrategyName, cpuModel: CpuModelName = 'm68000'): RestartStrategy {
  switch (name) {
    case 'hardware':
      return createHardwareStrategy();
    case 'software':
      return createSoftwareStrategy({ cpuModel });
    case 'none':
      return createNoRestartStrategy();
    case 'continue':
      return createContinueStrategy();
  }
}

import type { RestartStrategy, RestartStrategyName } from '@pagelab/contracts';
import { createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';

/** The strategy with the given name (how a system configuration picks one). */
export function createRestartStrategy(name: RestartStrategyName): RestartStrategy {
  switch (name) {
    case 'hardware':
      return createHardwareStrategy();
    case 'software':
      return createSoftwareStrategy();
    case 'none':
      return createNoRestartStrategy();
  }
}

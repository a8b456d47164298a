import { specificationVersion, SpecificationMismatchError } from '@pagelab/contracts';
import { parseSystemConfig } from './config.js';
import { defaultParts } from './default-parts.js';
import type { SystemParts } from './parts.js';
import { System } from './system.js';

/**
 * Builds a system from a configuration (checked, and completed with defaults) and, for any
 * part given in `replace`, the caller's own implementation of that part's contract instead of
 * pagelab's. `replace.specificationVersion`, when given, must share the contracts' major version.
 */
export function createSystem(config: unknown, replace: Partial<SystemParts> & { specificationVersion?: string } = {}): System {
  const { specificationVersion: wanted, ...parts } = replace;
  if (wanted !== undefined && wanted.split('.')[0] !== specificationVersion.split('.')[0]) {
    throw new SpecificationMismatchError(`a replacement implements contracts ${wanted}, but this kernel uses ${specificationVersion}`);
  }
  return new System(parseSystemConfig(config), { ...defaultParts, ...parts });
}

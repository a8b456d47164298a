import { specificationVersion, SpecificationMismatchError, type PartFactories, type SeamName } from '@pagelab/contracts';
import { parseSystemConfig } from './config.js';
import { defaultParts } from './default-parts.js';
import type { PartOrigins, SystemParts } from './parts.js';
import { System } from './system.js';

/** A caller's own implementations, by seam, and where they came from (for error messages). */
export interface ReplacementParts {
  /** Factories that replace pagelab's own, keyed by seam name (the factory types of `SeamFactories`). */
  readonly parts?: PartFactories;
  /** Where each replaced part came from (a module path); defaults to `caller`. */
  readonly origins?: PartOrigins;
  /** The contracts version the caller was written against; its major must match. */
  readonly specificationVersion?: string;
}

/**
 * Builds a system from a configuration (checked, and completed with defaults) and, for any
 * seam in `replace.parts`, the caller's own implementation instead of pagelab's. Every part,
 * built-in or not, must declare its seam's specification version (`seamSpecificationVersions`);
 * a mismatch is a `SpecificationMismatchError` naming the seam, the version needed and the one
 * got. `replace` may also give lower-level `SystemParts` members directly.
 */
export function createSystem(config: unknown, replace: ReplacementParts & Partial<SystemParts> = {}): System {
  const { specificationVersion: wanted, parts = {}, origins = {}, ...direct } = replace;
  if (wanted !== undefined && wanted.split('.')[0] !== specificationVersion.split('.')[0]) {
    throw new SpecificationMismatchError(`a replacement implements contracts ${wanted}, but this kernel uses ${specificationVersion}`);
  }
  const checked = parseSystemConfig(config);
  const fromSeams: { -readonly [K in keyof SystemParts]?: SystemParts[K] } = {};
  const policy = parts['replacement-policy'];
  if (policy) fromSeams.replacementPolicy = () => policy;
  if (parts.pager) fromSeams.createPager = parts.pager;
  const restart = parts['restart-strategy'];
  if (restart) fromSeams.restartStrategy = () => restart({ cpuModel: checked.cpuModel });
  const io = parts['io-strategy'];
  if (io) fromSeams.ioStrategy = (_name, options) => io(options);
  if (parts['frame-table']) fromSeams.createFrameTable = parts['frame-table'];
  if (parts.mmu) fromSeams.createMmu = parts.mmu;
  if (parts.dma) fromSeams.createDma = parts.dma;
  const named: { [S in SeamName]?: string } = {};
  for (const seam of Object.keys(parts) as SeamName[]) named[seam] = origins[seam] ?? 'caller';
  return new System(checked, { ...defaultParts, ...direct, ...fromSeams }, named);
}

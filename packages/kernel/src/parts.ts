import type {
  AmbiguityPolicy,
  BackingStore,
  CostModel,
  Cpu,
  CpuModelName,
  CpuOptions,
  DmaControllerFactory,
  FrameTableFactory,
  IoBufferStrategy,
  IoStrategyName,
  MmuFactory,
  PagerFactory,
  ReplacementPolicyFactory,
  ReplacementPolicyName,
  RestartStrategy,
  RestartStrategyName,
  SimulatedClock,
  SeamName,
} from '@pagelab/contracts';
import type { AmbiguityPolicyName } from './config.js';
import type { ProgramImage } from './program-image.js';

/**
 * The implementations a system is built from. `createSystem` uses pagelab's own packages for
 * every part not given; a lab passes its own object for the part it replaced, and it is wired
 * exactly the same way.
 */
export interface SystemParts {
  readonly createMmu: MmuFactory;
  readonly createFrameTable: FrameTableFactory;
  readonly createPager: PagerFactory;
  readonly replacementPolicy: (name: ReplacementPolicyName, seed: number) => ReplacementPolicyFactory;
  readonly createBackingStore: (options: { pageSize: number; slots: number; clock: SimulatedClock; costs: CostModel }) => BackingStore;
  readonly createCpu: (options: CpuOptions) => Cpu;
  readonly restartStrategy: (name: RestartStrategyName, cpuModel: CpuModelName) => RestartStrategy;
  readonly ambiguityPolicy: (name: AmbiguityPolicyName) => AmbiguityPolicy;
  readonly createDma: DmaControllerFactory;
  readonly ioStrategy: (name: IoStrategyName, options: { copyCyclesPerByte: number; whenPoolFull: 'wait' | 'fail' }) => IoBufferStrategy;
  /** Parses an executable into a demand-pageable image (throws an `ElfFormatError` for a bad one). */
  readonly loadProgram: (bytes: Uint8Array, source: string) => ProgramImage;
}

/** Where each part came from, for error messages: `pagelab` for the built-in ones, a module path for a lab's. */
export type PartOrigins = { readonly [S in SeamName]?: string };

import type {
  AmbiguityPolicy,
  BackingStore,
  CostModel,
  Cpu,
  CpuOptions,
  DmaController,
  EventQueue,
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
  TransferListener,
} from '@pagelab/contracts';
import type { AmbiguityPolicyName } from './config.js';
import type { ProgramImage } from './program-image.js';

/** What a DMA controller is wired to. */
export interface DmaWiring {
  readonly memory: Uint8Array;
  readonly clock: SimulatedClock;
  readonly events: EventQueue;
  readonly listener: TransferListener;
  readonly channels: number;
  readonly burstBytes: number;
  readonly burstInterval: number;
}

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
  readonly restartStrategy: (name: RestartStrategyName) => RestartStrategy;
  readonly ambiguityPolicy: (name: AmbiguityPolicyName) => AmbiguityPolicy;
  readonly createDma: (wiring: DmaWiring) => DmaController;
  readonly ioStrategy: (name: IoStrategyName, options: { copyCyclesPerByte: number; whenPoolFull: 'wait' | 'fail' }) => IoBufferStrategy;
  /** Parses an executable into a demand-pageable image (throws an `ElfFormatError` for a bad one). */
  readonly loadProgram: (bytes: Uint8Array, source: string) => ProgramImage;
}

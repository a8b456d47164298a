import type { EventQueue, SimulatedClock } from './time.js';
import type { CpuModelName, RestartStrategy } from './cpu.js';
import type { DmaController, TransferListener } from './dma.js';
import type { FrameTableFactory } from './frames.js';
import type { IoBufferStrategy } from './io.js';
import type { MmuFactory } from './mmu.js';
import type { PagerFactory } from './pager.js';
import type { ReplacementPolicyFactory } from './replacement.js';

/**
 * The replaceable parts of a pagelab system, by the name a scenario's `parts`, `--part SEAM=...`
 * and `pagelab conform SEAM` use.
 */
export type SeamName =
  | 'replacement-policy'
  | 'pager'
  | 'restart-strategy'
  | 'io-strategy'
  | 'frame-table'
  | 'mmu'
  | 'dma';

/**
 * The specification version each seam's contract is at. Every implementation carries the version
 * it was written against as `specificationVersion`; the kernel refuses one that differs, with a
 * line naming the seam, the version it needs and the one it got. A seam's number changes when its
 * interface changes in a way an existing implementation would get wrong.
 */
export const seamSpecificationVersions = {
  'replacement-policy': 1,
  pager: 1,
  'restart-strategy': 1,
  'io-strategy': 1,
  'frame-table': 1,
  mmu: 1,
  dma: 1,
} as const satisfies Record<SeamName, number>;

/** Every seam name, in the order documentation lists them. */
export const seamNames = Object.keys(seamSpecificationVersions) as readonly SeamName[];

/** The version an implementation of seam `S` declares. */
export type SeamVersion<S extends SeamName> = (typeof seamSpecificationVersions)[S];

/** What the kernel hands an I/O buffer strategy's factory. */
export interface IoStrategyOptions {
  /** Cycles the kernel charges per byte a bounce copy moves (informational: the kernel measures copies itself). */
  readonly copyCyclesPerByte: number;
  /** When the bounce pool is exhausted: wait for a buffer, or fail the system call. */
  readonly whenPoolFull: 'wait' | 'fail';
}

/** Builds an I/O buffer strategy for one system. */
export type IoStrategyFactory = (options: IoStrategyOptions) => IoBufferStrategy;

/** What the kernel hands a restart strategy's factory. */
export interface RestartStrategyOptions {
  /** The CPU model faults come from: only `m68010-hidden` fills in the hidden restart record. */
  readonly cpuModel: CpuModelName;
}

/** Builds the instruction-restart strategy for one system. */
export type RestartStrategyFactory = (options: RestartStrategyOptions) => RestartStrategy;

/** What a DMA controller is wired to. */
export interface DmaWiring {
  /** Physical memory, which the controller writes by physical address. */
  readonly memory: Uint8Array;
  readonly clock: SimulatedClock;
  readonly events: EventQueue;
  /** Told of every burst and every completion (the kernel's ownership watch and wake-ups). */
  readonly listener: TransferListener;
  readonly channels: number;
  readonly burstBytes: number;
  /** Cycles between bursts. */
  readonly burstInterval: number;
}

/** Builds the DMA controller for one system. */
export type DmaControllerFactory = (wiring: DmaWiring) => DmaController;

/** Each seam's factory type: what a part module's default export must be. */
export interface SeamFactories {
  'replacement-policy': ReplacementPolicyFactory;
  pager: PagerFactory;
  'restart-strategy': RestartStrategyFactory;
  'io-strategy': IoStrategyFactory;
  'frame-table': FrameTableFactory;
  mmu: MmuFactory;
  dma: DmaControllerFactory;
}

/** Factories a caller supplies in place of pagelab's own, by seam. */
export type PartFactories = { readonly [S in SeamName]?: SeamFactories[S] };

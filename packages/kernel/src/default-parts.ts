import { AMBIGUITY_POLICIES, createCpu, createRestartStrategy, loadElfImage } from '@pagelab/cpu-m68k';
import { BurstDmaController } from '@pagelab/dma';
import { createFrameTable } from '@pagelab/frame-table';
import { createIoStrategy } from '@pagelab/io-buffers';
import { createMmu } from '@pagelab/mmu';
import { createPager, policyFactory, SwapStore } from '@pagelab/pager';
import type { SystemParts } from './parts.js';

/** pagelab's own implementation of every part. */
export const defaultParts: SystemParts = {
  createMmu,
  createFrameTable,
  createPager,
  replacementPolicy: (name, seed) => policyFactory(name, { seed }),
  createBackingStore: (options) => new SwapStore(options),
  createCpu,
  restartStrategy: createRestartStrategy,
  ambiguityPolicy: (name) => AMBIGUITY_POLICIES[name]!,
  createDma: (wiring) => new BurstDmaController(wiring),
  ioStrategy: createIoStrategy,
  loadProgram: loadElfImage,
};

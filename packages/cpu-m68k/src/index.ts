/**
 * @packageDocumentation
 * `@pagelab/cpu-m68k`: a 68000 interpreter that can be stopped partway through an
 * instruction when a memory reference faults, leaving exactly the state the chosen CPU model
 * leaves, plus a flat-memory bus for standalone use. The SingleStepTests reader and runner
 * are at the `@pagelab/cpu-m68k/sst` subpath (they read files).
 */
export { createCpu, M68000, decode, getDecoderTable, isAssignedOpcode, type Handler } from './core/index.js';
export { FlatBus } from './bus/index.js';
export { loadElfImage, type ElfImage, type ElfLoadOptions, type ElfSegment } from './elf/index.js';

/**
 * @packageDocumentation
 * `@pagelab/cpu-m68k`: a 68000 interpreter that can be stopped partway through an
 * instruction when a memory reference faults, leaving exactly the state the chosen CPU model
 * leaves; the OS-side restart strategies that back such an instruction up; a disassembler; an
 * ELF loader; a standalone runner for Linux m68k programs; and a small C runtime (in the
 * package's `runtime/` directory) for compiling programs to run on them. The SingleStepTests
 * reader and runner are at the `@pagelab/cpu-m68k/sst` subpath (they read files). The fault
 * bench (`faultReference`, `faultEveryReference`) produces real fault frames for testing
 * restart strategies.
 */
export { createCpu, M68000, decode, getDecoderTable, isAssignedOpcode, type Handler } from './core/index.js';
export { FlatBus } from './bus/index.js';
export { loadElfImage, copyImage, type ElfImage, type ElfLoadOptions, type ElfSegment } from './elf/index.js';
export * from './disasm/index.js';
export * from './restart/index.js';
export * from './runner/index.js';
export {
  faultReference,
  faultEveryReference,
  faultInstruction,
  NthReferenceFaultBus,
  FAULT_BENCH_MEMORY,
  FAULT_BENCH_STACK,
  FAULT_BENCH_STATUS,
  type BenchInstruction,
  type FaultedInstruction,
  type InstructionOutcome,
} from './testing/fault-bench.js';
export { m68kRuntime, type M68kRuntime } from './toolchain/runtime.js';

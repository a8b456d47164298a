/**
 * @packageDocumentation
 * pagelab's MMU: per-address-space page tables, a tagged set-associative TLB, referenced and
 * modified bits, protection, and a `Bus` that runs a CPU through it all.
 */
export { PagedMmu, createMmu } from './mmu.js';
export { MmuBus } from './mmu-bus.js';
export { createPhysicalMemory } from './physical-memory.js';
export { resolveMmuOptions, type MmuConfig } from './options.js';

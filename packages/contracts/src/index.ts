/**
 * @packageDocumentation
 * The typed seams of pagelab. Every implementation package depends on this one only; the
 * kernel wires implementations together through these interfaces, which is what lets a lab
 * replace one package with its own.
 */
export * from './version.js';
export * from './access.js';
export * from './errors.js';
export * from './bus.js';
export * from './cpu.js';
export * from './time.js';
export * from './dma.js';
export * from './io.js';
export * from './events.js';
export * from './memory.js';
export * from './mmu.js';
export * from './frames.js';
export * from './replacement.js';
export * from './pager.js';
export * from './linux-abi.js';
export * from './seams.js';
export * from './results.js';
export * from './counts.js';

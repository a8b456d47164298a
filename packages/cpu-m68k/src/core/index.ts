/**
 * @packageDocumentation
 * The 68000 interpreter core: the CPU, its generated decoder and its cycle tables.
 */
export { createCpu, M68000 } from './cpu.js';
export { decode, getDecoderTable, isAssignedOpcode } from './decoder.js';
export type { Handler } from './handler.js';

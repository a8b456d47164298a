import type { M68000 } from './cpu.js';

/** One decoded opcode: everything the opcode word encodes is captured, so the handler only runs it. */
export type Handler = (cpu: M68000) => void;

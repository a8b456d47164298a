/**
 * A Linux-like user process for a static 68000 executable on a flat 16 MiB memory: the image
 * copied in, a user stack laid out as the kernel lays it out, exception vectors that stop the
 * CPU instead of running off into zeros, and the CPU in user mode at the entry point.
 */
import type { Bus, Cpu, CpuEngine, CpuModelName } from '@pagelab/contracts';
import { FlatBus } from '../bus/flat-bus.js';
import { createCpu } from '../core/index.js';
import { copyImage } from '../elf/copy-image.js';
import type { ElfImage } from '../elf/elf-image.js';
import { processLayout, type ProcessLayout } from './syscalls.js';

/** The size of the flat memory: the 68000's whole 24-bit address space. */
export const MEMORY_SIZE = 0x100_0000;
/** The initial user stack pointer's ceiling: the top page is left unused. */
export const USER_STACK_TOP = MEMORY_SIZE - 0x1000;
/** The top of memory held for the stack: the program break may not grow into it, and system calls accept pointers into it. */
export const STACK_BYTES = 0x4_0000;
/** A small supervisor stack for the exception stubs (below the first page of text). */
const SUPERVISOR_STACK_TOP = 0x0c00;
/** Where the exception stubs live: stub v (4 bytes, `stop #0x2700`) is vector v's handler. */
export const EXCEPTION_STUBS = 0x0400;
const VECTOR_COUNT = 64;

/** A process ready to run. */
export interface LinuxProcess {
  readonly cpu: Cpu;
  /** The flat memory under the CPU's bus (the host reads and writes it for system calls). */
  readonly memory: Uint8Array;
  /** The bus the CPU was given (the flat bus, or what `wrapBus` made of it). */
  readonly bus: Bus;
  /** Where the segments, the heap and the stack are, for the system calls. */
  readonly layout: ProcessLayout;
}

/** Options for {@link createLinuxProcess}. */
export interface LinuxProcessOptions {
  readonly model: CpuModelName;
  /** The program name put in argv[0]. */
  readonly programName?: string;
  /** Wraps the flat bus (fault injection does this); the CPU sees the result. */
  readonly wrapBus?: (flat: FlatBus) => Bus;
  /** Stop on bus faults for the host (true) rather than taking the bus-error exception. */
  readonly hostFaults?: boolean;
  /** How the CPU executes instructions (default: the translator). */
  readonly engine?: CpuEngine;
  /** Block entries before the translator compiles a block (default: the CPU's). */
  readonly translateThreshold?: number;
}

function put32(memory: Uint8Array, address: number, value: number): void {
  memory[address] = value >>> 24;
  memory[address + 1] = (value >>> 16) & 0xff;
  memory[address + 2] = (value >>> 8) & 0xff;
  memory[address + 3] = value & 0xff;
}

/**
 * Lays out the initial user stack as Linux does for a static binary, growing down from
 * {@link USER_STACK_TOP}: the argv[0] string, then (at the final SP) argc = 1, argv[0],
 * NULL, an empty envp (NULL), and an auxiliary vector holding only AT_NULL.
 */
function setUpStack(memory: Uint8Array, programName: string): number {
  const name = new TextEncoder().encode(`${programName}\0`);
  let sp = USER_STACK_TOP - name.length;
  const nameAddress = sp;
  memory.set(name, nameAddress);
  sp &= ~3;
  const words = [1, nameAddress, 0, 0, 0, 0]; // argc, argv[0], argv NULL, envp NULL, AT_NULL pair
  sp -= words.length * 4;
  words.forEach((w, i) => put32(memory, sp + i * 4, w));
  return sp;
}

/** Loads `image` into a fresh 16 MiB memory and returns a CPU poised at its entry in user mode. */
export function createLinuxProcess(image: ElfImage, options: LinuxProcessOptions): LinuxProcess {
  const flat = new FlatBus(MEMORY_SIZE);
  const memory = flat.memory;
  copyImage(image, memory);
  // Every vector points at its own `stop #0x2700`: an exception the program takes (illegal
  // instruction, zero divide, a bus error when faults are not the host's) stops the CPU at a
  // PC that names the vector, and the runner reports it.
  put32(memory, 0, SUPERVISOR_STACK_TOP);
  for (let v = 1; v < VECTOR_COUNT; v++) {
    const stub = EXCEPTION_STUBS + v * 4;
    put32(memory, v * 4, stub);
    put32(memory, stub, 0x4e722700);
  }
  const bus = options.wrapBus ? options.wrapBus(flat) : flat;
  const cpu = createCpu({ model: options.model, bus, hostTraps: true, hostFaults: options.hostFaults ?? true, ...(options.engine !== undefined ? { engine: options.engine } : {}), ...(options.translateThreshold !== undefined ? { translateThreshold: options.translateThreshold } : {}) });
  const state = cpu.state;
  state.registers.fill(0);
  state.ssp = SUPERVISOR_STACK_TOP;
  state.sr = 0x0000; // user mode, interrupts enabled, flags clear
  state.registers[15] = setUpStack(memory, options.programName ?? 'a.out');
  state.usp = state.registers[15] ?? 0;
  cpu.resumeAt(image.entry);
  return { cpu, memory, bus, layout: processLayout(image, MEMORY_SIZE, STACK_BYTES) };
}

/** The vector whose stub a CPU stopped in, or -1 if the PC is not just past a stub's STOP. */
export function stubVector(pc: number): number {
  const offset = pc - 4 - EXCEPTION_STUBS;
  if (offset < 4 || offset >= VECTOR_COUNT * 4 || offset % 4 !== 0) return -1;
  return offset / 4;
}

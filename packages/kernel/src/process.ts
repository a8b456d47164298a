import type { Cpu, DmaDevice } from '@pagelab/contracts';
import type { LinuxSignal } from './signals.js';
import type { ReferenceGenerator, SyntheticSpec } from './synthetic.js';

/**
 * Where a process is in its life. `suspended`: load control holds it out of memory's competition
 * (a process it suspends while running or blocked gets there when it would have become ready).
 */
export type ProcessState = 'ready' | 'running' | 'blocked' | 'suspended' | 'exited';

/** An open file: a device and a position on it. */
export interface OpenFile {
  readonly device: DmaDevice;
  /** The file's path, or the stream's name. */
  readonly name: string;
  position: number;
  readonly readable: boolean;
  readonly writable: boolean;
}

/** What a process is running: real 68000 code, or a synthetic reference string. */
export type ProcessBody =
  | { readonly kind: 'program'; readonly cpu: Cpu }
  | {
      readonly kind: 'synthetic';
      readonly spec: SyntheticSpec;
      readonly generator: ReferenceGenerator;
      readonly base: number;
      referencesDone: number;
      /** The reference that made the I/O count has faulted: the read is issued once its page is in. */
      ioDue: boolean;
      /** A reference whose fault had to wait for a frame (its address, and whether it writes), made again first; null if none. */
      retry: { readonly address: number; readonly write: boolean } | null;
    };

/** A process: an address space, a priority, open files, and its body. */
export class Process {
  state: ProcessState = 'ready';
  /** Exit status once exited normally. */
  exitStatus: number | null = null;
  /** Why the kernel killed it, if it did. */
  killedBecause: string | null = null;
  /** The signal it was killed with, if it was. */
  signal: LinuxSignal | null = null;
  /** Program break (end of the heap), for brk. */
  brk = 0;
  /** The pin holding the frame of a page-in in progress while the process sleeps on it, or -1. */
  pageInPin = -1;
  /** Pages it has faulted in (its footprint, for the OOM killer). */
  readonly pagesTouched = new Set<number>();
  /** Page faults its own references took (pages a system call faulted in on its behalf not included). */
  pageFaults = 0;
  /** Simulated cycle at which it exited or was killed, or null while it lives. */
  endedAt: number | null = null;
  /**
   * When the pager was last told this process was dispatched (or suspended), which is when its
   * fresh-page locks are due to go; -1 before the first time. With `faultedSinceDispatch`, the
   * leak audit's test of a fresh-page lock still held.
   */
  dispatchedAt = -1;
  /** Whether a page of its address space was brought in since {@link dispatchedAt}. */
  faultedSinceDispatch = false;
  /** When the first page-in since {@link dispatchedAt} began (meaningful once `faultedSinceDispatch`). */
  firstFaultAfterDispatchAt = -1;
  /** Whether its address space has been destroyed and its frames given back. */
  memoryReleased = false;
  /** Faults taken in a row without completing an instruction (livelock guard). */
  faultsWithoutProgress = 0;
  /** Open files by descriptor. */
  readonly files: (OpenFile | null)[] = [];

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly priority: number,
    readonly addressSpace: number,
    readonly body: ProcessBody,
    /** Everything the process wrote to its standard output. */
    readonly stdout: { readonly output: Uint8Array },
    /** Everything it wrote to its standard error. */
    readonly stderr: { readonly output: Uint8Array },
  ) {}

  /** The lowest free descriptor, for open. */
  freeDescriptor(): number {
    const index = this.files.indexOf(null);
    return index < 0 ? this.files.length : index;
  }
}

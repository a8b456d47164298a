/**
 * The Linux signals the kernel kills a process with. There are no user signal handlers in
 * pagelab, so every signal a program earns is fatal, as an uncaught one is on Linux.
 */
export type LinuxSignal = 'SIGILL' | 'SIGTRAP' | 'SIGBUS' | 'SIGFPE' | 'SIGKILL' | 'SIGSEGV';

/** Linux's numbers for them (the same on m68k as on every other port): a shell reports 128 + n. */
export const signalNumber: Readonly<Record<LinuxSignal, number>> = { SIGILL: 4, SIGTRAP: 5, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11 };

/** A fatal signal and the reason shown with it. */
export interface SignalCause {
  readonly signal: LinuxSignal;
  readonly reason: string;
}

/**
 * What Linux/m68k sends for a 68000 exception a user program raised, by vector number: the
 * mapping of its `trap_c` (arch/m68k/kernel/traps.c), which qemu-m68k's user mode copies.
 * TRAP #0 is the system call and never gets here.
 */
export function signalForVector(vector: number): SignalCause {
  switch (vector) {
    case 2:
      return { signal: 'SIGSEGV', reason: 'bus error' };
    case 3:
      return { signal: 'SIGBUS', reason: 'address error' };
    case 4:
      return { signal: 'SIGILL', reason: 'illegal instruction' };
    case 5:
      return { signal: 'SIGFPE', reason: 'integer divide by zero' };
    case 6:
      return { signal: 'SIGFPE', reason: 'CHK: register out of bounds' };
    case 7:
      return { signal: 'SIGFPE', reason: 'TRAPV: overflow' };
    case 8:
      return { signal: 'SIGILL', reason: 'privileged instruction in user mode' };
    case 9:
      return { signal: 'SIGTRAP', reason: 'trace' };
    case 10:
      return { signal: 'SIGILL', reason: 'line-A (1010) opcode' };
    case 11:
      return { signal: 'SIGILL', reason: 'line-F (1111) opcode' };
    case 47:
      return { signal: 'SIGTRAP', reason: 'breakpoint (trap #15)' };
    default:
      if (vector > 32 && vector < 47) return { signal: 'SIGILL', reason: `trap #${vector - 32} has no handler` };
      if (vector >= 24 && vector < 32) return { signal: 'SIGKILL', reason: `unexpected interrupt (vector ${vector})` };
      return { signal: 'SIGILL', reason: `unexpected exception vector ${vector}` };
  }
}

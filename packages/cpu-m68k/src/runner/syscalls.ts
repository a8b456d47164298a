/**
 * The handful of Linux/m68k system calls the fixtures use, served by the host when the CPU
 * stops on `TRAP #0`: the call number in D0, arguments in D1..D3, the result or -errno in D0.
 */
import type { Cpu } from '@pagelab/contracts';

/** Linux/m68k system-call numbers. */
export const SYS_EXIT = 1;
export const SYS_READ = 3;
export const SYS_WRITE = 4;
/** exit_group on Linux/m68k (what the fixtures and qemu-m68k use). */
export const SYS_EXIT_GROUP = 247;
/** Also served as exit_group: i386's number, which pagelab's design notes list for exit_group. */
export const SYS_EXIT_GROUP_ALT = 252;

const EBADF = 9;
const EFAULT = 14;
const ENOSYS = 38;

/** Where system calls find their input and put their output. */
export interface ProcessIo {
  /** The whole of standard input. */
  readonly stdin: Uint8Array;
  /** How much of stdin `read` has consumed. */
  stdinOffset: number;
  /** Receives what the program writes to fd 1 and fd 2. */
  write(fd: 1 | 2, bytes: Uint8Array): void;
}

/** What a system call did: the process goes on, or it exited with a status. */
export type SyscallOutcome = { readonly kind: 'continue' } | { readonly kind: 'exit'; readonly status: number };

const CONTINUE: SyscallOutcome = { kind: 'continue' };

/**
 * Serves the system call the CPU stopped on. `memory` is the process's flat memory: the
 * kernel copies to and from user buffers directly (a pointer outside it gets -EFAULT).
 */
export function serveSyscall(cpu: Cpu, memory: Uint8Array, io: ProcessIo): SyscallOutcome {
  const regs = cpu.state.registers;
  const number = regs[0] ?? 0;
  const a1 = regs[1] ?? 0;
  const a2 = regs[2] ?? 0;
  const a3 = regs[3] ?? 0;
  const result = (value: number): SyscallOutcome => {
    regs[0] = value >>> 0;
    return CONTINUE;
  };
  const inMemory = (address: number, length: number): boolean => address + length <= memory.length;
  switch (number) {
    case SYS_EXIT:
    case SYS_EXIT_GROUP:
    case SYS_EXIT_GROUP_ALT:
      return { kind: 'exit', status: a1 & 0xff };
    case SYS_READ: {
      if (a1 !== 0) return result(-EBADF);
      if (!inMemory(a2, a3)) return result(-EFAULT);
      const n = Math.min(a3, io.stdin.length - io.stdinOffset);
      memory.set(io.stdin.subarray(io.stdinOffset, io.stdinOffset + n), a2);
      io.stdinOffset += n;
      return result(n);
    }
    case SYS_WRITE: {
      if (a1 !== 1 && a1 !== 2) return result(-EBADF);
      if (!inMemory(a2, a3)) return result(-EFAULT);
      io.write(a1, memory.slice(a2, a2 + a3));
      return result(a3);
    }
    default:
      return result(-ENOSYS);
  }
}

/**
 * The handful of Linux/m68k system calls the fixtures use, served by the host when the CPU
 * stops on `TRAP #0`: the call number in D0, arguments in D1..D3, the result or -errno in D0.
 */
import { Errno, LinuxSyscall, type ByteSource, type Cpu } from '@pagelab/contracts';

/** Also served as exit_group: i386's number, which pagelab's design notes list for exit_group. */
export const SYS_EXIT_GROUP_ALT = 252;

/** Where system calls find their input and put their output. */
export interface ProcessIo {
  /** Standard input, pulled as the program reads it. */
  readonly stdin: ByteSource;
  /** Receives what the program writes to fd 1 and fd 2. */
  write(fd: 1 | 2, bytes: Uint8Array): void;
}

/** What a system call did: the process goes on, or it exited with a status. */
export type SyscallOutcome = { readonly kind: 'continue' } | { readonly kind: 'exit'; readonly status: number };

const CONTINUE: SyscallOutcome = { kind: 'continue' };

/**
 * Serves the system call the CPU stopped on. `memory` is the process's flat memory: the
 * kernel copies to and from user buffers directly (a pointer outside it gets -Errno.EFAULT).
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
  switch (number as LinuxSyscall) {
    case LinuxSyscall.Exit:
    case LinuxSyscall.ExitGroup:
    case SYS_EXIT_GROUP_ALT as LinuxSyscall:
      return { kind: 'exit', status: a1 & 0xff };
    case LinuxSyscall.Read: {
      if (a1 !== 0) return result(-Errno.EBADF);
      if (!inMemory(a2, a3)) return result(-Errno.EFAULT);
      return result(io.stdin.read(memory.subarray(a2, a2 + a3)));
    }
    case LinuxSyscall.Write: {
      if (a1 !== 1 && a1 !== 2) return result(-Errno.EBADF);
      if (!inMemory(a2, a3)) return result(-Errno.EFAULT);
      io.write(a1, memory.slice(a2, a2 + a3));
      return result(a3);
    }
    // The standalone runner serves only the calls a program needs to compute and print.
    case LinuxSyscall.Open:
    case LinuxSyscall.Close:
    case LinuxSyscall.Lseek:
    case LinuxSyscall.Getpid:
    case LinuxSyscall.Brk:
    default:
      return result(-Errno.ENOSYS);
  }
}

/** A source that delivers `bytes` once, in order: standard input held in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  let position = 0;
  return {
    read(into) {
      const length = Math.min(into.length, bytes.length - position);
      into.set(bytes.subarray(position, position + length));
      position += length;
      return length;
    },
  };
}

/**
 * The Linux/m68k system calls a program run by `m68k-run` can make, served by the host when
 * the CPU stops on `TRAP #0`: the call number in D0, arguments in D1..D3, the result or
 * -errno in D0. The same calls pagelab's kernel serves: exit, exit_group, read, write, open,
 * close, lseek, getpid and brk. Any other call gets -ENOSYS, as Linux answers, and is
 * reported to the host by name so that it never fails silently.
 */
import { Errno, LinuxSyscall, type ByteSource, type Cpu } from '@pagelab/contracts';
import { MemoryFiles, OpenFlag, type ProgramFile, type ProgramFiles } from './program-files.js';

/** Also served as exit_group: i386's number, which pagelab's design notes list for exit_group. */
export const SYS_EXIT_GROUP_ALT = 252;

/** Where system calls find their input and put their output. */
export interface ProcessIo {
  /** Standard input, pulled as the program reads it. */
  readonly stdin: ByteSource;
  /** Receives what the program writes to fd 1 and fd 2. */
  write(fd: 1 | 2, bytes: Uint8Array): void;
}

/** The process's address space as the system calls see it: what a pointer may point into. */
export interface ProcessLayout {
  /** The loaded segments: [address, address + size) each. */
  readonly segments: readonly { readonly address: number; readonly memorySize: number }[];
  /** The initial program break (page-aligned, past the last segment). */
  readonly initialBreak: number;
  /** The lowest address of the stack area; the break may not grow into it. */
  readonly stackFloor: number;
  /** One past the stack's highest address. */
  readonly stackCeiling: number;
}

/** Options for {@link SystemCalls}. */
export interface SystemCallOptions {
  /** The files `open` finds (default: an empty {@link MemoryFiles}). */
  readonly files?: ProgramFiles;
  /** Told of each call the runner does not serve (it then returns -ENOSYS), with its Linux name when known. */
  readonly onUnsupported?: (number: number, name: string | null) => void;
}

/** What a system call did: the process goes on, or it exited with a status. */
export type SyscallOutcome = { readonly kind: 'continue' } | { readonly kind: 'exit'; readonly status: number };

const CONTINUE: SyscallOutcome = { kind: 'continue' };
const PAGE = 0x1000;
const MAX_DESCRIPTORS = 64;
const PATH_MAX = 4096;
const ENAMETOOLONG = 36;
/** lseek's whence values. */
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;

/** Linux/m68k names of calls a C library commonly makes, for the "not supported" report. */
const SYSCALL_NAMES: Readonly<Record<number, string>> = {
  2: 'fork',
  7: 'waitpid',
  8: 'creat',
  10: 'unlink',
  11: 'execve',
  12: 'chdir',
  13: 'time',
  33: 'access',
  37: 'kill',
  39: 'mkdir',
  41: 'dup',
  42: 'pipe',
  54: 'ioctl',
  63: 'dup2',
  90: 'mmap',
  91: 'munmap',
  106: 'stat',
  108: 'fstat',
  114: 'wait4',
  122: 'uname',
  125: 'mprotect',
  140: '_llseek',
  145: 'readv',
  146: 'writev',
  162: 'nanosleep',
  174: 'rt_sigaction',
  175: 'rt_sigprocmask',
  180: 'pread64',
  181: 'pwrite64',
  183: 'getcwd',
  191: 'ugetrlimit',
  192: 'mmap2',
  195: 'stat64',
  197: 'fstat64',
  253: 'set_tid_address',
  265: 'clock_gettime',
};

type Descriptor = { readonly kind: 'stdin' } | { readonly kind: 'out'; readonly fd: 1 | 2 } | { readonly kind: 'file'; readonly file: ProgramFile; readonly flags: number; position: number };

/** One process's system calls: its descriptor table and its program break. */
export class SystemCalls {
  private readonly descriptors: (Descriptor | null)[] = [{ kind: 'stdin' }, { kind: 'out', fd: 1 }, { kind: 'out', fd: 2 }];
  private readonly files: ProgramFiles;
  private readonly regions: readonly (readonly [number, number])[];
  private programBreak: number;

  constructor(
    private readonly io: ProcessIo,
    private readonly layout: ProcessLayout,
    private readonly options: SystemCallOptions = {},
  ) {
    this.files = options.files ?? new MemoryFiles();
    this.programBreak = layout.initialBreak;
    this.regions = layout.segments.map((s) => [Math.floor(s.address / PAGE) * PAGE, Math.ceil((s.address + s.memorySize) / PAGE) * PAGE] as const).sort((x, y) => x[0] - y[0]);
  }

  /** The current program break. */
  get currentBreak(): number {
    return this.programBreak;
  }

  /** Serves the system call the CPU stopped on, reading and writing user buffers in `memory`. */
  serve(cpu: Cpu, memory: Uint8Array): SyscallOutcome {
    const regs = cpu.state.registers;
    const number = regs[0] ?? 0;
    const a1 = regs[1] ?? 0;
    const a2 = regs[2] ?? 0;
    const a3 = regs[3] ?? 0;
    const result = (value: number): SyscallOutcome => {
      regs[0] = value >>> 0;
      return CONTINUE;
    };
    switch (number as LinuxSyscall) {
      case LinuxSyscall.Exit:
      case LinuxSyscall.ExitGroup:
      case SYS_EXIT_GROUP_ALT as LinuxSyscall:
        return { kind: 'exit', status: a1 & 0xff };
      case LinuxSyscall.Read:
        return result(this.read(memory, a1, a2, a3));
      case LinuxSyscall.Write:
        return result(this.write(memory, a1, a2, a3));
      case LinuxSyscall.Open:
        return result(this.open(memory, a1, a2, a3));
      case LinuxSyscall.Close: {
        const descriptor = this.descriptors[a1];
        if (descriptor == null) return result(-Errno.EBADF);
        if (descriptor.kind === 'file') descriptor.file.close();
        this.descriptors[a1] = null;
        return result(0);
      }
      case LinuxSyscall.Lseek:
        return result(this.lseek(a1, a2 | 0, a3));
      case LinuxSyscall.Getpid:
        return result(1);
      case LinuxSyscall.Brk:
        return result(this.brk(memory, a1));
      default:
        this.options.onUnsupported?.(number, SYSCALL_NAMES[number] ?? null);
        return result(-Errno.ENOSYS);
    }
  }

  /** Whether [address, address + length) lies wholly in the segments, the heap or the stack (all page-granular). */
  private mapped(address: number, length: number): boolean {
    const end = address + length;
    if (end > this.layout.stackCeiling) return false;
    // Walk upwards through the regions in address order; adjacent ones join up.
    let at = address;
    for (const [start, stop] of this.regions) if (start <= at && at < stop) at = stop;
    const heapEnd = Math.ceil(this.programBreak / PAGE) * PAGE;
    if (this.layout.initialBreak <= at && at < heapEnd) at = heapEnd;
    if (at >= this.layout.stackFloor) at = this.layout.stackCeiling;
    return at >= end;
  }

  private read(memory: Uint8Array, fd: number, address: number, length: number): number {
    const descriptor = this.descriptors[fd];
    if (descriptor == null || descriptor.kind === 'out' || (descriptor.kind === 'file' && (descriptor.flags & OpenFlag.accessMask) === OpenFlag.writeOnly)) return -Errno.EBADF;
    if (length === 0) return 0;
    if (!this.mapped(address, length)) return -Errno.EFAULT;
    if (descriptor.kind === 'stdin') return this.io.stdin.read(memory.subarray(address, address + length));
    const n = descriptor.file.read(memory.subarray(address, address + length), descriptor.position);
    if (n > 0) descriptor.position += n;
    return n;
  }

  private write(memory: Uint8Array, fd: number, address: number, length: number): number {
    const descriptor = this.descriptors[fd];
    if (descriptor == null || descriptor.kind === 'stdin' || (descriptor.kind === 'file' && (descriptor.flags & OpenFlag.accessMask) === OpenFlag.readOnly)) return -Errno.EBADF;
    if (length === 0) return 0;
    if (!this.mapped(address, length)) return -Errno.EFAULT;
    const bytes = memory.slice(address, address + length);
    if (descriptor.kind === 'out') {
      this.io.write(descriptor.fd, bytes);
      return length;
    }
    // O_APPEND: every write goes to the end of the file, whatever the position was.
    if ((descriptor.flags & OpenFlag.append) !== 0) descriptor.position = descriptor.file.size();
    const n = descriptor.file.write(bytes, descriptor.position);
    if (n > 0) descriptor.position += n;
    return n;
  }

  private open(memory: Uint8Array, pathAddress: number, flags: number, mode: number): number {
    let end = pathAddress;
    while (end < pathAddress + PATH_MAX && this.mapped(end, 1) && memory[end] !== 0) end++;
    if (!this.mapped(end, 1)) return -Errno.EFAULT;
    if (memory[end] !== 0) return -ENAMETOOLONG;
    if (end === pathAddress) return -Errno.ENOENT;
    const fd = this.descriptors.findIndex((d) => d === null);
    const slot = fd < 0 ? this.descriptors.length : fd;
    if (slot >= MAX_DESCRIPTORS) return -Errno.EMFILE;
    const path = new TextDecoder().decode(memory.subarray(pathAddress, end));
    const file = this.files.open(path, flags, mode);
    if (typeof file === 'number') return -file;
    this.descriptors[slot] = { kind: 'file', file, flags, position: 0 };
    return slot;
  }

  private lseek(fd: number, offset: number, whence: number): number {
    const descriptor = this.descriptors[fd];
    if (descriptor == null) return -Errno.EBADF;
    if (descriptor.kind !== 'file') return -Errno.ESPIPE;
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? descriptor.position : whence === SEEK_END ? descriptor.file.size() : NaN;
    const position = base + offset;
    if (!(position >= 0)) return -Errno.EINVAL;
    descriptor.position = position;
    return position;
  }

  /**
   * Linux's brk: moves the break to `requested` if it lies between the initial break and the
   * stack, and returns the break in force afterwards (the old one when refused; brk(0) asks).
   * Memory the break uncovers reads as zeros, also after a shrink and regrow.
   */
  private brk(memory: Uint8Array, requested: number): number {
    if (requested < this.layout.initialBreak || requested > this.layout.stackFloor) return this.programBreak;
    if (requested > this.programBreak) memory.fill(0, this.programBreak, requested);
    this.programBreak = requested;
    return requested;
  }
}

/** The layout of a process whose memory is `memorySize` bytes with the top `stackBytes` as its stack. */
export function processLayout(image: { readonly segments: ProcessLayout['segments']; readonly breakAddress: number }, memorySize: number, stackBytes: number): ProcessLayout {
  return {
    segments: image.segments,
    initialBreak: Math.ceil(image.breakAddress / PAGE) * PAGE,
    stackFloor: memorySize - stackBytes,
    stackCeiling: memorySize,
  };
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

import { AccessKind, Errno, isPagelabError, LinuxSyscall, Protection, TransferDirection, type CostModel, type Mmu, type PagelabError } from '@pagelab/contracts';
import type { DiskDevice } from '@pagelab/dma';
import { addressSpaceTop, stackBytes } from './layout.js';
import type { OpenFile, Process } from './process.js';
import { OpenFlags, Whence } from './linux-abi.js';
import type { UserMemory } from './user-memory.js';

/** What the system-call layer needs from the rest of the kernel. */
export interface SystemCallHost {
  readonly user: UserMemory;
  readonly mmu: Mmu;
  readonly costs: CostModel;
  /** The files programs can open, by path. */
  readonly files: Map<string, DiskDevice>;
  /** Makes a new empty file device (for `O_CREAT`). */
  createFile(path: string): DiskDevice;
  /** Ends `process` with `status`. */
  exit(process: Process, status: number): void;
  /** The swap area is full: the OOM killer kills someone; true if that was not `process` (whose call then fails with ENOMEM). */
  outOfMemory(process: Process, error: PagelabError): boolean;
  /**
   * Starts a read or write through the I/O strategy and the DMA controller, blocking the
   * process; returns -errno when the call fails at once, else null (d0 is set on completion).
   */
  startIo(process: Process, file: OpenFile, direction: TransferDirection, address: number, length: number): number | null;
}

/**
 * The Linux m68k system calls the kernel serves: exit, exit_group, read, write, open, close,
 * lseek, getpid and brk. A bad pointer comes back as -EFAULT and the kernel goes on.
 */
export class SystemCalls {
  constructor(private readonly host: SystemCallHost) {}

  /** Serves the `trap #0` of `process`: number in d0, arguments in d1..d3, result or -errno back in d0. */
  serve(process: Process, r: Uint32Array): void {
    const number = r[0]! as LinuxSyscall;
    const [a1, a2, a3] = [r[1]!, r[2]!, r[3]!];
    const result = (value: number) => {
      r[0] = value >>> 0;
    };
    try {
      switch (number) {
        case LinuxSyscall.Exit:
        case LinuxSyscall.ExitGroup:
          this.host.exit(process, a1 & 0xff);
          return;
        case LinuxSyscall.Read:
        case LinuxSyscall.Write: {
          const file = process.files[a1];
          const direction = number === LinuxSyscall.Read ? TransferDirection.DeviceToMemory : TransferDirection.MemoryToDevice;
          if (file === undefined || file === null || (direction === TransferDirection.DeviceToMemory ? !file.readable : !file.writable)) {
            result(-Errno.EBADF);
            return;
          }
          if (a3 === 0) {
            result(0);
            return;
          }
          // The whole buffer is checked before any I/O starts (as qemu-m68k and Linux's access_ok
          // do), so a wild pointer or length costs the program nothing but the -EFAULT.
          const access = direction === TransferDirection.DeviceToMemory ? AccessKind.Write : AccessKind.Read;
          if (!this.host.user.isValidRange(process.addressSpace, a2, a3, access)) {
            result(-Errno.EFAULT);
            return;
          }
          const started = this.host.startIo(process, file, direction, a2, a3);
          if (started !== null) result(started);
          return;
        }
        case LinuxSyscall.Open:
          result(this.open(process, a1, a2));
          return;
        case LinuxSyscall.Close: {
          if (process.files[a1] == null) return result(-Errno.EBADF);
          process.files[a1] = null;
          return result(0);
        }
        case LinuxSyscall.Lseek:
          return result(this.lseek(process, a1, a2 | 0, a3));
        case LinuxSyscall.Getpid:
          return result(process.pid);
        case LinuxSyscall.Brk:
          return result(this.brk(process, a1));
        default:
          return result(-Errno.ENOSYS);
      }
    } catch (error) {
      if (isPagelabError(error, 'BAD_ADDRESS')) return result(-Errno.EFAULT);
      if (isPagelabError(error, 'NOTHING_EVICTABLE')) return result(-Errno.ENOMEM);
      // Linux's OOM killer: a page the call needed had nowhere to go.
      if (isPagelabError(error, 'SWAP_EXHAUSTED')) return this.host.outOfMemory(process, error) ? result(-Errno.ENOMEM) : undefined;
      throw error;
    }
  }

  private open(process: Process, pathAddress: number, flags: number): number {
    const path = this.readString(process, pathAddress, 256);
    if (path === null) return -Errno.EFAULT;
    let device = this.host.files.get(path);
    if (device === undefined) {
      if ((flags & OpenFlags.create) === 0) return -Errno.ENOENT;
      device = this.host.createFile(path);
      this.host.files.set(path, device);
    }
    const mode = flags & OpenFlags.accessMask;
    const fd = process.freeDescriptor();
    if (fd >= 64) return -Errno.EMFILE;
    if ((flags & OpenFlags.truncate) !== 0 && mode !== OpenFlags.readOnly) device.truncate();
    process.files[fd] = {
      device,
      name: path,
      position: (flags & OpenFlags.append) !== 0 ? device.size : 0,
      readable: mode !== OpenFlags.writeOnly,
      writable: mode !== OpenFlags.readOnly,
    };
    return fd;
  }

  private readString(process: Process, address: number, max: number): string | null {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const byte = this.host.user.copyIn(process.addressSpace, address + i, 1)[0]!;
      if (byte === 0) return new TextDecoder().decode(Uint8Array.from(bytes));
      bytes.push(byte);
    }
    return null;
  }

  private lseek(process: Process, fd: number, offset: number, whence: number): number {
    const file = process.files[fd];
    if (file == null) return -Errno.EBADF;
    if (file.device.kind === 'stream') return -Errno.ESPIPE;
    const size = (file.device as DiskDevice).size;
    const base = whence === Whence.set ? 0 : whence === Whence.current ? file.position : whence === Whence.end ? size : NaN;
    const position = base + offset;
    if (!(position >= 0)) return -Errno.EINVAL;
    file.position = position;
    return position;
  }

  private brk(process: Process, requested: number): number {
    if (requested <= process.brk) return process.brk;
    const shift = this.host.mmu.pageShift;
    const first = Math.ceil(process.brk / this.host.mmu.pageSize);
    const last = (requested - 1) >>> shift;
    if (requested >= addressSpaceTop - stackBytes) return process.brk;
    if (last >= first) this.host.mmu.reserve(process.addressSpace, first, last - first + 1, Protection.ReadWrite);
    process.brk = requested;
    return requested;
  }
}

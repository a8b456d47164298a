/**
 * The Linux m68k system-call ABI that pagelab's kernels serve: `trap #0` with the call number
 * in d0 and arguments in d1..d5; the result, or a negated errno, comes back in d0.
 */

/** Linux m68k system-call numbers (m68k's own table: exit_group is 247 here, not i386's 252). */
export const LinuxSyscall = {
  Exit: 1,
  Read: 3,
  Write: 4,
  Open: 5,
  Close: 6,
  Lseek: 19,
  Getpid: 20,
  Brk: 45,
  ExitGroup: 247,
} as const;
/** One of the {@link LinuxSyscall} values. */
export type LinuxSyscall = (typeof LinuxSyscall)[keyof typeof LinuxSyscall];

/** Linux errno values. A system call returns them negated; `IoPlan` failures carry them positive. */
export const Errno = {
  ENOENT: 2,
  EBADF: 9,
  ENOMEM: 12,
  EFAULT: 14,
  EINVAL: 22,
  EMFILE: 24,
  ESPIPE: 29,
  ENOSYS: 38,
  ENOBUFS: 105,
} as const;
/** One of the {@link Errno} values. */
export type Errno = (typeof Errno)[keyof typeof Errno];

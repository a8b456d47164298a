/** The Linux m68k system-call ABI as the kernel serves it: call numbers, errno values, flags. */
/** Linux m68k system-call numbers the kernel serves (`trap #0`, number in d0). */
export const Syscall = {
  exit: 1,
  read: 3,
  write: 4,
  open: 5,
  close: 6,
  lseek: 19,
  getpid: 20,
  brk: 45,
  /** 247 on m68k (252 is i386's number; qemu-m68k treats 252 as something else). */
  exitGroup: 247,
} as const;

/** Linux errno values, returned negated in d0. */
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

/** `lseek` whence values. */
export const Whence = { set: 0, current: 1, end: 2 } as const;

/** `open` flags the kernel understands (access mode in the low two bits). */
export const OpenFlags = { readOnly: 0, writeOnly: 1, readWrite: 2, accessMask: 3, create: 0o100, truncate: 0o1000, append: 0o2000 } as const;

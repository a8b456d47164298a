/** The parts of the Linux ABI only the kernel's system calls use (numbers and errno are in the contracts). */
/** `lseek` whence values. */
export const Whence = { set: 0, current: 1, end: 2 } as const;

/** `open` flags the kernel understands (access mode in the low two bits). */
export const OpenFlags = { readOnly: 0, writeOnly: 1, readWrite: 2, accessMask: 3, create: 0o100, truncate: 0o1000, append: 0o2000 } as const;

/** The Linux errno values the strategies can fail a request with (returned negated in d0). */
export const Errno = {
  /** The buffer is not entirely inside the caller's address space. */
  EFAULT: 14,
  /** The lock quota refused the pins a transfer needs. */
  ENOMEM: 12,
  /** The bounce pool is full and the strategy is configured to fail rather than wait. */
  ENOBUFS: 105,
} as const;

/* errno and the Linux error numbers the system calls report. */
#ifndef PAGELAB_ERRNO_H
#define PAGELAB_ERRNO_H

/* Set by a failed system call wrapper (which then returns -1), as in any libc. */
extern int errno;

#define ENOENT 2
#define EIO 5
#define EBADF 9
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EEXIST 17
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define ENOSYS 38

#endif

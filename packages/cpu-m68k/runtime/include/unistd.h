/* Linux/m68k system calls: the thin wrappers, returning -1 and setting errno on failure. */
#ifndef PAGELAB_UNISTD_H
#define PAGELAB_UNISTD_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int getpid(void);
/* Sets the program break; returns 0, or -1 with errno = ENOMEM. */
int brk(void *end);
/* Moves the program break by `increment` bytes; returns the old break, or (void *)-1. */
void *sbrk(long increment);
/* Ends the process at once: no stdio flush (exit() flushes). */
void _exit(int status) __attribute__((noreturn));

/* Any Linux/m68k system call by number: trap #0, d0 = number, d1..d3 = arguments. Returns the raw result (-errno on failure). */
long syscall3(long number, long a1, long a2, long a3);

#endif

/*
 * Linux/m68k system calls through TRAP #0: the number in d0, arguments in d1..d3, the result
 * (or -errno, between -4095 and -1) back in d0. The wrappers turn -errno into -1 and errno,
 * as a libc does, so programs read like programs written for Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#define SYS_exit 1
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_lseek 19
#define SYS_getpid 20
#define SYS_brk 45
/* m68k's own number; 252 is exit_group on i386, and qemu-m68k does not exit on it. */
#define SYS_exit_group 247

int errno;

long syscall3(long number, long a1, long a2, long a3)
{
	register long d0 __asm__("d0") = number;
	register long d1 __asm__("d1") = a1;
	register long d2 __asm__("d2") = a2;
	register long d3 __asm__("d3") = a3;
	__asm__ volatile("trap #0" : "+d"(d0) : "d"(d1), "d"(d2), "d"(d3) : "memory", "cc");
	return d0;
}

static long checked(long result)
{
	if ((unsigned long)result >= (unsigned long)-4095) {
		errno = (int)-result;
		return -1;
	}
	return result;
}

ssize_t read(int fd, void *buf, size_t count)
{
	return checked(syscall3(SYS_read, fd, (long)buf, (long)count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return checked(syscall3(SYS_write, fd, (long)buf, (long)count));
}

int open(const char *path, int flags, ...)
{
	long mode = 0;
	if (flags & O_CREAT) {
		va_list args;
		va_start(args, flags);
		mode = va_arg(args, int);
		va_end(args);
	}
	return (int)checked(syscall3(SYS_open, (long)path, flags, mode));
}

int close(int fd)
{
	return (int)checked(syscall3(SYS_close, fd, 0, 0));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return checked(syscall3(SYS_lseek, fd, offset, whence));
}

int getpid(void)
{
	return (int)syscall3(SYS_getpid, 0, 0, 0);
}

/* The kernel's brk returns the break it settled on: the old one when it refused. */
static char *current_break;

int brk(void *end)
{
	current_break = (char *)syscall3(SYS_brk, (long)end, 0, 0);
	if (current_break != end) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long increment)
{
	if (current_break == 0)
		current_break = (char *)syscall3(SYS_brk, 0, 0, 0);
	char *old = current_break;
	if (increment == 0)
		return old;
	char *wanted = old + increment;
	current_break = (char *)syscall3(SYS_brk, (long)wanted, 0, 0);
	if (current_break != wanted) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return old;
}

void _exit(int status)
{
	syscall3(SYS_exit_group, status, 0, 0);
	for (;;)
		syscall3(SYS_exit, status, 0, 0);
}

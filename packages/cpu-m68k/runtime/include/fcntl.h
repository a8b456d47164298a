/* open() and its flags (Linux/m68k values). */
#ifndef PAGELAB_FCNTL_H
#define PAGELAB_FCNTL_H

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000

/* Opens `path`; `mode` (permissions) is used only with O_CREAT. Returns a descriptor, or -1 with errno. */
int open(const char *path, int flags, ...);

#endif

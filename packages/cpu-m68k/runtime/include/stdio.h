/*
 * A small stdio: printf and friends (%d %i %u %x %X %o %s %c %p %%, the l modifier,
 * flags - and 0, a width, a precision, * for either), buffered stdout, unbuffered stderr,
 * and character input from stdin. No floating point, no FILE* for files: use open/read/write.
 */
#ifndef PAGELAB_STDIO_H
#define PAGELAB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

typedef struct pagelab_file FILE;
extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *stream, const char *format, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *format, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char *format, va_list args);
int vfprintf(FILE *stream, const char *format, va_list args);
int vsnprintf(char *buf, size_t size, const char *format, va_list args);

int putchar(int c);
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int puts(const char *s);
int fputs(const char *s, FILE *stream);
size_t fwrite(const void *data, size_t size, size_t count, FILE *stream);
/* Writes out what stdout (or `stream`) holds; fflush(NULL) flushes every output stream. */
int fflush(FILE *stream);

/* Input from stdin (reads fd 0 in blocks). fgets and getc take only stdin. */
int getchar(void);
int fgetc(FILE *stream);
int getc(FILE *stream);
char *fgets(char *buf, int size, FILE *stream);

#endif

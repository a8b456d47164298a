/* Memory allocation on brk, process exit, number parsing. */
#ifndef PAGELAB_STDLIB_H
#define PAGELAB_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* Flushes stdout and stderr, then ends the process with `status`. */
void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));

/* What assert() calls when its condition is false: prints where, and aborts. */
void __pagelab_assert_fail(const char *expression, const char *file, int line) __attribute__((noreturn));

int abs(int v);
long labs(long v);
int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);

#endif

/* exit, abort and number parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void exit(int status)
{
	fflush(0);
	_exit(status);
}

void abort(void)
{
	fflush(0);
	/* 128 + SIGABRT, what a shell reports for a program killed by abort(). */
	_exit(134);
}

void __pagelab_assert_fail(const char *expression, const char *file, int line)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expression);
	abort();
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	int negative = 0;
	unsigned long value = 0;
	const char *digits;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	digits = p;
	while (digit_value(*p) < base)
		value = value * (unsigned long)base + (unsigned long)digit_value(*p++);
	if (end)
		*end = (char *)(p == digits ? s : p);
	return negative ? -value : value;
}

long strtol(const char *s, char **end, int base)
{
	return (long)strtoul(s, end, base);
}

long atol(const char *s)
{
	return strtol(s, 0, 10);
}

int atoi(const char *s)
{
	return (int)strtol(s, 0, 10);
}

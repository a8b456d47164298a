/* exit, abort and number parsing. */
#include <errno.h>
#include <limits.h>
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

/*
 * The common part of strtol and strtoul: skips blanks, reads a sign and the digits of `base`
 * (0: decimal, 0x hex or 0 octal, as written), and returns the magnitude, saturated at
 * `limit` with errno = ERANGE when the number is larger.
 */
static unsigned long parse(const char *s, char **end, int base, unsigned long limit, int *negative)
{
	const char *p = s;
	unsigned long value = 0;
	int overflow = 0;
	const char *digits;
	*negative = 0;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-' || *p == '+')
		*negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	digits = p;
	for (; digit_value(*p) < base; p++) {
		unsigned long d = (unsigned long)digit_value(*p);
		if (value > (limit - d) / (unsigned long)base)
			overflow = 1;
		else
			value = value * (unsigned long)base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow) {
		errno = ERANGE;
		return limit;
	}
	return value;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int negative;
	unsigned long value = parse(s, end, base, ULONG_MAX, &negative);
	return negative ? -value : value;
}

long strtol(const char *s, char **end, int base)
{
	int negative;
	/* The magnitude may reach LONG_MAX, or one more when negative (LONG_MIN). */
	unsigned long value = parse(s, end, base, (unsigned long)LONG_MAX + 1, &negative);
	if (!negative && value > (unsigned long)LONG_MAX) {
		errno = ERANGE;
		return LONG_MAX;
	}
	return negative ? (long)-value : (long)value;
}

long atol(const char *s)
{
	return strtol(s, 0, 10);
}

int atoi(const char *s)
{
	return (int)strtol(s, 0, 10);
}

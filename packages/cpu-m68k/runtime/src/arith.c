/*
 * 68000-clean replacements for the libgcc helpers gcc calls for 32-bit multiply, divide and
 * modulo on -m68000. Debian's libgcc.a is built for the 68020 (bsr.l, divsl), which a 68000
 * cannot execute, so the fixtures link these instead and never link libgcc at all.
 * Only shifts, adds and compares: using `*` or `/` here would call these very functions.
 */

unsigned long __mulsi3(unsigned long a, unsigned long b)
{
	unsigned long r = 0;
	while (b != 0) {
		if (b & 1)
			r += a;
		a <<= 1;
		b >>= 1;
	}
	return r;
}

/* Shift-and-subtract long division; returns the quotient and stores the remainder. */
static unsigned long udivmod(unsigned long n, unsigned long d, unsigned long *rem)
{
	unsigned long q = 0, r = 0;
	int i;
	if (d == 0) {
		*rem = n;
		return 0xffffffffUL;
	}
	for (i = 31; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1UL << i;
		}
	}
	*rem = r;
	return q;
}

unsigned long __udivsi3(unsigned long n, unsigned long d)
{
	unsigned long r;
	return udivmod(n, d, &r);
}

unsigned long __umodsi3(unsigned long n, unsigned long d)
{
	unsigned long r;
	udivmod(n, d, &r);
	return r;
}

long __divsi3(long n, long d)
{
	unsigned long r;
	int neg = (n < 0) != (d < 0);
	unsigned long q = udivmod(n < 0 ? -(unsigned long)n : (unsigned long)n,
				  d < 0 ? -(unsigned long)d : (unsigned long)d, &r);
	return neg ? -(long)q : (long)q;
}

long __modsi3(long n, long d)
{
	unsigned long r;
	udivmod(n < 0 ? -(unsigned long)n : (unsigned long)n,
		d < 0 ? -(unsigned long)d : (unsigned long)d, &r);
	return n < 0 ? -(long)r : (long)r;
}

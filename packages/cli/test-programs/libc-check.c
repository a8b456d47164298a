/*
 * The runtime's printf, string and memory functions and number parsing, exercised on cases
 * whose results C defines. libc-check.expected is what the host's glibc printed for this same
 * source (cc -O2 libc-check.c && ./a.out > libc-check.expected): the runtime must agree.
 * Only defined behaviour: signs of comparisons, not their magnitude; no %p. Nothing depends
 * on the size of long (32 bits on the 68000, 64 on the host): values stay in 32 bits.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

int main(void)
{
	static const int ints[] = { 0, 1, -1, 7, -42, 1000, 65535, 65536, -65536, 123456789, INT_MAX, INT_MIN };
	for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		int v = ints[i];
		printf("[%d] [%i] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.4d] [%u] [%x] [%X] [%o] [%#x]\n",
		       v, v, v, v, v, v, v, v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
	}
	static const long longs[] = { 0L, -1L, 2147483647L, -2147483647L - 1, 305419896L };
	for (unsigned i = 0; i < sizeof longs / sizeof longs[0]; i++) {
		long v = longs[i];
		unsigned long u = (unsigned int)v;
		printf("[%ld] [%12ld] [%-12ld|] [%lu] [%lx] [%08lx] [%lX] [%#lo]\n", v, v, v, u, u, u, u, u);
	}
	printf("[%hd] [%hu] [%hhd] [%hhu] [%hx]\n", 70000, 70000, 300, 300, 0x12345);
	printf("[%s] [%10s] [%-10s] [%.2s] [%10.3s] [%-6.1s] [%s]\n", "pager", "pager", "pager", "pager", "pager", "pager", "");
	printf("[%c] [%3c] [%-3c] [%%]\n", 'A', 'b', 'c');
	printf("[%*d] [%-*d] [%.*s] [%*.*d]\n", 6, 42, 6, 42, 3, "abcdef", 7, 4, 9);
	printf("[%.0d] [%.0x] [%5.0d]\n", 0, 0, 0);

	char buf[16];
	int n = snprintf(buf, sizeof buf, "%s-%d-%x", "frames", 12345, 0xbeef);
	printf("snprintf %d [%s]\n", n, buf);
	n = snprintf(buf, 5, "%d", 1234567);
	printf("truncated %d [%s]\n", n, buf);
	n = snprintf(NULL, 0, "%ld", 2147483647L);
	printf("measured %d\n", n);
	n = sprintf(buf, "%04d|%c", 7, 'z');
	printf("sprintf %d [%s]\n", n, buf);

	printf("strlen %u %u\n", (unsigned)strlen(""), (unsigned)strlen("sixty-eight"));
	printf("strcmp %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("abc", "abc")), sign(strcmp("b", "abc")), sign(strcmp("ab", "abc")));
	printf("strcmp high bytes %d\n", sign(strcmp("\x80", "a")));
	printf("strncmp %d %d\n", sign(strncmp("abcx", "abcy", 3)), sign(strncmp("abcx", "abcy", 4)));
	printf("memcmp %d %d\n", sign(memcmp("\x01\xff", "\x01\x02", 2)), sign(memcmp("same", "same", 4)));
	char s[32];
	strcpy(s, "page");
	strcat(s, "-fault");
	printf("strcpy/strcat [%s] strchr [%s] strrchr [%s] missing %s\n", s, strchr(s, 'a'), strrchr(s, 'a'), strchr(s, 'z') == NULL ? "null" : "found");
	printf("strchr nul at %d\n", (int)(strchr(s, '\0') - s));
	memset(s, 'x', sizeof s);
	strncpy(s, "ab", 5);
	printf("strncpy pads %d %d %d %c\n", s[2], s[3], s[4], s[5]);
	strcpy(s, "0123456789");
	memmove(s + 2, s, 6);
	printf("memmove up [%s]\n", s);
	strcpy(s, "0123456789");
	memmove(s, s + 3, 7);
	printf("memmove down [%s]\n", s);
	printf("memchr [%s]\n", (char *)memchr("kernel", 'r', 6));

	const char *numbers[] = { "42", "  -17xyz", "+8", "0x1F", "077", "junk", "2147483647", "-2147483648", "-0x7fffFFFF", "\t\n 1e3" };
	for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		char *end;
		long v = strtol(numbers[i], &end, 0);
		printf("strtol(\"%s\", 0) = %ld, stopped at %d; atoi = %d; base 10 = %ld; base 8 = %ld\n", numbers[i], v, (int)(end - numbers[i]), atoi(numbers[i]),
		       strtol(numbers[i], NULL, 10), strtol(numbers[i], NULL, 8));
	}
	printf("strtoul %lu abs %d labs %ld\n", strtoul("4000000000", NULL, 10), abs(-5), labs(-70000L));
	printf("[%#x] [%#X] [%#o] [%#o] [%#5x] [%#08x]\n", 0, 255, 8u, 0u, 10, 10);

	/* Allocation: contents survive realloc, calloc zeroes, freed blocks are reused. */
	char *p = malloc(10);
	strcpy(p, "survives");
	p = realloc(p, 5000);
	printf("realloc keeps [%s]\n", p);
	int *z = calloc(100, sizeof *z);
	int sum = 0;
	for (int i = 0; i < 100; i++)
		sum += z[i];
	printf("calloc sum %d\n", sum);
	void *blocks[50];
	for (int i = 0; i < 50; i++)
		blocks[i] = malloc((size_t)(i * 37 % 300 + 1));
	for (int i = 0; i < 50; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 50; i += 2)
		free(blocks[i]);
	free(z);
	free(p);
	char *big = malloc(20000);
	printf("big after frees %s, malloc(0) %s\n", big != NULL ? "ok" : "null", "skipped");
	free(big);
	puts("puts adds a newline");
	fputs("fputs does not\n", stdout);
	putchar('!');
	putchar('\n');
	return 0;
}

/*
 * A user's program, written for pagelab's own end-to-end test of `pagelab cc`: it reads all
 * of standard input with read(), a page at a time, into a buffer that grows with realloc, counts words in a
 * hash table of malloc'd nodes, sorts them with a merge sort through a malloc'd scratch
 * array, frees everything, and prints a report with printf. Its output under pagelab must be
 * byte-for-byte what qemu-m68k -cpu m68000 prints.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct word {
	char *text;
	unsigned long count;
	unsigned long hash;
	struct word *next;
};

#define BUCKETS 61
/* Reads take at most this much: with scarce frames, pagelab's pin strategy may refuse to pin a bigger buffer (ENOMEM). */
#define CHUNK 4096

static struct word *table[BUCKETS];
static unsigned long lengths[16];

static unsigned long hash_of(const char *s, size_t n)
{
	unsigned long h = 5381;
	while (n--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct word *count_word(const char *s, size_t n)
{
	unsigned long h = hash_of(s, n);
	struct word **bucket = &table[h % BUCKETS];
	for (struct word *w = *bucket; w != NULL; w = w->next)
		if (w->hash == h && strlen(w->text) == n && memcmp(w->text, s, n) == 0) {
			w->count++;
			return w;
		}
	struct word *w = malloc(sizeof *w);
	w->text = malloc(n + 1);
	if (w->text == NULL) {
		printf("out of memory\n");
		exit(1);
	}
	memcpy(w->text, s, n);
	w->text[n] = '\0';
	w->count = 1;
	w->hash = h;
	w->next = *bucket;
	*bucket = w;
	return w;
}

/* Most frequent first; ties in alphabetical order, so the order is fully determined. */
static int before(const struct word *a, const struct word *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return strcmp(a->text, b->text) < 0;
}

static void merge_sort(struct word **items, struct word **scratch, long n)
{
	if (n < 2)
		return;
	long half = n / 2;
	merge_sort(items, scratch, half);
	merge_sort(items + half, scratch, n - half);
	long i = 0, j = half, k = 0;
	while (i < half && j < n)
		scratch[k++] = before(items[j], items[i]) ? items[j++] : items[i++];
	while (i < half)
		scratch[k++] = items[i++];
	while (j < n)
		scratch[k++] = items[j++];
	memcpy(items, scratch, n * sizeof *items);
}

int main(void)
{
	size_t size = 0, capacity = 256;
	char *text = malloc(capacity);
	long got, reads = 0;
	while ((got = read(0, text + size, capacity - size < CHUNK ? capacity - size : CHUNK)) > 0) {
		size += got;
		reads++;
		if (size == capacity) {
			capacity *= 2;
			text = realloc(text, capacity);
			if (text == NULL) {
				printf("out of memory at %lu bytes\n", (unsigned long)capacity);
				return 1;
			}
		}
	}
	if (got < 0) {
		printf("read failed\n");
		return 1;
	}

	unsigned long words = 0, lines = 0, distinct = 0;
	for (size_t i = 0; i < size;) {
		if (text[i] == '\n')
			lines++;
		if (!isalpha((unsigned char)text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < size && isalpha((unsigned char)text[i])) {
			text[i] = (char)tolower((unsigned char)text[i]);
			i++;
		}
		struct word *w = count_word(text + start, i - start);
		if (w->count == 1)
			distinct++;
		lengths[i - start < 15 ? i - start : 15]++;
		words++;
	}

	struct word **items = malloc(distinct * sizeof *items);
	struct word **scratch = malloc(distinct * sizeof *scratch);
	long n = 0;
	for (int b = 0; b < BUCKETS; b++)
		for (struct word *w = table[b]; w != NULL; w = w->next)
			items[n++] = w;
	merge_sort(items, scratch, n);

	printf("%lu bytes in %ld reads, %lu lines, %lu words, %lu distinct\n", (unsigned long)size, reads, lines, words, distinct);
	printf("%-4s %-14s %6s %5s  %s\n", "rank", "word", "count", "%", "hash");
	for (long r = 0; r < n && r < 12; r++) {
		struct word *w = items[r];
		unsigned long tenths = w->count * 1000 / words;
		printf("%3ld. %-14s %6lu %3lu.%lu  %08lx\n", r + 1, w->text, w->count, tenths / 10, tenths % 10, w->hash);
	}
	printf("rarest: %s (%lu), longest bucket check %c\n", items[n - 1]->text, items[n - 1]->count, n == (long)distinct ? 'y' : 'n');
	for (int len = 1; len < 16; len++)
		if (lengths[len] != 0)
			printf("length %2d%s %5lu %+d\n", len, len == 15 ? "+" : " ", lengths[len], (int)lengths[len] - (int)lengths[len - 1]);

	unsigned long check = 0;
	for (long r = 0; r < n; r++) {
		check = check * 31 + items[r]->hash + items[r]->count;
		free(items[r]->text);
		free(items[r]);
	}
	free(scratch);
	free(items);
	free(text);
	/* After freeing everything, one big block must come from the merged free list. */
	char *again = malloc(capacity + 1000);
	printf("checksum %08lX, reuse %s\n", check, again != NULL ? "ok" : "failed");
	return (int)(words % 7);
}

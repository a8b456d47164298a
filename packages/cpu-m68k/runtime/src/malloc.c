/*
 * malloc and free on the program break: a first-fit free list kept in address order, so
 * that free can merge a block with its neighbours. Every block starts with a header giving
 * its size in 8-byte units; payloads are 8-byte aligned (a 68000 needs words and longs even).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef union header {
	struct {
		union header *next; /* the next free block, in address order (free blocks only) */
		size_t units;       /* the block's size, this header included */
	} s;
	long long align;
} header;

/* The break is moved by at least this much at a time, so small allocations do not each cost a system call. */
#define GROW_UNITS (4096 / sizeof(header))

static header *free_list;

/* Puts `block` on the free list, merging it with an adjacent free block on either side. */
static void release(header *block)
{
	header *prev = 0, *next = free_list;
	while (next != 0 && next < block) {
		prev = next;
		next = next->s.next;
	}
	if (next != 0 && block + block->s.units == next) {
		block->s.units += next->s.units;
		block->s.next = next->s.next;
	} else {
		block->s.next = next;
	}
	if (prev != 0 && prev + prev->s.units == block) {
		prev->s.units += block->s.units;
		prev->s.next = block->s.next;
	} else if (prev != 0) {
		prev->s.next = block;
	} else {
		free_list = block;
	}
}

static int grow(size_t units)
{
	if (units < GROW_UNITS)
		units = GROW_UNITS;
	if (units > 0x7fffffffUL / sizeof(header))
		return 0;
	char *start = sbrk(0);
	/* Keep blocks 8-byte aligned even if the break starts off that boundary. */
	long pad = (long)((8 - ((unsigned long)start & 7)) & 7);
	char *memory = sbrk(pad + (long)(units * sizeof(header)));
	if (memory == (char *)-1)
		return 0;
	header *block = (header *)(memory + pad);
	block->s.units = units;
	release(block);
	return 1;
}

void *malloc(size_t size)
{
	if (size == 0 || size > 0x7ffffff0UL)
		return 0;
	size_t units = (size + sizeof(header) - 1) / sizeof(header) + 1;
	for (;;) {
		header *prev = 0;
		for (header *block = free_list; block != 0; prev = block, block = block->s.next) {
			if (block->s.units < units)
				continue;
			if (block->s.units == units) {
				if (prev)
					prev->s.next = block->s.next;
				else
					free_list = block->s.next;
			} else {
				/* Hand out the tail, so the free block stays where it is in the list. */
				block->s.units -= units;
				block += block->s.units;
				block->s.units = units;
			}
			return block + 1;
		}
		if (!grow(units))
			return 0;
	}
}

void free(void *p)
{
	if (p != 0)
		release((header *)p - 1);
}

void *calloc(size_t count, size_t size)
{
	if (size != 0 && count > 0x7ffffff0UL / size)
		return 0;
	void *p = malloc(count * size);
	return p ? memset(p, 0, count * size) : 0;
}

void *realloc(void *p, size_t size)
{
	if (p == 0)
		return malloc(size);
	if (size == 0) {
		free(p);
		return 0;
	}
	size_t have = (((header *)p - 1)->s.units - 1) * sizeof(header);
	if (have >= size)
		return p;
	void *q = malloc(size);
	if (q != 0) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}

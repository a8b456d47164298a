/*
 * Process entry. Linux (qemu-m68k, m68k-run and pagelab's kernel alike) starts a static
 * program here with %sp pointing at argc, followed by the argv pointers, a NULL, the envp
 * pointers and a NULL. The C start-up reads that block, so it gets the address of argc.
 * Kept in its own section so the linker script puts it first in the text.
 */
	.section .text.start,"ax"
	.globl	_start
_start:
	move.l	%sp,-(%sp)
	jsr	__pagelab_start
	/* __pagelab_start ends in exit_group; should that ever return, spin rather than run off. */
1:	bra.s	1b

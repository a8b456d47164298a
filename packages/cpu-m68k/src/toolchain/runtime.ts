/**
 * Where the 68000 C runtime this package ships lives (its `runtime/` directory), and how a
 * program is compiled and linked against it with Debian's m68k cross compiler. Data only: the
 * `pagelab cc` command runs the compiler. A URL rather than a path, so that this module needs
 * nothing from Node.
 */

/** The C runtime and the compile recipe for plain-68000 Linux programs. */
export interface M68kRuntime {
  /** The runtime directory (`runtime/` in the installed package). */
  readonly directory: URL;
  /** Its sources, relative to `directory`; each is compiled with {@link runtimeFlags} and linked into every program. */
  readonly sources: readonly string[];
  /** Its headers' directory, relative to `directory`: searched before the compiler's own, and nothing else is. */
  readonly includeDirectory: string;
  /** The linker script, relative to `directory`. */
  readonly linkerScript: string;
  /** The compiler and disassembler commands, and the Debian packages that provide them. */
  readonly compiler: string;
  readonly objdump: string;
  readonly compilerPackage: string;
  readonly objdumpPackage: string;
  /** Flags for every compile (the program's and the runtime's). */
  readonly compileFlags: readonly string[];
  /** Extra flags for the runtime's own sources (freestanding: they implement the library). */
  readonly runtimeFlags: readonly string[];
  /** Flags for the link. */
  readonly linkFlags: readonly string[];
}

export const m68kRuntime: M68kRuntime = {
  directory: new URL('../../runtime/', import.meta.url),
  sources: ['src/crt0.S', 'src/start.c', 'src/syscall.c', 'src/stdio.c', 'src/stdlib.c', 'src/malloc.c', 'src/string.c', 'src/arith.c'],
  includeDirectory: 'include',
  linkerScript: 'link.ld',
  compiler: 'm68k-linux-gnu-gcc',
  objdump: 'm68k-linux-gnu-objdump',
  compilerPackage: 'gcc-m68k-linux-gnu',
  objdumpPackage: 'binutils-m68k-linux-gnu',
  // -m68000: no 68020 instructions of gcc's own. -fno-pic/-fno-pie: absolute addresses in a
  // static image. -nostdinc: Debian's cross gcc otherwise searches the host's /usr/include.
  // No unwind tables and no stack protector: there is nothing in the runtime to serve them.
  // -fno-builtin: gcc for m68k-linux assumes unaligned accesses are fine (Linux needs a
  // 68020), so its inline memset/memcpy/strcpy store longs at odd addresses, which a 68000
  // takes as address errors; the runtime's functions go a byte at a time.
  compileFlags: ['-m68000', '-fno-pic', '-fno-pie', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fno-builtin', '-nostdinc'],
  // The library's own memcpy/memset must not be turned into calls to themselves.
  runtimeFlags: ['-O2', '-ffreestanding', '-fno-builtin', '-fno-tree-loop-distribute-patterns', '-g0'],
  // Never libgcc or a libc: Debian's are 68020 code. The runtime brings 68000-clean helpers.
  linkFlags: ['-m68000', '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none', '-Wl,-z,max-page-size=4096', '-Wl,-z,noexecstack'],
};

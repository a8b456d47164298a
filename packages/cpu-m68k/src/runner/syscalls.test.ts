import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Cpu } from '@pagelab/contracts';
import { loadElfImage } from '../elf/elf-image.js';
import { MemoryFiles } from './program-files.js';
import { runProgram } from './run-program.js';
import { bytesSource, processLayout, SystemCalls, type ProcessIo } from './syscalls.js';

const MEMORY = 0x10_0000;
const STACK = 0x1_0000;
/** Text at 0x1000-0x1fff, data+bss ending at 0x2804: the break starts at 0x3000. */
const layout = processLayout(
  {
    segments: [
      { address: 0x1000, memorySize: 0x1000 },
      { address: 0x2000, memorySize: 0x804 },
    ],
    breakAddress: 0x2804,
  },
  MEMORY,
  STACK,
);
const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A process with its registers, memory, output and system calls, and `call` to make one. */
function process(stdin = '', files = new MemoryFiles()) {
  const registers = new Uint32Array(16);
  const cpu = { state: { registers } } as unknown as Cpu;
  const memory = new Uint8Array(MEMORY);
  const written: [number, string][] = [];
  const unsupported: [number, string | null][] = [];
  const io: ProcessIo = { stdin: bytesSource(enc(stdin)), write: (fd, b) => written.push([fd, text(b)]) };
  const calls = new SystemCalls(io, layout, { files, onUnsupported: (n, name) => unsupported.push([n, name]) });
  const call = (...regs: number[]) => {
    registers.fill(0);
    regs.forEach((v, i) => (registers[i] = v >>> 0));
    const outcome = calls.serve(cpu, memory);
    return outcome.kind === 'exit' ? outcome : registers[0]! | 0;
  };
  /** Puts a NUL-terminated string at `address` and returns the address. */
  const put = (address: number, s: string) => {
    memory.set(enc(`${s}\0`), address);
    return address;
  };
  return { call, memory, written, unsupported, put, calls, files };
}

describe('m68k-run system calls (Linux semantics)', () => {
  it('exit (1), exit_group (247, and 252) end the process with the low byte of D1', () => {
    const p = process();
    expect(p.call(1, 0x105)).toEqual({ kind: 'exit', status: 5 });
    expect(p.call(247, 7)).toEqual({ kind: 'exit', status: 7 });
    expect(p.call(252, 9)).toEqual({ kind: 'exit', status: 9 });
  });

  it('read (3) takes stdin in pieces, then 0 at end of file', () => {
    const p = process('hello');
    expect(p.call(3, 0, 0x2100, 3)).toBe(3);
    expect(p.call(3, 0, 0x2103, 10)).toBe(2);
    expect(p.call(3, 0, 0x2100, 10)).toBe(0);
    expect(text(p.memory.subarray(0x2100, 0x2105))).toBe('hello');
  });

  it('write (4) to fd 1 and 2 goes out; wrong-way and unknown descriptors give -EBADF', () => {
    const p = process();
    p.put(0x2200, 'abc');
    expect(p.call(4, 2, 0x2200, 3)).toBe(3);
    expect(p.call(4, 1, 0x2200, 2)).toBe(2);
    expect(p.written).toEqual([
      [2, 'abc'],
      [1, 'ab'],
    ]);
    expect(p.call(4, 5, 0x2200, 3)).toBe(-9);
    expect(p.call(4, 0, 0x2200, 3)).toBe(-9);
    expect(p.call(3, 1, 0x2200, 3)).toBe(-9);
    expect(p.call(3, 4, 0x2200, 3)).toBe(-9);
  });

  it('a pointer outside the segments, the heap and the stack gives -EFAULT; zero lengths are not checked', () => {
    const p = process('x');
    expect(p.call(4, 1, 0x0800, 4)).toBe(-14); // below the text
    expect(p.call(4, 1, 0x2ffe, 4)).toBe(-14); // runs off the data page into the (empty) heap
    expect(p.call(4, 1, 0x8_0000, 4)).toBe(-14); // between heap and stack
    expect(p.call(3, 0, MEMORY - 2, 4)).toBe(-14); // past the top of memory
    expect(p.call(4, 1, 0x1ffe, 4)).toBe(4); // text and data pages are adjacent
    expect(p.call(4, 1, MEMORY - STACK, 4)).toBe(4); // the stack
    expect(p.call(4, 1, 0x8_0000, 0)).toBe(0);
    expect(p.call(5, 0x8_0000, 0, 0)).toBe(-14);
  });

  it('brk (45): brk(0) gives the page-aligned end of the image; it grows, shrinks to no lower than that, and never into the stack', () => {
    const p = process();
    expect(p.call(45, 0)).toBe(0x3000);
    expect(p.call(4, 1, 0x3000, 4)).toBe(-14);
    expect(p.call(45, 0x3010)).toBe(0x3010);
    expect(p.call(4, 1, 0x3000, 0x1000)).toBe(0x1000); // the whole page is mapped
    expect(p.call(45, 0x1_0000)).toBe(0x1_0000);
    expect(p.call(45, 0x2000)).toBe(0x1_0000); // below the initial break: refused
    expect(p.call(45, MEMORY - STACK + 1)).toBe(0x1_0000); // into the stack: refused
    p.memory.fill(0xaa, 0x4000, 0x4010);
    expect(p.call(45, 0x3800)).toBe(0x3800);
    expect(p.call(45, 0x5000)).toBe(0x5000);
    expect([...p.memory.subarray(0x4000, 0x4010)].every((b) => b === 0)).toBe(true);
    expect(p.calls.currentBreak).toBe(0x5000);
  });

  it('open (5), write, lseek (19), read, close (6) on a file; O_APPEND writes at the end; O_TRUNC empties', () => {
    const p = process();
    const path = p.put(0x2300, '/tmp/f');
    expect(p.call(5, path, 0, 0)).toBe(-2); // ENOENT
    const fd = p.call(5, path, 0o1 | 0o100 | 0o1000, 0o644); // O_WRONLY|O_CREAT|O_TRUNC
    expect(fd).toBe(3);
    p.put(0x2400, 'hello world');
    expect(p.call(4, fd as number, 0x2400, 11)).toBe(11);
    expect(p.call(3, fd as number, 0x2500, 4)).toBe(-9); // write-only
    expect(p.call(19, fd as number, 6, 0)).toBe(6); // SEEK_SET
    p.put(0x2400, 'W');
    expect(p.call(4, fd as number, 0x2400, 1)).toBe(1);
    expect(p.call(19, fd as number, -2, 1)).toBe(5); // SEEK_CUR
    expect(p.call(19, fd as number, 0, 2)).toBe(11); // SEEK_END
    expect(p.call(19, fd as number, -20, 2)).toBe(-22); // EINVAL
    expect(p.call(19, fd as number, 0, 7)).toBe(-22);
    expect(p.call(6, fd as number)).toBe(0);
    expect(p.call(6, fd as number)).toBe(-9);
    expect(text(p.files.contents('/tmp/f')!)).toBe('hello World');

    const append = p.call(5, path, 0o1 | 0o2000, 0) as number; // O_WRONLY|O_APPEND
    p.put(0x2400, '!');
    expect(p.call(19, append, 0, 0)).toBe(0);
    expect(p.call(4, append, 0x2400, 1)).toBe(1);
    expect(text(p.files.contents('/tmp/f')!)).toBe('hello World!');

    const reader = p.call(5, path, 0, 0) as number;
    expect(reader).toBe(4);
    expect(p.call(3, reader, 0x2600, 100)).toBe(12);
    expect(text(p.memory.subarray(0x2600, 0x260c))).toBe('hello World!');
    expect(p.call(3, reader, 0x2600, 100)).toBe(0);
    expect(p.call(4, reader, 0x2600, 1)).toBe(-9); // read-only

    expect(p.call(5, path, 0o1 | 0o1000, 0)).toBe(5);
    expect(p.files.contents('/tmp/f')!.length).toBe(0);
    expect(p.call(5, path, 0o1 | 0o100 | 0o200, 0)).toBe(-17); // O_CREAT|O_EXCL on an existing file
  });

  it('the lowest free descriptor is reused, stdin included; lseek on a stream is -ESPIPE; 64 descriptors at most', () => {
    const p = process('', new MemoryFiles({ '/in': enc('data') }));
    const path = p.put(0x2300, '/in');
    expect(p.call(19, 0, 0, 0)).toBe(-29);
    expect(p.call(6, 0)).toBe(0);
    expect(p.call(5, path, 0, 0)).toBe(0);
    expect(p.call(3, 0, 0x2400, 10)).toBe(4);
    for (let fd = 3; fd < 64; fd++) expect(p.call(5, path, 0, 0)).toBe(fd);
    expect(p.call(5, path, 0, 0)).toBe(-24);
  });

  it('getpid (20) answers; any other call gets -ENOSYS and is reported by number and name', () => {
    const p = process();
    expect(p.call(20)).toBe(1);
    expect(p.call(90, 0, 4096, 3)).toBe(-38);
    expect(p.call(999)).toBe(-38);
    expect(p.unsupported).toEqual([
      [90, 'mmap'],
      [999, null],
    ]);
  });
});

describe("the kernel's system-call fixtures under m68k-run's system calls", () => {
  const kernelFixtures = new URL('../../../kernel/fixtures/', import.meta.url);
  const input = new Uint8Array(readFileSync(new URL('input.txt', kernelFixtures)));

  it.each(['syscalls', 'filecopy', 'readsum'])('%s prints what qemu-m68k -cpu m68000 printed, and exits as it did', (name) => {
    const bin = (suffix: string) => new URL(`bin/${name}${suffix}`, kernelFixtures);
    const files = new MemoryFiles();
    const result = runProgram(loadElfImage(new Uint8Array(readFileSync(bin('.elf'))), name), { model: 'm68000', stdin: input, files });
    expect(result.error).toBeNull();
    expect(text(result.stdout)).toBe(readFileSync(bin('.expected'), 'utf8'));
    expect(result.status).toBe(Number(readFileSync(bin('.exit'), 'utf8')));
    // syscalls.c makes call 999 on purpose; the others make only calls the kernel serves.
    expect(result.unsupportedSyscalls).toEqual(name === 'syscalls' ? [999] : []);
    if (name === 'filecopy') expect(files.contents('/tmp/pagelab-filecopy.out')?.length).toBe(3016);
  });
});

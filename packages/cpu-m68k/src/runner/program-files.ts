/**
 * The files a program run by `m68k-run` can open: an interface the system calls use, and an
 * in-memory implementation (the default, and what tests use). The CLI passes the host's
 * files instead (`host-files.ts`), as qemu-m68k does.
 */

/** Linux/m68k `open` flags (the access mode is the low two bits). */
export const OpenFlag = {
  accessMask: 3,
  readOnly: 0,
  writeOnly: 1,
  readWrite: 2,
  create: 0o100,
  exclusive: 0o200,
  truncate: 0o1000,
  append: 0o2000,
} as const;

/** Linux errno values file operations report (positive; a system call returns them negated). */
export const FileErrno = { ENOENT: 2, EIO: 5, EACCES: 13, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENOSPC: 28 } as const;

/** An open file: reads and writes at positions the caller keeps. */
export interface ProgramFile {
  /** Copies bytes from `position` into `into`; returns how many (0 at end of file), or -errno. */
  read(into: Uint8Array, position: number): number;
  /** Writes `bytes` at `position`, growing the file as needed; returns how many, or -errno. */
  write(bytes: Uint8Array, position: number): number;
  /** The file's current size in bytes. */
  size(): number;
  close(): void;
}

/** Where `open` finds files by path. */
export interface ProgramFiles {
  /** Opens `path` with Linux `flags` (and `mode` for a created file); returns the file, or a positive errno. */
  open(path: string, flags: number, mode: number): ProgramFile | number;
}

/** Files held in memory, by path: deterministic, and readable back after a run. */
export class MemoryFiles implements ProgramFiles {
  private readonly files = new Map<string, { bytes: Uint8Array; size: number }>();

  /** Starts with copies of `initial` (path to contents). */
  constructor(initial: Readonly<Record<string, Uint8Array>> = {}) {
    for (const [path, bytes] of Object.entries(initial)) this.files.set(path, { bytes: bytes.slice(), size: bytes.length });
  }

  /** A copy of the file at `path`, or null if there is none. */
  contents(path: string): Uint8Array | null {
    const file = this.files.get(path);
    return file === undefined ? null : file.bytes.slice(0, file.size);
  }

  open(path: string, flags: number): ProgramFile | number {
    let file = this.files.get(path);
    if (file !== undefined && (flags & OpenFlag.create) !== 0 && (flags & OpenFlag.exclusive) !== 0) return FileErrno.EEXIST;
    if (file === undefined) {
      if ((flags & OpenFlag.create) === 0) return FileErrno.ENOENT;
      file = { bytes: new Uint8Array(256), size: 0 };
      this.files.set(path, file);
    }
    if ((flags & OpenFlag.truncate) !== 0 && (flags & OpenFlag.accessMask) !== OpenFlag.readOnly) file.size = 0;
    const entry = file;
    return {
      read(into, position) {
        const n = Math.max(0, Math.min(into.length, entry.size - position));
        into.set(entry.bytes.subarray(position, position + n));
        return n;
      },
      write(bytes, position) {
        const end = position + bytes.length;
        if (end > entry.bytes.length) {
          const grown = new Uint8Array(Math.max(end, entry.bytes.length * 2));
          grown.set(entry.bytes.subarray(0, entry.size));
          entry.bytes = grown;
        }
        // A write past the end leaves a hole of zeros, as on Linux.
        if (position > entry.size) entry.bytes.fill(0, entry.size, position);
        entry.bytes.set(bytes, position);
        entry.size = Math.max(entry.size, end);
        return bytes.length;
      },
      size: () => entry.size,
      close() {},
    };
  }
}

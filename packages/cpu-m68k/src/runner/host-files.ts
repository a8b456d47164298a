/**
 * The host's own files for `m68k-run`, as qemu-m68k gives a program: `open` opens the host
 * path, and errors come back as Linux errno values. Kept out of the package's main entry
 * because it needs `node:fs`.
 */
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { FileErrno, OpenFlag, type ProgramFile, type ProgramFiles } from './program-files.js';

function errnoOf(error: unknown): number {
  const code = (error as { code?: string }).code;
  return code !== undefined && code in FileErrno ? FileErrno[code as keyof typeof FileErrno] : FileErrno.EIO;
}

/** Linux/m68k open flags to the host's (the numbers differ between architectures). */
function hostFlags(flags: number): number {
  const access = flags & OpenFlag.accessMask;
  let host = access === OpenFlag.writeOnly ? constants.O_WRONLY : access === OpenFlag.readWrite ? constants.O_RDWR : constants.O_RDONLY;
  if ((flags & OpenFlag.create) !== 0) host |= constants.O_CREAT;
  if ((flags & OpenFlag.exclusive) !== 0) host |= constants.O_EXCL;
  if ((flags & OpenFlag.truncate) !== 0) host |= constants.O_TRUNC;
  return host;
}

/** The host file system, seen through Linux semantics. */
export const hostFiles: ProgramFiles = {
  open(path, flags, mode): ProgramFile | number {
    let fd: number;
    try {
      fd = openSync(path, hostFlags(flags), mode & 0o7777);
    } catch (error) {
      return errnoOf(error);
    }
    const attempt = (action: () => number): number => {
      try {
        return action();
      } catch (error) {
        return -errnoOf(error);
      }
    };
    return {
      read: (into, position) => attempt(() => readSync(fd, into, 0, into.length, position)),
      write: (bytes, position) => attempt(() => writeSync(fd, bytes, 0, bytes.length, position)),
      size: () => fstatSync(fd).size,
      close: () => closeSync(fd),
    };
  },
};

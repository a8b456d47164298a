import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { PagelabError } from '@pagelab/kernel';

/**
 * Writes `text` to `path` whole or not at all: into a temporary file beside it, then renamed
 * over it, so a failure (or Ctrl-C) never leaves half a file where a good one was. A mistake in
 * the path (a missing directory, no permission) is a one-line error naming `what` and the path.
 */
export function writeOutputFile(path: string, text: string, what: string): void {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw outputError(error, path, what);
  }
}

/** The one-line error for an output file that cannot be written: which, and why. */
export function outputError(error: unknown, path: string, what: string): PagelabError {
  const code = (error as { code?: string }).code;
  const reason = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
  return new PagelabError('OUTPUT', `${what} ${path}: cannot be written: ${reason}`);
}

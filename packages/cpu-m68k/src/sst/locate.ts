/**
 * Which SingleStepTests set a run uses when none is named: the full set if it can be found,
 * otherwise the subset committed in this repository, and an error (never a silent skip) when
 * neither is there.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that names a full set's directory (the `v1` folder of the files). */
export const SST_DIR_VARIABLE = 'PAGELAB_SST_DIR';

/** A test set found on disk. */
export interface SstSet {
  /** `full`: the public set beside the repository; `subset`: the compact cut committed here; `named`: the directory in `$PAGELAB_SST_DIR`. */
  readonly kind: 'full' | 'subset' | 'named';
  readonly directory: string;
  /** How it was found, for the log line. */
  readonly source: string;
}

/** Thrown when no test set can be found; the message says where it looked. */
export class SstSetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SstSetNotFoundError';
  }
}

/** The repository root, seen from this source file (packages/cpu-m68k/src/sst). */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the full set lives on this project's machines: `shared/` beside the repository. */
export const DEFAULT_FULL_SET = resolve(REPO_ROOT, '..', 'shared', 'sst-m68000', 'v1');

/** The committed subset. */
export const SUBSET_DIRECTORY = resolve(REPO_ROOT, 'packages', 'cpu-m68k', 'fixtures', 'sst-subset');

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** Options for {@link locateSstSet} (the defaults are the real environment and paths). */
export interface LocateOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fullSet?: string;
  readonly subset?: string;
}

/**
 * The set to run: `$PAGELAB_SST_DIR` when it is set (it must exist: a wrong path is an error,
 * not a reason to fall back), else the full set beside the repository, else the committed subset.
 */
export function locateSstSet(options: LocateOptions = {}): SstSet {
  const env = options.env ?? process.env;
  const fullSet = options.fullSet ?? DEFAULT_FULL_SET;
  const subset = options.subset ?? SUBSET_DIRECTORY;
  const named = env[SST_DIR_VARIABLE];
  if (named !== undefined && named !== '') {
    const directory = resolve(named);
    if (!isDirectory(directory)) throw new SstSetNotFoundError(`${SST_DIR_VARIABLE}=${named}: no such directory (it should name the v1 folder of SingleStepTests/m68000)`);
    return { kind: 'named', directory, source: `$${SST_DIR_VARIABLE}` };
  }
  if (isDirectory(fullSet)) return { kind: 'full', directory: fullSet, source: 'the shared full set' };
  if (isDirectory(subset)) return { kind: 'subset', directory: subset, source: 'the subset committed in the repository' };
  throw new SstSetNotFoundError(
    `no SingleStepTests set found: ${SST_DIR_VARIABLE} is not set, ${fullSet} and ${subset} do not exist (clone github.com/SingleStepTests/m68000 and set ${SST_DIR_VARIABLE} to its v1 folder)`,
  );
}

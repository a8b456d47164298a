import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, PagelabError } from '@pagelab/kernel';

/** `experiments/index.json` of the package: what the build shipped, by name. */
export interface ShippedIndex {
  /** Scenarios for `pagelab compare NAME`: `file` is relative to the bundle. */
  readonly scenarios: readonly { readonly name: string; readonly title: string; readonly file: string }[];
  /** Page-number traces for `pagelab trace NAME`. */
  readonly traces: readonly { readonly name: string; readonly description: string; readonly file: string }[];
  /** Sweep specs for `pagelab sweep NAME`: `file` is relative to the bundle. */
  readonly sweeps: readonly { readonly name: string; readonly description: string; readonly file: string }[];
}

/**
 * The bundle directory, `experiments/` beside `src/` and `dist/` in the package: this module sits
 * directly in either, so one relative step reaches it from source and from the build.
 */
export const shippedDirectory = fileURLToPath(new URL('../experiments/', import.meta.url));

let cached: ShippedIndex | undefined;

/** The shipped index; a missing bundle (a repository checkout that was never built) is one line saying so. */
export function shippedIndex(): ShippedIndex {
  if (cached !== undefined) return cached;
  const path = join(shippedDirectory, 'index.json');
  if (!existsSync(path)) throw new PagelabError('MISSING_BUNDLE', `the shipped experiments are missing (${path}): build @pagelab/cli first (pnpm build)`);
  cached = JSON.parse(readFileSync(path, 'utf8')) as ShippedIndex;
  return cached;
}

/** A name is a bare word: anything with a path separator or an extension is taken as a path. */
const isBareName = (operand: string): boolean => /^[a-z0-9][a-z0-9-]*$/i.test(operand);

const shippedKinds = { scenario: 'shipped experiment', trace: 'shipped trace', sweep: 'shipped sweep' } as const;

function shippedFile(operand: string, kind: keyof typeof shippedKinds, entries: readonly { readonly name: string; readonly file: string }[]): string {
  const entry = entries.find((e) => e.name === operand);
  if (entry === undefined) {
    const what = shippedKinds[kind];
    throw new ConfigurationError(kind, `"${operand}" is neither a file nor a ${what}; the ${what}s are ${entries.map((e) => e.name).join(', ')}`);
  }
  return join(shippedDirectory, entry.file);
}

/** The scenario file `operand` means: the path itself when it exists or looks like a path, else the shipped experiment of that name. */
export function resolveScenarioOperand(operand: string): string {
  return isBareName(operand) && !existsSync(operand) ? shippedFile(operand, 'scenario', shippedIndex().scenarios) : operand;
}

/** The trace file `operand` means: the path itself when it exists or looks like a path, else the shipped trace of that name. */
export function resolveTraceOperand(operand: string): string {
  return isBareName(operand) && !existsSync(operand) ? shippedFile(operand, 'trace', shippedIndex().traces) : operand;
}

/** The shipped experiment `name`'s scenario file (whatever files the working directory holds). */
export function shippedScenarioFile(name: string): string {
  return shippedFile(name, 'scenario', shippedIndex().scenarios);
}

/** The shipped trace `name`'s file (whatever files the working directory holds). */
export function shippedTraceFile(name: string): string {
  return shippedFile(name, 'trace', shippedIndex().traces);
}

/** A name is taken for a shipped entry only when it is a bare word and no such file exists. */
export function isShippedName(operand: string, path: string = operand): boolean {
  return isBareName(operand) && !existsSync(path);
}

/** The sweep spec `operand` means: the path itself when it exists or looks like a path, else the shipped sweep of that name. */
export function resolveSweepOperand(operand: string): string {
  return isShippedName(operand) ? shippedFile(operand, 'sweep', shippedIndex().sweeps) : operand;
}

/** `pagelab sweep --list`: each shipped sweep's name and title. */
export function sweepListing(): string {
  return listing(shippedIndex().sweeps.map((s) => [s.name, s.description]));
}

/** Two columns, names padded: what `--list` prints. */
function listing(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return rows.map(([name, text]) => `${name.padEnd(width)}${text}\n`).join('');
}

/** `pagelab compare --list`: each shipped experiment's name and title. */
export function scenarioListing(): string {
  return listing(shippedIndex().scenarios.map((s) => [s.name, s.title]));
}

/** `pagelab trace --list`: each shipped trace's name and description. */
export function traceListing(): string {
  return listing(shippedIndex().traces.map((t) => [t.name, t.description]));
}

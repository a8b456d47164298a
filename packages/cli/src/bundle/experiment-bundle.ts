import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PagelabError } from '@pagelab/kernel';
import type { ShippedIndex } from '../shipped.js';
import { recordPageTrace } from './record-trace.js';

/** Where the shipped scenarios come from, relative to the repository root. */
export const scenarioSourceDirectory = 'docs/experiments';

/** How a sweep spec's file name ends in the source directory (`pagelab sweep NAME` ships them; they are not scenarios). */
export const sweepSuffix = '.sweep.json';

/** The page size of the recorded traces: small enough that a small C program spans tens of pages. */
export const recordedPageSize = 256;

/** A trace the bundle ships: copied from the repository, or recorded from a compiled program at build time. */
type TraceSource =
  | { readonly name: string; readonly description: string; readonly copy: string }
  | { readonly name: string; readonly description: string; readonly record: { readonly program: string; readonly expectedOutput: string } };

/** The shipped traces, in the order `pagelab trace --list` prints them. */
export const traceSources: readonly TraceSource[] = [
  {
    name: 'belady',
    description: "Belady's anomaly, 1,2,3,4,1,2,5,1,2,3,4,5: FIFO misses 9 times with 3 frames and 10 with 4",
    copy: 'tools/experiments/belady.trace',
  },
  {
    name: 'sort',
    description: `sort.elf (compiled C, sorts 300 numbers) on pagelab's 68000 core, ${recordedPageSize}-byte pages, repeats folded`,
    record: { program: 'packages/cpu-m68k/fixtures/out/sort.elf', expectedOutput: 'packages/cpu-m68k/fixtures/out/sort.expected' },
  },
];

/** The fields of a scenario that name files (relative to the scenario). */
const processFileFields = ['program', 'stdin', 'expectedOutput'] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a repository file ships under `files/`: its repository path without the `packages/` and
 * `fixtures/` steps (`kernel/bin/readsum.elf`), which say nothing to a user and which packaging
 * tools tend to skip as test data.
 */
const shortName = (inRepository: string): string =>
  inRepository
    .split('/')
    .filter((step, i) => !(i === 0 && step === 'packages') && step !== 'fixtures')
    .join('/');

/** A repository-relative path with forward slashes, whatever the host's separator. */
const portable = (path: string): string => path.split(sep).join('/');

/**
 * What `packages/cli/experiments/` must hold, computed from the repository at `root`: every
 * `docs/experiments/*.json` scenario with its file paths rewritten to copies under `files/`
 * (named after their repository paths), those copies, the shipped traces under `traces/`, the
 * `*.sweep.json` specs (which name only shipped scenarios and traces), and `index.json` naming them all. Paths are the keys, `/`-separated and sorted; the same sources
 * give the same bytes.
 */
export function experimentBundle(root: string): ReadonlyMap<string, Uint8Array> {
  const bundle = new Map<string, Uint8Array>();
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const index: { scenarios: ShippedIndex['scenarios'][number][]; traces: ShippedIndex['traces'][number][]; sweeps: ShippedIndex['sweeps'][number][] } = { scenarios: [], traces: [], sweeps: [] };
  const sources = join(root, scenarioSourceDirectory);
  const names = readdirSync(sources)
    .filter((f) => f.endsWith('.json') && !f.endsWith(sweepSuffix))
    .map((f) => f.slice(0, -'.json'.length))
    .sort()
    .map((name) => `${name}.json`);
  if (names.length === 0) throw new PagelabError('BUNDLE', `${sources}: no scenarios to ship`);
  for (const file of names) {
    const path = join(sources, file);
    const fail = (field: string, what: string): never => {
      throw new PagelabError('BUNDLE', `${portable(relative(root, path))}: ${field}: ${what}`);
    };
    const scenario: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(scenario)) return fail('(top level)', 'expected an object');
    // Parts are what a lab brings (--part); a shipped scenario runs pagelab's own.
    if (scenario.parts !== undefined) fail('parts', 'a shipped scenario names no parts');
    const ship = (field: string, named: unknown): string => {
      if (typeof named !== 'string' || isAbsolute(named)) return fail(field, 'expected a relative file path');
      const from = resolve(dirname(path), named);
      const inRepository = portable(relative(root, from));
      if (inRepository.startsWith('../')) fail(field, `${named} is outside the repository`);
      const copy = `files/${shortName(inRepository)}`;
      const bytes = readFileSync(from);
      const earlier = bundle.get(copy);
      if (earlier !== undefined && Buffer.compare(earlier, bytes) !== 0) fail(field, `${named} and another file would both ship as ${copy}`);
      bundle.set(copy, bytes);
      return copy;
    };
    const shipped: Json = { ...scenario, $schema: '../schema/scenario.schema.json' };
    if (isObject(scenario.files)) {
      shipped.files = Object.fromEntries(Object.entries(scenario.files).map(([simulated, host]) => [simulated, ship(`files["${simulated}"]`, host)]));
    }
    if (Array.isArray(scenario.processes)) {
      shipped.processes = scenario.processes.map((entry: unknown, i) => {
        if (!isObject(entry)) return entry;
        const copy: Json = { ...entry };
        for (const field of processFileFields) if (entry[field] !== undefined) copy[field] = ship(`processes[${i}].${field}`, entry[field]);
        return copy;
      });
    }
    bundle.set(file, text(JSON.stringify(shipped, null, 2) + '\n'));
    const title = typeof scenario.name === 'string' ? scenario.name : basename(file, '.json');
    index.scenarios.push({ name: basename(file, '.json'), title, file });
  }
  for (const trace of traceSources) {
    const file = `traces/${trace.name}.trace`;
    if ('copy' in trace) {
      bundle.set(file, readFileSync(join(root, trace.copy)));
    } else {
      const recorded = recordPageTrace({
        executable: new Uint8Array(readFileSync(join(root, trace.record.program))),
        pageSize: recordedPageSize,
        expectedOutput: readFileSync(join(root, trace.record.expectedOutput), 'utf8'),
        header: [
          `${trace.record.program} run on pagelab's 68000 core (kernel, m68010-hidden, frames to spare),`,
          'the page of every reference the CPU completed, a run of references to one page written once;',
          'made by packages/cli/src/bundle/record-trace.ts when @pagelab/cli is built',
        ],
      });
      bundle.set(file, text(recorded.text));
    }
    index.traces.push({ name: trace.name, description: trace.description, file });
  }
  const sweepNames = readdirSync(sources)
    .filter((f) => f.endsWith(sweepSuffix))
    .map((f) => f.slice(0, -sweepSuffix.length))
    .sort();
  for (const file of sweepNames.map((name) => name + sweepSuffix)) {
    const path = join(sources, file);
    const fail = (field: string, what: string): never => {
      throw new PagelabError('BUNDLE', `${portable(relative(root, path))}: ${field}: ${what}`);
    };
    const spec: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(spec)) return fail('(top level)', 'expected an object');
    // A shipped sweep names what it runs by shipped name, so it runs the same from the bundle.
    const shippedNames = { scenario: index.scenarios.map((s) => s.name), trace: index.traces.map((t) => t.name) };
    for (const field of ['scenario', 'trace'] as const) {
      const named = spec[field];
      if (named !== undefined && !shippedNames[field].includes(named as string)) fail(field, `expected a shipped ${field} name (${shippedNames[field].join(', ')}), got ${JSON.stringify(named)}`);
    }
    if (typeof spec.description !== 'string') fail('description', 'a shipped sweep has a one-line description');
    bundle.set(file, text(JSON.stringify({ ...spec, $schema: '../schema/sweep.schema.json' }, null, 2) + '\n'));
    index.sweeps.push({ name: file.slice(0, -sweepSuffix.length), description: spec.description as string, file });
  }
  bundle.set('index.json', text(JSON.stringify(index, null, 2) + '\n'));
  return new Map([...bundle].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

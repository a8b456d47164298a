import { readFileSync } from 'node:fs';
import type { PartModules } from './part-modules.js';
import { dirname, resolve } from 'node:path';
import { isPagelabError, ScenarioError, seamNames, parseSystemConfig, type SyntheticSpec, type SystemConfig } from '@pagelab/kernel';

/** One process of a scenario, with its files read. */
export type ScenarioProcess =
  | { readonly kind: 'program'; readonly name: string; readonly priority: number; readonly executable: Uint8Array; readonly stdin: Uint8Array; readonly expectedOutput: string | null }
  | { readonly kind: 'synthetic'; readonly name: string; readonly priority: number; readonly spec: SyntheticSpec };

/** A scenario, validated and with every file it names read. */
export interface Scenario {
  readonly name: string;
  /** The `system` section as written (overrides are applied on top before it is parsed). */
  readonly system: Readonly<Record<string, unknown>>;
  /** The configuration the scenario describes, checked. */
  readonly config: SystemConfig;
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly processes: readonly ScenarioProcess[];
  /** Replacement parts the scenario names, by seam: module paths relative to {@link Scenario.base}, or package names. */
  readonly parts: PartModules;
  /** The directory the scenario's relative paths are resolved against. */
  readonly base: string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Reads and checks a scenario file. Every problem is a `ScenarioError` naming the file, the
 * field (as a JSON path) and what was expected; files the scenario names are read relative to it.
 */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ScenarioError(path, '(file)', 'cannot be read: no such file, or not readable');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(path, '(file)', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenario(raw, path, (relative) => readFileSync(resolve(dirname(path), relative)));
}

/** Checks an already parsed scenario; `read` fetches a file it names. */
export function parseScenario(raw: unknown, source: string, read: (relative: string) => Uint8Array): Scenario {
  const fail = (field: string, message: string): never => {
    throw new ScenarioError(source, field, message);
  };
  if (!isObject(raw)) return fail('(top level)', `expected an object, got ${describe(raw)}`);
  const known = new Set(['$schema', 'name', 'description', 'system', 'parts', 'files', 'processes']);
  for (const key of Object.keys(raw)) if (!known.has(key)) fail(key, `unknown field; expected one of ${[...known].join(', ')}`);
  if (raw.name !== undefined && typeof raw.name !== 'string') fail('name', `expected a string, got ${describe(raw.name)}`);
  const system = raw.system ?? {};
  if (!isObject(system)) return fail('system', `expected an object, got ${describe(system)}`);
  const config = checkSystem(system, source);
  const rawParts = raw.parts ?? {};
  if (!isObject(rawParts)) return fail('parts', `expected an object of seam -> module, got ${describe(rawParts)}`);
  for (const [seam, module] of Object.entries(rawParts)) {
    if (!(seamNames as readonly string[]).includes(seam)) fail(`parts.${seam}`, `unknown seam; expected one of ${seamNames.join(', ')}`);
    if (typeof module !== 'string' || module.length === 0) fail(`parts.${seam}`, `expected a module path or package name, got ${describe(module)}`);
  }

  const readNamed = (field: string, relative: unknown): Uint8Array => {
    if (typeof relative !== 'string' || relative.length === 0) return fail(field, `expected a file path, got ${describe(relative)}`);
    try {
      return read(relative);
    } catch {
      return fail(field, `cannot read ${relative}`);
    }
  };

  const files = new Map<string, Uint8Array>();
  const rawFiles = raw.files ?? {};
  if (!isObject(rawFiles)) fail('files', `expected an object of simulated path -> file, got ${describe(rawFiles)}`);
  for (const [simulated, host] of Object.entries(rawFiles as Raw)) files.set(simulated, readNamed(`files["${simulated}"]`, host));

  if (!Array.isArray(raw.processes) || raw.processes.length === 0) return fail('processes', `expected a non-empty array, got ${describe(raw.processes)}`);
  const processes = raw.processes.map((entry: unknown, index): ScenarioProcess => {
    const at = `processes[${index}]`;
    if (!isObject(entry)) return fail(at, `expected an object, got ${describe(entry)}`);
    const fields = new Set(['name', 'priority', 'program', 'stdin', 'expectedOutput', 'synthetic']);
    for (const key of Object.keys(entry)) if (!fields.has(key)) fail(`${at}.${key}`, `unknown field; expected one of ${[...fields].join(', ')}`);
    if (typeof entry.name !== 'string' || entry.name.length === 0) fail(`${at}.name`, `expected a non-empty string, got ${describe(entry.name)}`);
    const priority = entry.priority ?? 0;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 255) fail(`${at}.priority`, `expected an integer from 0 to 255, got ${describe(priority)}`);
    const name = entry.name as string;
    if ((entry.program === undefined) === (entry.synthetic === undefined)) fail(at, 'expected exactly one of "program" or "synthetic"');
    if (entry.program !== undefined) {
      return {
        kind: 'program',
        name,
        priority: priority as number,
        executable: readNamed(`${at}.program`, entry.program),
        stdin: entry.stdin === undefined ? new Uint8Array(0) : readNamed(`${at}.stdin`, entry.stdin),
        expectedOutput: entry.expectedOutput === undefined ? null : new TextDecoder().decode(readNamed(`${at}.expectedOutput`, entry.expectedOutput)),
      };
    }
    if (!isObject(entry.synthetic)) return fail(`${at}.synthetic`, `expected an object, got ${describe(entry.synthetic)}`);
    const spec = entry.synthetic as unknown as SyntheticSpec;
    if (spec.io !== undefined && !files.has(spec.io.file)) fail(`${at}.synthetic.io.file`, `names ${describe(spec.io.file)}, which is not in "files"`);
    return { kind: 'synthetic', name, priority: priority as number, spec };
  });
  return { name: typeof raw.name === 'string' ? raw.name : source, system, config, files, processes, parts: rawParts, base: dirname(source) };
}

/** Parses the system section, turning a configuration error into a scenario error at `system.<field>`. */
export function checkSystem(system: Readonly<Record<string, unknown>>, source: string): SystemConfig {
  try {
    return parseSystemConfig(system);
  } catch (error) {
    if (isPagelabError(error, 'CONFIGURATION') && typeof (error as { field?: unknown }).field === 'string') {
      const field = (error as unknown as { field: string }).field;
      throw new ScenarioError(source, `system.${field}`, error.message.slice(field.length + 2));
    }
    throw error;
  }
}

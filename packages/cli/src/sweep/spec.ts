import { dirname, resolve } from 'node:path';
import { isPagelabError, MAX_TRACE_FRAMES, PagelabError, replacementPolicyNames, showValue, systemConfigChoices } from '@pagelab/kernel';
import { readHostFile } from '../host-files.js';
import { jsonNestingDepth } from '../scenario.js';
import { isShippedName } from '../shipped.js';

/** A sweep spec that does not match sweep.schema.json: the file, the field as a JSON path, what was wrong. */
export class SweepSpecError extends PagelabError {
  /** The JSON path of the offending field (`axes.frames[2]`). */
  readonly field: string;

  constructor(source: string, field: string, message: string) {
    super('SWEEP_SPEC', `${source}: ${field}: ${message}`);
    this.field = field;
  }
}

/**
 * Where a spec's scenario or trace lives: a shipped one, by name (so a worker on another machine
 * finds its own copy), or a file, by absolute path.
 */
export type SourceRef = { readonly shipped: string } | { readonly file: string };

/** The system settings a sweep may vary, in the order its points nest (outermost first) and its keys list them. */
export const systemAxisNames = ['frames', 'policy', 'io', 'restart', 'cpuModel', 'lockFreshPages', 'seed'] as const;
export type SystemAxisName = (typeof systemAxisNames)[number];

/** The settings a trace sweep varies, in the order its points nest. */
export const traceAxisNames = ['policy', 'frames'] as const;
export type TraceAxisName = (typeof traceAxisNames)[number];

/** The I/O strategies and restart strategies a sweep names (pagelab's own; a lab's part is for `compare`). */
export const sweepIoNames = ['pin', 'bounce', 'unprotected', 'hybrid'] as const;
export const sweepRestartNames = ['hardware', 'software', 'none', 'continue'] as const;

type AxisValue = number | string | boolean;

/** A checked spec: its name, what it runs, and the listed values of each axis it varies. */
export type SweepSpec =
  | {
      readonly kind: 'system';
      /** The spec file as the user named it (errors name it so). */
      readonly path: string;
      readonly name: string;
      /** The spec's `scenario` as written: what each line's key names. */
      readonly scenario: string;
      readonly source: SourceRef;
      readonly axes: Partial<Record<SystemAxisName, readonly AxisValue[]>>;
    }
  | {
      readonly kind: 'trace';
      readonly path: string;
      readonly name: string;
      /** The spec's `trace` as written: what each line's key names. */
      readonly trace: string;
      readonly source: SourceRef;
      readonly axes: Readonly<Record<TraceAxisName, readonly AxisValue[]>>;
    };

/** The largest spec file: a spec is a page of settings. */
const MAX_SPEC_BYTES = 1024 * 1024;
/** The most values one axis may list: far past any real sweep, short of a typo that would run forever. */
export const MAX_AXIS_VALUES = 4096;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How one axis's items are checked: a list of names, integers in a range, or booleans. */
type AxisRule = { readonly names: readonly string[] } | { readonly min: number; readonly max: number } | 'boolean';

const systemRules: Record<SystemAxisName, AxisRule> = {
  frames: { min: 1, max: 1_048_576 },
  policy: { names: systemConfigChoices.policy },
  io: { names: sweepIoNames },
  restart: { names: sweepRestartNames },
  cpuModel: { names: systemConfigChoices.cpuModel },
  lockFreshPages: 'boolean',
  seed: { min: 0, max: 2 ** 32 - 1 },
};

const traceRules: Record<TraceAxisName, AxisRule> = {
  policy: { names: replacementPolicyNames },
  frames: { min: 1, max: MAX_TRACE_FRAMES },
};

/**
 * Reads and checks a sweep spec. Every problem is a {@link SweepSpecError} naming the file and
 * the field; the scenario or trace it names is resolved (relative to the spec, else shipped) but
 * not read here.
 */
export function loadSweepSpec(path: string): SweepSpec {
  let text: string;
  try {
    text = new TextDecoder().decode(readHostFile(path, 'sweep spec', MAX_SPEC_BYTES));
  } catch (error) {
    throw new SweepSpecError(path, '(file)', isPagelabError(error) ? error.message.slice(`sweep spec ${path}: `.length) : 'cannot be read');
  }
  if (jsonNestingDepth(text) > 8) throw new SweepSpecError(path, '(file)', 'nests arrays and objects deeper than a sweep spec does (8 levels)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SweepSpecError(path, '(file)', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSweepSpec(raw, path);
}

/** Checks an already parsed spec read from `path` (relative names resolve against its directory). */
export function parseSweepSpec(raw: unknown, path: string): SweepSpec {
  const fail = (field: string, message: string): never => {
    throw new SweepSpecError(path, field, message);
  };
  if (!isObject(raw)) return fail('(top level)', `expected an object, got ${showValue(raw)}`);
  const known = ['$schema', 'name', 'description', 'scenario', 'trace', 'axes'];
  for (const key of Object.keys(raw)) if (!known.includes(key)) fail(key, `unknown field; expected one of ${known.join(', ')}`);
  if (typeof raw.name !== 'string' || raw.name.length === 0) fail('name', `expected a non-empty string, got ${showValue(raw.name)}`);
  if (raw.description !== undefined && typeof raw.description !== 'string') fail('description', `expected a string, got ${showValue(raw.description)}`);
  if ((raw.scenario === undefined) === (raw.trace === undefined)) fail('(top level)', 'expected exactly one of "scenario" (a whole-system sweep) or "trace" (a pager-only sweep)');
  const kind = raw.scenario !== undefined ? 'scenario' : 'trace';
  const named = raw[kind];
  if (typeof named !== 'string' || named.length === 0) return fail(kind, `expected a shipped ${kind} NAME or a path relative to the spec, got ${showValue(named)}`);
  const file = resolve(dirname(path), named);
  const source: SourceRef = isShippedName(named, file) ? { shipped: named } : { file };
  if (!isObject(raw.axes)) return fail('axes', `expected an object of axis -> list of values, got ${showValue(raw.axes)}`);
  const rules: Partial<Record<string, AxisRule>> = kind === 'scenario' ? systemRules : traceRules;
  const axes: Record<string, AxisValue[]> = {};
  for (const [axis, values] of Object.entries(raw.axes)) {
    const rule = rules[axis];
    if (rule === undefined) fail(`axes.${axis}`, `unknown axis; a ${kind} sweep varies ${Object.keys(rules).join(', ')}`);
    axes[axis] = checkAxis(values, `axes.${axis}`, rule!, fail);
  }
  const name = raw.name as string;
  if (kind === 'trace') {
    for (const axis of traceAxisNames) if (axes[axis] === undefined) fail(`axes.${axis}`, 'missing: a trace sweep lists its policies and frame counts');
    return { kind: 'trace', path, name, trace: named, source, axes: axes as Record<TraceAxisName, AxisValue[]> };
  }
  return { kind: 'system', path, name, scenario: named, source, axes };
}

function checkAxis(values: unknown, field: string, rule: AxisRule, fail: (field: string, message: string) => never): AxisValue[] {
  if (!Array.isArray(values) || values.length === 0) return fail(field, `expected a non-empty list, got ${showValue(values)}`);
  if (values.length > MAX_AXIS_VALUES) fail(field, `lists ${values.length} values; the limit is ${MAX_AXIS_VALUES}`);
  const seen = new Map<unknown, number>();
  values.forEach((value: unknown, i) => {
    const at = `${field}[${i}]`;
    if (rule === 'boolean') {
      if (typeof value !== 'boolean') fail(at, `expected true or false, got ${showValue(value)}`);
    } else if ('names' in rule) {
      if (typeof value !== 'string' || !rule.names.includes(value)) fail(at, `expected one of ${rule.names.join(', ')}, got ${showValue(value)}`);
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
      fail(at, `expected an integer from ${rule.min} to ${rule.max}, got ${showValue(value)}`);
    }
    const earlier = seen.get(value);
    if (earlier !== undefined) fail(at, `repeats ${field}[${earlier}] (${showValue(value)}): each point is run once`);
    seen.set(value, i);
  });
  return values as AxisValue[];
}

import { ConfigurationError, parseSystemConfig } from '@pagelab/kernel';
import type { Scenario } from '../scenario.js';
import { SweepSpecError, systemAxisNames, type SourceRef, type SweepSpec, type SystemAxisName } from './spec.js';

/**
 * A whole-system point's key: every setting a sweep may vary, always all of them (the scenario's
 * own where the spec does not vary it), in this order whatever the spec's order.
 */
export interface SystemKey {
  /** The scenario's `name` (the spec's `scenario` as written when it has none). */
  readonly scenario: string;
  readonly frames: number;
  readonly policy: string;
  readonly io: string;
  readonly restart: string;
  readonly cpuModel: string;
  readonly lockFreshPages: boolean;
  readonly seed: number;
}

/** A trace point's key, in this order. */
export interface TraceKey {
  readonly trace: string;
  readonly policy: string;
  readonly frames: number;
}

/**
 * What a worker runs: self-contained plain data (a worker thread or a queue's job gets it as
 * is), naming the points by their keys. A whole-system task is one point; a trace task is one
 * policy at each of its frame counts, so LRU and OPT take one pass over the trace for all of them.
 */
export type SweepTask =
  | { readonly kind: 'system'; readonly sweep: string; readonly source: SourceRef; readonly keys: readonly [SystemKey] }
  | { readonly kind: 'trace'; readonly sweep: string; readonly source: SourceRef; readonly keys: readonly TraceKey[] };

/** One point of a sweep: its place in the sweep's order and its key, also as the JSON its line holds. */
export interface SweepPoint {
  readonly index: number;
  readonly key: SystemKey | TraceKey;
  /** `JSON.stringify(key)`: how a line is matched to its point. */
  readonly keyText: string;
}

/** A sweep's points, in order, and how to group a subset of them into tasks. */
export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly points: readonly SweepPoint[];
}

/** Puts a system key's fields in the canonical order, whatever order they came in. */
export function systemKey(k: SystemKey): SystemKey {
  return { scenario: k.scenario, frames: k.frames, policy: k.policy, io: k.io, restart: k.restart, cpuModel: k.cpuModel, lockFreshPages: k.lockFreshPages, seed: k.seed };
}

/** Puts a trace key's fields in the canonical order. */
export function traceKey(k: TraceKey): TraceKey {
  return { trace: k.trace, policy: k.policy, frames: k.frames };
}

/**
 * The CPU model a run under a built-in `restart` uses (`pagelab compare` and sweeps): hardware restart
 * needs the hidden record, continue the long frame, and the continuation model is never backed up.
 */
export function effectiveCpuModel(restart: string, chosen: string | undefined): string {
  if (restart === 'hardware') return 'm68010-hidden';
  if (restart === 'continue') return 'm68010-continuation';
  return chosen === undefined || chosen === 'm68010-continuation' ? 'm68000' : chosen;
}

/** Every combination of the lists, the first list outermost. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((combos, list) => combos.flatMap((combo) => list.map((value) => [...combo, value])), [[]]);
}

/**
 * The points of a whole-system sweep over `scenario` (read from `scenarioPath`). The axes nest in {@link systemAxisNames}
 * order, frames outermost and seed innermost, each axis's values in the spec's order. Hardware
 * restart needs the m68010's hidden record, so a point pairing it with cpuModel m68000 is no
 * point (the spec's other pairs still run); values that the scenario's other settings rule out
 * are errors naming the axis value.
 */
export function planSystemSweep(spec: Extract<SweepSpec, { kind: 'system' }>, scenario: Scenario, scenarioPath: string): SweepPlan {
  const fail = (field: string, message: string): never => {
    throw new SweepSpecError(spec.path, field, message);
  };
  // Each value on its own against the scenario's other settings, as `compare --frames` checks them.
  for (const axis of ['frames', 'policy', 'io', 'lockFreshPages', 'seed'] as const) {
    spec.axes[axis]?.forEach((value, i) => {
      try {
        parseSystemConfig({ ...scenario.system, [axis]: value });
      } catch (error) {
        if (!(error instanceof ConfigurationError) || error.field !== axis) return; // the scenario's own mistake: its runs report it
        fail(`axes.${axis}[${i}]`, error.message.slice(axis.length + 2));
      }
    });
  }
  const config = scenario.config;
  // The scenario's own name; one without a name is named as the spec names it (never by a host path).
  const name = scenario.name === scenarioPath ? spec.scenario : scenario.name;
  const lists = systemAxisNames.map((axis) => spec.axes[axis] ?? [undefined]);
  const points: SweepPoint[] = [];
  for (const combo of product<unknown>(lists)) {
    const chosen = Object.fromEntries(systemAxisNames.map((axis, i) => [axis, combo[i]])) as Partial<Record<SystemAxisName, unknown>>;
    const restart = (chosen.restart as string | undefined) ?? config.restart;
    if (restart === 'hardware' && chosen.cpuModel === 'm68000') continue;
    // Continue runs only on the continuation model, and that model only continues.
    if ((restart === 'continue') !== (chosen.cpuModel === undefined ? restart === 'continue' : chosen.cpuModel === 'm68010-continuation')) continue;
    const key = systemKey({
      scenario: name,
      frames: (chosen.frames as number | undefined) ?? config.frames,
      policy: (chosen.policy as string | undefined) ?? config.policy,
      io: (chosen.io as string | undefined) ?? config.io,
      restart,
      cpuModel: effectiveCpuModel(restart, (chosen.cpuModel as string | undefined) ?? (scenario.system.cpuModel as string | undefined)),
      lockFreshPages: (chosen.lockFreshPages as boolean | undefined) ?? config.lockFreshPages,
      seed: (chosen.seed as number | undefined) ?? config.seed,
    });
    points.push({ index: points.length, key, keyText: JSON.stringify(key) });
  }
  if (points.length === 0) fail('axes', 'every point pairs hardware restart with cpuModel m68000, which lacks the hidden record it needs');
  return { spec, points };
}

/** The points of a trace sweep: policies outermost, then frame counts, each in the spec's order. */
export function planTraceSweep(spec: Extract<SweepSpec, { kind: 'trace' }>): SweepPlan {
  const points: SweepPoint[] = [];
  for (const policy of spec.axes.policy as string[]) {
    for (const frames of spec.axes.frames as number[]) {
      const key = traceKey({ trace: spec.trace, policy, frames });
      points.push({ index: points.length, key, keyText: JSON.stringify(key) });
    }
  }
  return { spec, points };
}

/** A task and the indexes of the points it gives lines for, in its lines' order. */
export interface PlannedTask {
  readonly task: SweepTask;
  readonly indexes: readonly number[];
}

/**
 * The tasks that run `points` (a subset of the plan's, in order): one per whole-system point;
 * for a trace, one per policy with all of that policy's frame counts among them.
 */
export function tasksFor(plan: SweepPlan, points: readonly SweepPoint[]): PlannedTask[] {
  const { spec } = plan;
  if (spec.kind === 'system') {
    return points.map((p) => ({ task: { kind: 'system', sweep: spec.name, source: spec.source, keys: [p.key as SystemKey] }, indexes: [p.index] }));
  }
  const byPolicy = new Map<string, SweepPoint[]>();
  for (const p of points) {
    const policy = (p.key as TraceKey).policy;
    byPolicy.set(policy, [...(byPolicy.get(policy) ?? []), p]);
  }
  return [...byPolicy.values()].map((group) => ({
    task: { kind: 'trace', sweep: spec.name, source: spec.source, keys: group.map((p) => p.key as TraceKey) },
    indexes: group.map((p) => p.index),
  }));
}

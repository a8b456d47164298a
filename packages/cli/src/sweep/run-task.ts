import { isPagelabError, simulateTraceFileAtFrames } from '@pagelab/kernel';
import { outcomeJson, runComparisonPoint, type IoChoice, type RestartChoice } from '../commands/compare.js';
import type { CommandOutput } from '../output.js';
import { loadScenario, type Scenario } from '../scenario.js';
import { shippedScenarioFile, shippedTraceFile } from '../shipped.js';
import type { SystemKey, TraceKey, SweepTask } from './plan.js';
import type { SourceRef } from './spec.js';

/** What a task gives back: a line per key, in the keys' order, or the one-line reason it could not run. */
export type TaskResult = { readonly lines: readonly string[] } | { readonly error: string };

/** The line of one point: the sweep's name, the point's key and what the run gave, in this order. */
export function sweepLine(sweep: string, key: SystemKey | TraceKey, run: unknown): string {
  return JSON.stringify({ sweep, key, run });
}

/** The file a source names on this machine: a shipped name resolves to this installation's copy. */
export function sourceFile(source: SourceRef, kind: 'scenario' | 'trace'): string {
  if ('file' in source) return source.file;
  return kind === 'scenario' ? shippedScenarioFile(source.shipped) : shippedTraceFile(source.shipped);
}

const scenarios = new Map<string, Scenario>();

/** A worker reads a scenario (and the programs it names) once, however many of its points it runs. */
function scenarioAt(path: string): Scenario {
  let scenario = scenarios.get(path);
  if (scenario === undefined) {
    scenario = loadScenario(path);
    scenarios.set(path, scenario);
  }
  return scenario;
}

const quiet: CommandOutput = { stdout: () => undefined, stderr: () => undefined, interactive: false };

/**
 * A whole-system point: the scenario with the key's policy, seed and CPU model in its system
 * section (as `compare --cpu-model` puts the model there), run as `pagelab compare` runs the row
 * `--io IO --restart R --frames F --lock-fresh-pages on|off`. The line's `run` is that row's
 * `--json` object (`ComparisonRunResult`) without the swept settings, which the key holds.
 */
async function runSystemPoint(sweep: string, source: SourceRef, key: SystemKey): Promise<string> {
  const path = sourceFile(source, 'scenario');
  const loaded = scenarioAt(path);
  const scenario: Scenario = { ...loaded, system: { ...loaded.system, policy: key.policy, seed: key.seed, cpuModel: key.cpuModel } };
  const row = await runComparisonPoint(scenario, path, key.io as IoChoice, key.restart as RestartChoice, { frames: key.frames, lockFreshPages: key.lockFreshPages }, quiet);
  return sweepLine(sweep, key, { io: row.io, restart: row.restart, ...outcomeJson(scenario, row) });
}

/** One policy at each frame count: what `pagelab trace T --policy P --frames F --json` counts, one pass for LRU and OPT. */
function runTracePoints(sweep: string, source: SourceRef, keys: readonly TraceKey[]): string[] {
  const path = sourceFile(source, 'trace');
  const runs = simulateTraceFileAtFrames(path, { policy: keys[0]!.policy, format: 'pages', skipBadLines: false }, keys.map((k) => k.frames));
  return runs.map((r, i) =>
    sweepLine(sweep, keys[i]!, { references: r.references, distinctPages: r.distinctPages, misses: r.misses, compulsoryMisses: r.compulsoryMisses, evictions: r.evictions, writebacks: r.writebacks, hitRatio: r.hitRatio }),
  );
}

/**
 * Runs a task wherever it lands (a pool's thread, a queue's sandboxed processor, this thread):
 * a function of the task alone. A pagelab error (bad input the plan could not see) comes back
 * as its one-line message; anything else is a bug and is thrown.
 */
export async function runSweepTask(task: SweepTask): Promise<TaskResult> {
  try {
    if (task.kind === 'system') return { lines: [await runSystemPoint(task.sweep, task.source, task.keys[0])] };
    return { lines: runTracePoints(task.sweep, task.source, task.keys) };
  } catch (error) {
    if (isPagelabError(error)) return { error: error.message };
    throw error;
  }
}

import { statSync } from 'node:fs';
import { PagelabError } from '@pagelab/kernel';
import { interruptedStatus, type CommandOutput } from '../output.js';
import { loadScenario } from '../scenario.js';
import { runTasks } from './engine.js';
import type { SweepExecutor } from './executor.js';
import { planSystemSweep, planTraceSweep, tasksFor, type SweepPlan, type SweepPoint } from './plan.js';
import { sweepProgress } from './progress.js';
import { fileSink, OrderedLines, readExistingResults, type LineSink } from './results-file.js';
import { sourceFile } from './run-task.js';
import { loadSweepSpec, SweepSpecError } from './spec.js';

/** One slice of a sweep: the points whose index modulo `count` is `index`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard I/N`: 0 ≤ I < N. */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,9})\/(\d{1,9})$/.exec(text.trim());
  if (match === null) throw new PagelabError('USAGE', `shard: expected I/N (this is slice I of N, counting from 0), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) throw new PagelabError('USAGE', `shard: expected 0 <= I < N in I/N, got "${text}"`);
  return { index, count };
}

/**
 * Reads the spec at `path` and lists its points. A whole-system sweep reads its scenario here,
 * so a bad scenario or axis value is reported before anything runs.
 */
export function planSweep(path: string): SweepPlan {
  const spec = loadSweepSpec(path);
  if (spec.kind === 'trace') {
    const file = sourceFile(spec.source, 'trace');
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      // reported below
    }
    if (!isFile) throw new SweepSpecError(path, 'trace', `${file}: no such file`);
    return planTraceSweep(spec);
  }
  const scenarioPath = sourceFile(spec.source, 'scenario');
  const scenario = loadScenario(scenarioPath);
  if (Object.keys(scenario.parts).length > 0) {
    throw new SweepSpecError(path, 'scenario', `names parts (${Object.keys(scenario.parts).join(', ')}); a sweep runs pagelab's own (compare runs a lab's part beside them)`);
  }
  return planSystemSweep(spec, scenario, scenarioPath);
}

/** What one `pagelab sweep` run does, the command line parsed. */
export interface SweepRequest {
  /** The spec file (a shipped NAME already resolved). */
  readonly spec: string;
  /** The results file; without one, lines go to standard output. */
  readonly out?: string;
  readonly resume: boolean;
  readonly shard?: Shard;
}

/**
 * Runs a sweep: the points of the request's shard (all without one) that its results file does
 * not hold yet, on the executor `start` makes (called only when something is left to run), the
 * lines written in point order. Resolves to the exit status: 0, or 130 when Ctrl-C stopped it
 * (whole lines only are written; `--resume` finishes the job).
 */
export async function runSweep(request: SweepRequest, out: CommandOutput, start: (tasks: number) => Promise<SweepExecutor>): Promise<number> {
  const plan = planSweep(request.spec);
  const shard = request.shard;
  const points: readonly SweepPoint[] = shard === undefined ? plan.points : plan.points.filter((p) => p.index % shard.count === shard.index);
  if (request.resume && request.out === undefined) throw new PagelabError('USAGE', 'resume: needs --out FILE, the results to resume');
  const existing = request.resume && request.out !== undefined ? readExistingResults(request.out, plan.spec.name, points) : { lines: new Map<number, string>(), appendAt: 0 };
  const left = points.filter((p) => !existing.lines.has(p.index));
  const tasks = tasksFor(plan, left);

  let sink: LineSink;
  let order: number[];
  if (request.out === undefined) {
    sink = { write: (lines) => lines.length > 0 && out.stdout(lines.join('\n') + '\n'), close: () => undefined };
    order = left.map((p) => p.index);
  } else if (!request.resume) {
    sink = fileSink(request.out, 'fresh');
    order = left.map((p) => p.index);
  } else if (existing.appendAt !== null) {
    sink = fileSink(request.out, { appendAt: existing.appendAt });
    order = left.map((p) => p.index);
  } else {
    // Out of order (put-together shards, a stopped run's held lines): the whole file again, in order.
    sink = fileSink(request.out, 'rewrite');
    order = points.map((p) => p.index);
  }
  const writer = new OrderedLines(order, sink);
  if (existing.appendAt === null) for (const [index, line] of existing.lines) writer.add(index, line);

  const label = `sweep ${plan.spec.name}`;
  const progress = sweepProgress(out, label, points.length, existing.lines.size);
  let end: 'done' | 'interrupted' = 'done';
  let where = '';
  try {
    if (tasks.length > 0) {
      const executor = await start(tasks.length);
      where = executor.where;
      try {
        end = await runTasks(
          tasks,
          executor,
          (indexes, lines) => {
            indexes.forEach((index, i) => writer.add(index, lines[i]!));
            progress.advance(indexes.length);
          },
          out.interrupted,
        );
      } finally {
        await executor.close();
      }
    }
  } finally {
    writer.flushAll();
    sink.close();
    progress.finish();
  }
  const destination = request.out ?? 'standard output';
  const shardText = shard === undefined ? '' : ` (shard ${shard.index}/${shard.count} of ${plan.points.length})`;
  const ran = tasks.length === 0 ? 'nothing left to run' : `${left.length} run on ${where}`;
  if (end === 'interrupted') {
    out.stderr(`${label}: interrupted; ${destination} holds the points finished so far; --resume runs the rest\n`);
    return interruptedStatus;
  }
  out.stderr(`${label}: ${points.length} points${shardText} in ${destination}, ${existing.lines.size} already there, ${ran}\n`);
  return 0;
}

import type { SweepTask } from './plan.js';
import { runSweepTask, type TaskResult } from './run-task.js';

/** Where a sweep's tasks run: threads of a pool, or this thread. */
export interface SweepExecutor {
  /** Where the tasks run, as the summary names it (`2 workers`). */
  readonly where: string;
  /** How many tasks may be handed over before one finishes. */
  readonly window: number;
  run(task: SweepTask): Promise<TaskResult>;
  /** Stops the workers, abandoning any task still running. */
  close(): Promise<void>;
}

/**
 * `workers` worker threads of a tinypool pool, each running {@link runSweepTask} from the built
 * `pool-worker.js`. The pool library is loaded here, so commands that never sweep never load it.
 */
export async function poolExecutor(workers: number): Promise<SweepExecutor> {
  const { Tinypool } = await import('tinypool');
  const pool = new Tinypool({ filename: new URL('./pool-worker.js', import.meta.url).href, minThreads: workers, maxThreads: workers });
  return {
    where: `${workers} worker${workers === 1 ? '' : 's'}`,
    window: workers * 2,
    run: (task) => pool.run(task) as Promise<TaskResult>,
    close: () => pool.destroy(),
  };
}

/** Every task in this thread, one at a time: the same results, for tests that run from the TypeScript sources. */
export function inThreadExecutor(): SweepExecutor {
  return { where: '1 worker', window: 1, run: runSweepTask, close: () => Promise.resolve() };
}

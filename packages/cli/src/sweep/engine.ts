import { PagelabError } from '@pagelab/kernel';
import type { SweepExecutor } from './executor.js';
import type { PlannedTask } from './plan.js';

/** How a run of tasks ended. */
export type TasksEnd = 'done' | 'interrupted';

/**
 * Runs `tasks` on `executor`, at most its `window` at a time (a pool's: a running and a waiting
 * task per worker, so a stop wastes little; a queue's: all of them), and hands each task's lines to
 * `onLines` as it finishes, in whatever order they finish. When `interrupted()` turns true no
 * more tasks start and the ones running are abandoned (their points stay for `--resume`). A
 * task that reports an error stops the run with that error, naming its first point.
 */
export async function runTasks(
  tasks: readonly PlannedTask[],
  executor: SweepExecutor,
  onLines: (indexes: readonly number[], lines: readonly string[]) => void,
  interrupted: () => boolean = () => false,
): Promise<TasksEnd> {
  let next = 0;
  let running = 0;
  let settled = false;
  return new Promise<TasksEnd>((resolve, reject) => {
    const stop = (end: TasksEnd | Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      if (end instanceof Error) reject(end);
      else resolve(end);
    };
    // Ctrl-C sets a flag; a task's completion is not the only moment to look at it.
    const watch = setInterval(() => {
      if (interrupted()) stop('interrupted');
    }, 50);
    const fill = (): void => {
      if (settled) return;
      if (interrupted()) return stop('interrupted');
      if (next === tasks.length && running === 0) return stop('done');
      while (running < executor.window && next < tasks.length) {
        const planned = tasks[next++]!;
        running++;
        executor.run(planned.task).then(
          (result) => {
            running--;
            if (settled) return;
            if ('error' in result) return stop(new PagelabError('SWEEP', `point ${JSON.stringify(planned.task.keys[0])}: ${result.error}`));
            if (result.lines.length !== planned.indexes.length) return stop(new Error(`a task gave ${result.lines.length} lines for ${planned.indexes.length} points`));
            try {
              onLines(planned.indexes, result.lines);
            } catch (error) {
              return stop(error instanceof Error ? error : new Error(String(error)));
            }
            fill();
          },
          (error: unknown) => {
            running--;
            stop(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
    };
    fill();
  });
}

// The module each of the pool's worker threads loads: its default export runs one task.
import type { SweepTask } from './plan.js';
import { runSweepTask, type TaskResult } from './run-task.js';

export default function runPooledTask(task: SweepTask): Promise<TaskResult> {
  return runSweepTask(task);
}

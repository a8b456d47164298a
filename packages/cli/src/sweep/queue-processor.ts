// BullMQ's sandboxed processor: each `pagelab worker` forks child processes that load this file
// and run one job at a time in it, so a long simulation never blocks the worker process, which
// keeps renewing the job's lock meanwhile.
import type { SweepTask } from './plan.js';
import { runSweepTask, type TaskResult } from './run-task.js';

export default function processSweepJob(job: { readonly data: SweepTask }): Promise<TaskResult> {
  return runSweepTask(job.data);
}

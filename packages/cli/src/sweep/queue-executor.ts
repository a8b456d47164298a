import { PagelabError } from '@pagelab/kernel';
import type { SweepExecutor } from './executor.js';
import type { SweepTask } from './plan.js';
import { jobId, QUEUE_NAME, type RedisOptions } from './queue.js';
import type { TaskResult } from './run-task.js';

/** How long reaching Redis may take before the sweep gives up (a wrong host or port fails in this time, not never). */
const CONNECT_TIMEOUT_MS = 3_000;
/** How often the jobs still awaited are looked up, in case a completion event was missed. */
const POLL_MS = 5_000;
/** A finished job is kept this long, so a sweep restarted after a crash collects it instead of running it again. */
const KEEP_FINISHED_SECONDS = 24 * 3600;

/**
 * ioredis options that fail fast: the first connection gives up after one try, and a connection
 * lost later is retried for about half a minute before the sweep stops with an error.
 */
function connection(redis: RedisOptions, connected: () => boolean) {
  return {
    ...redis,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (!connected() || times > 15 ? null : Math.min(200 * times, 2_000)),
  };
}

/** The one-line reason a Redis connection failed. */
export function redisProblem(url: string, error: unknown): PagelabError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new PagelabError('QUEUE', `queue: cannot reach Redis at ${url}: ${code ?? message.split('\n')[0]}`);
}

/**
 * Runs tasks as BullMQ jobs: each task is added to {@link QUEUE_NAME} under its {@link jobId} and
 * awaited until a `pagelab worker` completes it. Every task is handed over at once (the window is
 * unbounded), so workers anywhere can take them; the lines still come out in point order.
 */
export async function queueExecutor(url: string, redis: RedisOptions): Promise<SweepExecutor> {
  const { Queue, QueueEvents } = await import('bullmq');
  let connected = false;
  const options = connection(redis, () => connected);
  const queue = new Queue(QUEUE_NAME, { connection: options });
  const events = new QueueEvents(QUEUE_NAME, { connection: options });
  // Errors surface through the awaited calls; without a listener an EventEmitter would throw them.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  } catch (error) {
    // Not closed: their connections have ended, and closing now would drop the listeners that
    // catch the errors their failed start still emits.
    throw redisProblem(url, error);
  }
  connected = true;

  const waiting = new Map<string, { resolve: (result: TaskResult) => void; reject: (error: Error) => void }>();
  const settle = (id: string, outcome: { result: unknown } | { error: string }): void => {
    const waiter = waiting.get(id);
    if (waiter === undefined) return;
    waiting.delete(id);
    if ('error' in outcome) waiter.reject(new PagelabError('QUEUE', `job ${id} failed on its worker: ${outcome.error}`));
    else waiter.resolve((typeof outcome.result === 'string' ? JSON.parse(outcome.result) : outcome.result) as TaskResult);
  };
  /** Looks a job up: settles it when it finished (and retries one an earlier run left failed). */
  const check = async (id: string, retryFailed: boolean): Promise<void> => {
    const job = await queue.getJob(id);
    if (job === undefined || !waiting.has(id)) return;
    const state = await job.getState();
    if (state === 'completed') settle(id, { result: job.returnvalue });
    else if (state === 'failed') {
      if (retryFailed) await job.retry('failed');
      else settle(id, { error: job.failedReason });
    }
  };
  events.on('completed', ({ jobId: id, returnvalue }) => settle(id, { result: returnvalue }));
  // A failure with attempts left goes back to waiting; only a job in the failed set has failed.
  events.on('failed', ({ jobId: id }) => void check(id, false).catch(() => undefined));
  const poll = setInterval(() => {
    for (const id of waiting.keys()) void check(id, false).catch(() => undefined);
  }, POLL_MS);

  return {
    where: `the queue at ${url}`,
    window: Number.POSITIVE_INFINITY,
    run: (task: SweepTask) =>
      new Promise<TaskResult>((resolve, reject) => {
        const id = jobId(task);
        waiting.set(id, { resolve, reject });
        queue
          .add(task.sweep, task, {
            jobId: id,
            attempts: 3,
            removeOnComplete: { age: KEEP_FINISHED_SECONDS },
            removeOnFail: { age: KEEP_FINISHED_SECONDS },
          })
          // The id may be an earlier run's job that finished already: then no event will come.
          .then(() => check(id, true))
          .catch((error: unknown) => {
            waiting.delete(id);
            reject(redisProblem(url, error));
          });
      }),
    close: async () => {
      clearInterval(poll);
      waiting.clear();
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import { interruptedStatus, type CommandOutput } from '../output.js';
import { LOCK_DURATION_MS, MAX_STALLED_COUNT, parseRedisUrl, QUEUE_NAME, STALLED_INTERVAL_MS } from '../sweep/queue.js';
import { redisProblem } from '../sweep/queue-executor.js';
import { parseWorkers } from './sweep.js';

export const workerSpec: CommandSpec = {
  command: 'pagelab worker',
  operands: '--queue redis://HOST:PORT',
  summary: 'runs the points `pagelab sweep --queue` puts on a BullMQ queue, until Ctrl-C',
  options: [
    { name: 'queue', value: 'URL', help: 'the Redis server of the queue: redis://[user:password@]HOST[:PORT][/DB] (required)' },
    { name: 'concurrency', value: 'N', help: `jobs run at once, each in its own sandboxed child process\n(default: every core, ${availableParallelism()} here)` },
  ],
  notes: [
    `Jobs come from the BullMQ queue "${QUEUE_NAME}". A worker that dies (killed, its machine lost) has`,
    `its jobs handed to another worker once their lock lapses (${LOCK_DURATION_MS / 1000} s); each point is completed once.`,
    'Workers need the same pagelab version as the sweep, and the scenario files it names at the same',
    "paths (shipped experiments and traces are found by name in the worker's own installation).",
  ],
};

/** `pagelab worker`: a BullMQ worker over the sweep queue, with the sandboxed processor of the built package. */
export async function workerCommand(argv: readonly string[], out: CommandOutput): Promise<number> {
  const parsed = parseCommandLine(workerSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(workerSpec));
    return 0;
  }
  if (parsed.positionals.length > 0) throw new ConfigurationError('arguments', `pagelab worker takes no operands, got ${parsed.positionals.join(' ')}`);
  const url = optionText(parsed.values, 'queue');
  if (url === undefined) throw new ConfigurationError('queue', 'missing: pagelab worker --queue redis://HOST:PORT');
  const redis = parseRedisUrl(url);
  const concurrency = parseWorkers(optionText(parsed.values, 'concurrency'), 'concurrency');

  const { Worker } = await import('bullmq');
  let connected = false;
  const worker = new Worker(QUEUE_NAME, fileURLToPath(new URL('../sweep/queue-processor.js', import.meta.url)), {
    connection: {
      ...redis,
      connectTimeout: 3_000,
      maxRetriesPerRequest: null,
      // Fail at once if Redis is not there at the start; ride out a short outage later.
      retryStrategy: (times: number) => (!connected || times > 15 ? null : Math.min(200 * times, 2_000)),
    },
    concurrency,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    autorun: false,
  });
  let failure: unknown = null;
  worker.on('error', (error) => {
    failure ??= error;
  });
  worker.on('completed', (job) => out.stderr(`pagelab worker: ${job.name}: completed ${job.id ?? '?'}\n`));
  worker.on('failed', (job, error) => out.stderr(`pagelab worker: ${job?.name ?? '?'}: ${job?.id ?? '?'} failed: ${error.message.split('\n')[0] ?? ''}\n`));
  try {
    await worker.waitUntilReady();
  } catch (error) {
    // Not closed: its connections have ended, and its error listener must stay for what they still emit.
    throw redisProblem(url, error);
  }
  connected = true;
  out.stderr(`pagelab worker: taking jobs from "${QUEUE_NAME}" at ${url}, ${concurrency} at a time; Ctrl-C stops\n`);
  // A container platform stops a worker with SIGTERM: finish the running jobs, as Ctrl-C does.
  let terminated = false;
  const onTerm = (): void => {
    terminated = true;
  };
  process.on('SIGTERM', onTerm);
  const running = worker.run();
  try {
    await new Promise<void>((resolve) => {
      const watch = setInterval(() => {
        if (out.interrupted?.() === true || terminated || failure !== null || !worker.isRunning()) {
          clearInterval(watch);
          resolve();
        }
      }, 100);
    });
    // Asked to stop: the running jobs finish first. Redis lost: nothing more can be reported, so
    // the jobs are left to lapse and go to another worker.
    await worker.close(failure !== null);
    await running.catch(() => undefined);
  } finally {
    process.off('SIGTERM', onTerm);
  }
  if (failure !== null) throw redisProblem(url, failure);
  out.stderr('pagelab worker: stopped\n');
  return terminated ? terminatedStatus : interruptedStatus;
}

/** The exit status after SIGTERM (128 + 15, as shells report it). */
const terminatedStatus = 143;

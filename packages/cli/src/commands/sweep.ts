import { availableParallelism } from 'node:os';
import { ConfigurationError } from '@pagelab/kernel';
import { optionText, parseCommandLine, usageText, type CommandSpec } from '../command-line.js';
import type { CommandOutput } from '../output.js';
import { resolveSweepOperand, sweepListing } from '../shipped.js';
import { poolExecutor, type SweepExecutor } from '../sweep/executor.js';
import { parseRedisUrl } from '../sweep/queue.js';
import { parseShard, runSweep, type SweepRequest } from '../sweep/run-sweep.js';

/** The most worker threads a sweep starts: beyond any machine's cores, short of a typo's thousands. */
const MAX_WORKERS = 256;

export const sweepSpec: CommandSpec = {
  command: 'pagelab sweep',
  operands: '<spec.json|NAME>',
  summary: 'runs every point of a sweep spec (scenario or trace × axes) on worker threads; one JSON line per point',
  options: [
    { name: 'workers', value: 'N', help: `worker threads (default: every core, os.availableParallelism(), ${availableParallelism()} here)` },
    { name: 'out', value: 'FILE', help: 'write the lines to FILE (default: standard output)' },
    { name: 'resume', help: "keep FILE's lines and run only the points it lacks (a cut-off last line is run\nagain); the finished file is the one a fresh run writes" },
    { name: 'shard', value: 'I/N', help: 'run only the points whose index modulo N is I (0 <= I < N), for array jobs' },
    { name: 'queue', value: 'URL', help: 'run the points as BullMQ jobs on the Redis at redis://HOST:PORT instead, for\n`pagelab worker --queue URL` processes anywhere to take; the same lines' },
    { name: 'list', help: 'print the shipped sweeps, by NAME, and exit' },
  ],
  notes: [
    'NAME is a shipped sweep (`pagelab sweep --list`), e.g. dma-vs-replacement; a file of that name wins.',
    'Lines come in point order with keys in a fixed order and no host time, so a finished file is the',
    'same byte for byte for any --workers; Ctrl-C writes whole lines only and exits 130.',
    'the spec format: packages/cli/schema/sweep.schema.json and docs/sweeps.md',
  ],
};

/** Parses `--workers N`: 1 to {@link MAX_WORKERS}. */
export function parseWorkers(text: string | undefined, field = 'workers'): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_WORKERS) throw new ConfigurationError(field, `expected a whole number from 1 to ${MAX_WORKERS}, got "${text}"`);
  return Number(text);
}

/**
 * `pagelab sweep`. `executor` makes where the tasks run (given how many there are); by default
 * a pool of `--workers` threads. Tests pass one that runs in their own thread.
 */
export async function sweepCommand(argv: readonly string[], out: CommandOutput, executor?: (workers: number) => Promise<SweepExecutor>): Promise<number> {
  const parsed = parseCommandLine(sweepSpec, argv);
  if (parsed === 'help') {
    out.stdout(usageText(sweepSpec));
    return 0;
  }
  const { values, positionals } = parsed;
  const text = (name: string) => optionText(values, name);
  if (values.list === true) {
    if (positionals.length > 0) throw new ConfigurationError('list', 'takes no spec');
    out.stdout(sweepListing());
    return 0;
  }
  if (positionals.length !== 1) throw new ConfigurationError('spec', `expected one sweep spec file or shipped sweep NAME, got ${positionals.length}`);
  const workers = parseWorkers(text('workers'));
  const shardText = text('shard');
  const outFile = text('out');
  const request: SweepRequest = {
    spec: resolveSweepOperand(positionals[0]!),
    resume: values.resume === true,
    ...(outFile === undefined ? {} : { out: outFile }),
    ...(shardText === undefined ? {} : { shard: parseShard(shardText) }),
  };
  const queue = text('queue');
  if (queue !== undefined) {
    if (text('workers') !== undefined) throw new ConfigurationError('workers', 'with --queue the points run on `pagelab worker` processes; give them --concurrency');
    const redis = parseRedisUrl(queue);
    // Loaded only here: BullMQ and ioredis are for queued sweeps and workers alone.
    const { queueExecutor } = await import('../sweep/queue-executor.js');
    return runSweep(request, out, () => queueExecutor(queue, redis));
  }
  // No more threads than tasks: a small sweep does not pay for idle workers starting.
  return runSweep(request, out, (tasks) => (executor ?? poolExecutor)(Math.min(workers, tasks)));
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PagelabError } from '@pagelab/kernel';
import type { SweepTask } from './plan.js';

/** The BullMQ queue every `pagelab sweep --queue` adds to and every `pagelab worker` takes from. */
export const QUEUE_NAME = 'pagelab-sweep';

/**
 * How long a worker's lock on a job lasts unrenewed. The worker process renews it every half of
 * this while the job runs in its sandboxed child, so only a worker that died lets it lapse; then
 * the stalled-job check (every {@link STALLED_INTERVAL_MS}) hands the job to another worker.
 */
export const LOCK_DURATION_MS = 10_000;
export const STALLED_INTERVAL_MS = 5_000;
/** How many times one job may be found stalled (its worker died) before it counts as failed. */
export const MAX_STALLED_COUNT = 5;

/** ioredis connection options: a URL's host, port, database and credentials. */
export interface RedisOptions {
  readonly host: string;
  readonly port: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: Record<string, never>;
}

/**
 * Parses `--queue redis://[user:password@]HOST[:PORT][/DB]` (or `rediss://` for TLS). A URL of
 * any other shape is a one-line error naming the option.
 */
export function parseRedisUrl(text: string): RedisOptions {
  const fail = (why: string): never => {
    throw new PagelabError('USAGE', `queue: ${why}, got "${text}"; expected redis://HOST:PORT`);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') fail(`the scheme must be redis: or rediss:, not ${url.protocol}`);
  if (url.hostname.length === 0) fail('no host');
  if (url.search.length > 0 || url.hash.length > 0) fail('a query or fragment is not understood');
  const path = url.pathname.replace(/^\//, '');
  if (path.length > 0 && !/^\d{1,2}$/.test(path)) fail('the path must be a database number');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(path.length > 0 ? { db: Number(path) } : {}),
    ...(url.username.length > 0 ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password.length > 0 ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The version of this pagelab, part of every job id: another version's results are never taken for this one's. */
function pagelabVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/**
 * A task's job id: a hash of pagelab's version, the sweep's name, what it runs and the keys of
 * its points. Adding a job whose id is there already adds nothing, so enqueueing a sweep again
 * (after a crash, from another machine) never runs a point twice.
 */
export function jobId(task: SweepTask): string {
  const hash = createHash('sha256').update(JSON.stringify([pagelabVersion(), task.sweep, task.kind, task.source, task.keys])).digest('hex');
  // BullMQ takes an all-digit custom id for its own counter; the prefix keeps ours apart.
  return `point-${hash.slice(0, 40)}`;
}

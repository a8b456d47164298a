import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inThreadExecutor } from '../sweep/executor.js';
import { QUEUE_NAME } from '../sweep/queue.js';
import { sweepCommand } from './sweep.js';

// End to end: a real redis-server, two `pagelab worker` processes and `pagelab sweep --queue`,
// all through the built command (the sandboxed processor is the compiled queue-processor.js).
const bin = fileURLToPath(new URL('../../bin/pagelab.js', import.meta.url));
const processor = fileURLToPath(new URL('../../dist/sweep/queue-processor.js', import.meta.url));
const spec = fileURLToPath(new URL('../sweep/__fixtures__/small.sweep.json', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-sweep-queue-'));

const started: ChildProcess[] = [];
let redis: ChildProcess;
let url = '';
let events: QueueEvents | undefined;

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once `port` on 127.0.0.1 accepts a connection (or fails after `ms`). */
async function listening(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A child in its own process group, so killing the group also kills what it forked (the sandboxed processors). */
function start(args: string[], logs: { text: string }): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => void (logs.text += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (logs.text += d.toString()));
  started.push(child);
  return child;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

async function until(what: string, test: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    throw new Error("redis-server is not installed: this end-to-end test needs Debian's redis-server package, which .ci/run installs (apt-get install redis-server)");
  }
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  started.push(redis);
  await listening(port, 10_000);
  url = `redis://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await events?.close();
  for (const child of started) killGroup(child);
  redis?.kill('SIGKILL');
}, 60_000);

describe('pagelab sweep --queue with pagelab worker (BullMQ on a real redis-server)', () => {
  it('is built (pnpm build)', () => {
    expect(existsSync(processor), `${processor} is missing: run pnpm build`).toBe(true);
  });

  it('two workers, one killed mid-sweep: every point completes exactly once and the file equals the local sweep byte for byte', async () => {
    events = new QueueEvents(QUEUE_NAME, { connection: { host: '127.0.0.1', port: Number(new URL(url).port) } });
    await events.waitUntilReady();
    const completions = new Map<string, number>();
    let stalled = 0;
    events.on('completed', ({ jobId }) => void completions.set(jobId, (completions.get(jobId) ?? 0) + 1));
    events.on('stalled', () => void stalled++);

    const logs = [{ text: '' }, { text: '' }];
    const workers = logs.map((log) => start(['worker', '--queue', url, '--concurrency', '2'], log));
    await until('both workers to connect', () => logs.every((l) => l.text.includes('taking jobs')), 60_000);

    const out = join(scratch, 'queued.jsonl');
    const sweepLog = { text: '' };
    const sweep = start(['sweep', spec, '--queue', url, '--out', out], sweepLog);
    // Mid-sweep: once the first worker has finished a point, it dies with its next ones running.
    await until('a point completed by the first worker', () => logs[0]!.text.includes(': completed '), 120_000);
    killGroup(workers[0]!);
    expect(await exited(sweep), sweepLog.text).toBe(0);
    expect(sweepLog.text).toMatch(/sweep small: 24 points in .*queued\.jsonl, 0 already there, 24 run on the queue at redis:\/\/127\.0\.0\.1:\d+\n/);

    let local = '';
    expect(await sweepCommand([spec], { stdout: (t) => void (local += t), stderr: () => undefined, interactive: false }, () => Promise.resolve(inThreadExecutor()))).toBe(0);
    const queued = readFileSync(out, 'utf8');
    expect(queued).toBe(local);
    expect(new Set(queued.trimEnd().split('\n')).size).toBe(24);
    // One job per point, each completed once; the killed worker's running jobs went to the other as stalled jobs.
    expect(completions.size).toBe(24);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);
    expect(stalled).toBeGreaterThan(0);
    const logged = logs.flatMap((l) => [...l.text.matchAll(/: completed (point-[0-9a-f]+)/g)].map((m) => m[1]!));
    expect(new Set(logged).size).toBe(logged.length);

    // Enqueued again, the same job ids add nothing: the results come back with no job run again.
    const again = join(scratch, 'again.jsonl');
    const rerun = spawnSync(process.execPath, [bin, 'sweep', spec, '--queue', url, '--out', again], { encoding: 'utf8', timeout: 120_000 });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(local);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);

    // A platform's SIGTERM stops the surviving worker cleanly, with its own status.
    workers[1]!.kill('SIGTERM');
    expect(await exited(workers[1]!)).toBe(143);
    expect(logs[1]!.text).toMatch(/pagelab worker: stopped\n$/);
  });

  it.each([
    ['a URL of another scheme', 'http://127.0.0.1:1', /^pagelab: error: queue: the scheme must be redis: or rediss:, not http:, got "http:\/\/127\.0\.0\.1:1"; expected redis:\/\/HOST:PORT\n$/],
    ['no Redis on the port', 'redis://127.0.0.1:1', /^pagelab: error: queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: ECONNREFUSED\n$/],
  ])('%s is one line and exit status 2, at once, for sweep and worker', (_what, target, message) => {
    for (const args of [['sweep', spec, '--queue', target], ['worker', '--queue', target]]) {
      // An endless reconnect loop would be killed here and fail on the status.
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    }
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inThreadExecutor } from '../sweep/executor.js';
import { sweepCommand } from './sweep.js';

// The pool's worker threads load the compiled pool-worker.js, so these run the built command.
const bin = fileURLToPath(new URL('../../bin/pagelab.js', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/sweep/pool-worker.js', import.meta.url));
const spec = fileURLToPath(new URL('../sweep/__fixtures__/small.sweep.json', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-sweep-pool-'));
const pagelab = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

/** The fixture sweep run in this thread from the sources: what every pool size must write. */
async function inThread(): Promise<string> {
  let stdout = '';
  const status = await sweepCommand([spec], { stdout: (t) => void (stdout += t), stderr: () => undefined, interactive: false }, () => Promise.resolve(inThreadExecutor()));
  expect(status).toBe(0);
  return stdout;
}

describe('pagelab sweep on worker threads (the built command)', () => {
  it('is built (pnpm build)', () => {
    expect(existsSync(dist), `${dist} is missing: run pnpm build`).toBe(true);
  });

  it('writes the same file byte for byte with 1 and 3 workers, and the same as one thread does', async () => {
    const files = [1, 3].map((workers) => {
      const out = join(scratch, `workers-${workers}.jsonl`);
      const r = pagelab('sweep', spec, '--workers', String(workers), '--out', out);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`24 run on ${workers} worker`);
      return readFileSync(out, 'utf8');
    });
    expect(files[1]).toBe(files[0]);
    expect(files[0]).toBe(await inThread());
  });

  it('stops on SIGINT with whole lines written and status 130; --resume completes the file', async () => {
    const out = join(scratch, 'interrupted.jsonl');
    const child = spawn(process.execPath, [bin, 'sweep', spec, '--workers', '2', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Wait for a few lines, then Ctrl-C as a terminal would send it.
    for (let i = 0; i < 600; i++) {
      if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted; .* holds the points finished so far/);
    const whole = await inThread();
    const partial = readFileSync(out, 'utf8');
    expect(partial.endsWith('\n')).toBe(true);
    const kept = partial.trimEnd().split('\n');
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(kept.length).toBeLessThan(24);
    for (const line of kept) expect(whole.split('\n')).toContain(line);
    const resumed = pagelab('sweep', spec, '--workers', '2', '--out', out, '--resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(whole);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/pagelab.js', import.meta.url));

describe('the built pagelab bin behind a pipe that closes early', () => {
  it('stops quietly with status 141 (SIGPIPE), not a stack trace', async () => {
    // A sweep writes a line per point to stdout; the reader takes the first chunk and hangs up.
    const child = spawn(process.execPath, [bin, 'sweep', 'belady', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(status).toBe(141);
  });
});

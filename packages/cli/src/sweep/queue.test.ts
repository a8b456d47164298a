import { describe, expect, it } from 'vitest';
import type { SweepTask } from './plan.js';
import { jobId, parseRedisUrl } from './queue.js';

describe('--queue URLs', () => {
  it.each([
    ['redis://127.0.0.1:6390', { host: '127.0.0.1', port: 6390 }],
    ['redis://queue.example', { host: 'queue.example', port: 6379 }],
    ['redis://user:p%40ss@queue.example:7000/3', { host: 'queue.example', port: 7000, db: 3, username: 'user', password: 'p@ss' }],
    ['rediss://[::1]:6380', { host: '::1', port: 6380, tls: {} }],
  ])('%s', (text, options) => {
    expect(parseRedisUrl(text)).toEqual(options);
  });

  it.each([
    ['127.0.0.1:6379', 'not a URL'],
    ['localhost:6379', 'the scheme must be redis: or rediss:, not localhost:'],
    ['http://localhost:6379', 'the scheme must be redis: or rediss:, not http:'],
    ['redis://localhost:6379/queue', 'the path must be a database number'],
    ['redis://localhost:6379?db=1', 'a query or fragment is not understood'],
  ])('%s is refused: %s', (text, why) => {
    expect(() => parseRedisUrl(text)).toThrow(`queue: ${why}, got "${text}"; expected redis://HOST:PORT`);
  });
});

describe('job ids', () => {
  const task = (frames: number): SweepTask => ({
    kind: 'system',
    sweep: 'dma',
    source: { shipped: 'dma-vs-replacement' },
    keys: [{ scenario: 'dma-vs-replacement', frames, policy: 'clock', io: 'pin', restart: 'hardware', cpuModel: 'm68010-hidden', lockFreshPages: false, seed: 1 }],
  });

  it('are the same for the same point and differ between points, never all digits', () => {
    expect(jobId(task(20))).toBe(jobId(task(20)));
    expect(jobId(task(20))).not.toBe(jobId(task(24)));
    expect(jobId(task(20))).not.toBe(jobId({ ...task(20), sweep: 'other' }));
    expect(jobId(task(20))).toMatch(/^point-[0-9a-f]{40}$/);
  });
});

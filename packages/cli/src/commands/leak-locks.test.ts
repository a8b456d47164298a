import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPagelab } from '../main.js';

async function capture(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runPagelab(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false });
  return { status, stdout, stderr };
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'cpu-m68k', 'fixtures', 'out');
const sort = join(fixtures, 'sort.elf');
const input = join(mkdtempSync(join(tmpdir(), 'pagelab-leak-')), 'numbers.txt');
writeFileSync(input, '5\n3\n9\n1\n');

describe('pagelab run --leak-locks', () => {
  it('leaks every transfer pin: the JSON names each leaked lock, the summary gives the diagnosis and the frames', async () => {
    const args = ['run', sort, '--stdin', input, '--frames', '12', '--page-size', '1024', '--leak-locks', 'io-pin:1'];
    const json = await capture([...args, '--json']);
    expect(json.status).toBe(0);
    const { lockLeaks, pinsAcquired, pinsReleased } = JSON.parse(json.stdout) as {
      lockLeaks: { injection: unknown; injected: number; leaks: { reason: string; pid: number; frame: number }[]; diagnosis: string; samples?: unknown };
      pinsAcquired: number;
      pinsReleased: number;
    };
    expect(lockLeaks.injection).toEqual({ kind: 'io-pin', rate: 1, seed: 1 });
    expect(lockLeaks.injected).toBeGreaterThan(0);
    expect(lockLeaks.leaks).toHaveLength(lockLeaks.injected);
    expect(pinsAcquired - pinsReleased).toBe(lockLeaks.injected);
    for (const leak of lockLeaks.leaks) expect([leak.reason, leak.pid]).toEqual(['dma', 1]);
    expect(lockLeaks.samples).toBeUndefined();
    const human = await capture(args);
    expect(human.stderr).toContain(`leak injection       io-pin at rate 1 (seed 1): ${lockLeaks.injected} of ${lockLeaks.injected} releases skipped`);
    expect(human.stderr).toContain(`lock audit           ${lockLeaks.diagnosis}; `);
    expect(human.stderr).toMatch(new RegExp(`^  frame ${lockLeaks.leaks[0]!.frame}: .*dma lock.* of process 1 .*sort\\.elf \\(address space 1\\), taken at cycle [\\d,]+, held [\\d,]+ cycles: a DMA pin never released; its process ended at cycle [\\d,]+ and the frame is quarantined$`, 'm'));
  }, 120_000);

  it.each([
    ['io-pin:2', /^pagelab: error: leakLocks\.rate: expected a number from 0 to 1, got 2\n$/],
    ['tlb:0.5', /^pagelab: error: leakLocks\.kind: expected one of io-pin, fresh-page, got "tlb"\n$/],
    ['sometimes', /^pagelab: error: leakLocks: expected "off", KIND:RATE/],
  ])('--leak-locks %s is one line and status 2', async (value, message) => {
    const { status, stderr } = await capture(['run', sort, '--leak-locks', value]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });
});

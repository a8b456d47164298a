import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const input = join(mkdtempSync(join(tmpdir(), 'pagelab-kernel-pages-')), 'numbers.txt');
writeFileSync(input, '5\n3\n9\n1\n');
// 16 frames of 1 KiB under FIFO: the frame table, paged in first, is the first victim once
// frames run short. A pageable kernel pages its 4-frame bounce pool too, leaving sort 13 frames
// there, which it does not fill: the pageable runs get 12.
const machine = ['--stdin', input, '--frames', '16', '--page-size', '1024', '--policy', 'fifo'];
const shortMachine = ['--stdin', input, '--frames', '12', '--page-size', '1024', '--policy', 'fifo'];

describe('pagelab run --kernel-pages / --pageable-kernel', () => {
  it('wired: sort runs to qemu\'s output, and the summary says what the kernel\'s frames are for', async () => {
    const { status, stdout, stderr } = await capture(['run', sort, ...machine, '--kernel-pages', 'wired']);
    expect(status).toBe(0);
    expect(stdout).toBe(readFileSync(join(fixtures, 'sort.expected'), 'utf8'));
    expect(stderr).toContain('kernel frames        10 at the peak (wired): 3 supervisor, 4 bounce pool, 1 frame table, 2 page tables; 6 frames for processes\n');
    expect(stderr).not.toContain('kernel panic');
  }, 120_000);

  it('pageable: the run ends in a panic with the kernel\'s stack, in the summary and the JSON, status 1', async () => {
    const human = await capture(['run', sort, ...shortMachine, '--pageable-kernel']);
    expect(human.status).toBe(1);
    expect(human.stderr).toMatch(
      /^kernel panic {9}at cycle [\d,]+: user fault pid 1 at 0x[0-9a-f]+ \((read|write|instruction fetch)\) -> frame-table update \(reassign\) of frame \d+ -> kernel page 'frame table, frames 0-11' not resident -> panic: page fault in fault handler$/m,
    );
    expect(human.stderr).toContain('run stopped         by a kernel panic\n');
    expect(human.stderr).not.toMatch(/\n\s+at /);
    const json = await capture(['run', sort, ...shortMachine, '--pageable-kernel', '--json']);
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ended: string; kernelMemory: { mode: string; kernelEvictions: number; panic: { message: string; where: string } }; processes: { status: string }[] };
    expect(parsed.ended).toBe('kernel-panic');
    expect([parsed.kernelMemory.mode, parsed.kernelMemory.kernelEvictions, parsed.kernelMemory.panic.where]).toEqual(['pageable', 1, 'fault handler']);
    expect(human.stderr).toContain(parsed.kernelMemory.panic.message);
    expect(parsed.processes.map((p) => p.status)).toEqual(['running']);
  }, 120_000);

  it('host (the default): the JSON carries no kernel-memory report', async () => {
    const { stdout } = await capture(['run', sort, ...machine, '--json']);
    expect(JSON.parse(stdout)).not.toHaveProperty('kernelMemory');
  }, 120_000);

  it.each([
    [['--kernel-pages', 'paged'], /^pagelab: error: kernelPages: expected one of host, wired, pageable, got "paged"\n$/],
    [['--kernel-pages', 'wired', '--pageable-kernel'], /^pagelab: error: kernelPages: --pageable-kernel contradicts --kernel-pages wired\n$/],
  ])('%j is one line and status 2', async (flags, message) => {
    const { status, stderr } = await capture(['run', sort, ...flags]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });
});

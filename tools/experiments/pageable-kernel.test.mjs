import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from './experiments.mjs';
import { kernelRuns } from './pageable-kernel.mjs';

// The claims docs/experiments/pageable-kernel.md makes in prose, checked against the runs they describe.

const compiled = join(repoRoot, 'docs', 'experiments', 'pageable-kernel.json');
const synthetic = join(repoRoot, 'docs', 'experiments', 'pageable-kernel-synthetic.json');
const find = (runs, frames, policy, kernelPages) => runs.find((r) => r.frames === frames && r.policy === policy && r.kernelPages === kernelPages);
const panicked = (run) => run.report.kernelMemory.panic !== null;
const completedWithQemu = (run) => run.report.ended === 'all-ended' && run.report.processes.every((p) => p.exitCode === 0) && run.correctOutputs === run.checkedOutputs;

describe('docs/experiments/pageable-kernel.md', () => {
  it('compiled programs: the wired kernel\'s frames, the pageable kernel\'s panics and the run that survives', async () => {
    const { runs } = await kernelRuns(compiled, [20, 24, 28, 32, 40], ['clock', 'lru', 'wsclock']);
    const wired = runs.filter((r) => r.kernelPages === 'wired');
    const pageable = runs.filter((r) => r.kernelPages === 'pageable');
    // 13 frames at the peak: 3 supervisor, 2 bounce, 1 frame table, 7 page tables (two spans per program, one for the reader).
    for (const r of wired) {
      const k = r.report.kernelMemory;
      expect([k.kernelFramesPeak, k.supervisorFrames, k.bounceFrames, k.frameTablePages, k.pageTablePagesPeak]).toEqual([13, 3, 2, 1, 7]);
      expect(k.framesForProcesses).toBe(r.frames - 13);
      expect(completedWithQemu(r)).toBe(true);
      expect(panicked(r)).toBe(false);
    }
    expect(find(runs, 20, 'clock', 'wired').report.statistics.pageFaults).toBe(5_779);
    expect(find(runs, 40, 'clock', 'wired').report.statistics.pageFaults).toBe(34);
    for (const r of pageable) expect(r.report.kernelMemory.framesForProcesses - find(runs, r.frames, r.policy, 'wired').report.kernelMemory.framesForProcesses).toBe(8);

    const panics = pageable.filter(panicked).map((r) => `${r.frames}:${r.policy}`);
    expect(panics).toEqual(['20:clock', '20:lru', '24:clock', '24:lru', '24:wsclock', '28:lru']);
    expect(find(runs, 24, 'wsclock', 'pageable').report.kernelMemory.panic.where).toBe('timer interrupt');
    for (const r of pageable.filter(panicked)) {
      expect(r.report.ended).toBe('kernel-panic');
      expect(r.report.kernelMemory.kernelEvictions).toBeGreaterThanOrEqual(1);
      expect(r.report.kernelMemory.firstKernelEvictionAt).toBeLessThan(r.report.kernelMemory.panic.at);
    }
    for (const r of pageable.filter((p) => !panicked(p))) expect(completedWithQemu(r)).toBe(true);

    const clock24 = find(runs, 24, 'clock', 'pageable').report.kernelMemory;
    expect([clock24.firstKernelEvictionAt, clock24.panic.at, clock24.kernelFaultsServed]).toEqual([740_194, 1_276_284, 1]);
    expect(clock24.panic.stack).toEqual(['user fault pid 4 at 0x100400 (read)', 'referenced-bit read in the page table of pid 3 (page 0x3fff)']);

    const ws20 = find(runs, 20, 'wsclock', 'pageable');
    expect([ws20.report.kernelMemory.kernelEvictions, ws20.report.kernelMemory.kernelFaultsServed]).toEqual([369, 369]);
    expect(completedWithQemu(ws20)).toBe(true);
    expect([ws20.report.statistics.pageFaults, find(runs, 20, 'wsclock', 'wired').report.statistics.pageFaults]).toEqual([3_056, 2_409]);
    for (const r of pageable.filter((p) => p.frames === 40)) expect(r.report.kernelMemory.kernelEvictions).toBe(0);
  }, 300_000);

  it('a reader and a hog: FIFO panics on the frame table, the sampling policy in the timer interrupt and in a bounce copy, clock and WSClock never evict the kernel', async () => {
    const { runs } = await kernelRuns(synthetic, [16, 24, 40], ['clock', 'fifo', 'lru', 'working-set', 'wsclock']);
    for (const r of runs.filter((p) => p.kernelPages === 'wired')) expect(completedWithQemu(r)).toBe(true);
    for (const frames of [16, 24, 40]) {
      const panic = find(runs, frames, 'fifo', 'pageable').report.kernelMemory.panic;
      expect(panic.message).toMatch(/^user fault pid 2 at 0x[0-9a-f]+ \(read\) -> frame-table update \(reassign\) of frame \d+ -> kernel page 'frame table, frames 0-\d+' not resident -> panic: page fault in fault handler$/);
    }
    expect(find(runs, 16, 'working-set', 'pageable').report.kernelMemory.panic.where).toBe('timer interrupt');
    expect(find(runs, 40, 'working-set', 'pageable').report.kernelMemory.panic.where).toBe('timer interrupt');
    expect(find(runs, 24, 'working-set', 'pageable').report.kernelMemory.panic.stack).toEqual([
      'I/O completion for pid 1 (bounce finishing a 7184-byte read)',
      'fault on user page 0x100000 of pid 1 (kernel access)',
      'page walk in the page table of pid 1 (page 0x100)',
    ]);
    for (const policy of ['clock', 'wsclock']) {
      for (const frames of [16, 24, 40]) {
        const pageable = find(runs, frames, policy, 'pageable');
        const wired = find(runs, frames, policy, 'wired');
        expect(pageable.report.kernelMemory.kernelEvictions).toBe(0);
        expect(completedWithQemu(pageable)).toBe(true);
        expect(Math.abs(pageable.report.statistics.pageFaults - wired.report.statistics.pageFaults)).toBeLessThanOrEqual(60);
        expect(pageable.report.kernelMemory.framesForProcesses - wired.report.kernelMemory.framesForProcesses).toBe(3);
      }
    }
    expect([find(runs, 16, 'clock', 'pageable').report.statistics.pageFaults, find(runs, 16, 'clock', 'wired').report.statistics.pageFaults]).toEqual([17_069, 17_068]);
    const lru16 = find(runs, 16, 'lru', 'pageable').report.kernelMemory;
    const fifo16 = find(runs, 16, 'fifo', 'pageable').report.kernelMemory;
    expect([lru16.firstKernelEvictionAt, lru16.panic.message]).toEqual([fifo16.firstKernelEvictionAt, fifo16.panic.message]);
    for (const frames of [24, 40]) expect(find(runs, frames, 'lru', 'pageable').report.kernelMemory.kernelEvictions).toBe(0);
  }, 300_000);
});

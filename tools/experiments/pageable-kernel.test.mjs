import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from './experiments.mjs';
import { kernelRuns, panicPageKind } from './pageable-kernel.mjs';

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
    // Pageable, the processes compete for all but the 3 supervisor frames: 10 more than beside a wired kernel's 13.
    for (const r of pageable) expect(r.report.kernelMemory.framesForProcesses - find(runs, r.frames, r.policy, 'wired').report.kernelMemory.framesForProcesses).toBe(10);

    const panics = pageable.filter(panicked).map((r) => `${r.frames}:${r.policy}`);
    expect(panics).toEqual(['20:clock', '20:lru', '20:wsclock', '24:lru', '28:lru']);
    for (const r of pageable.filter(panicked)) {
      const { panic } = r.report.kernelMemory;
      expect(r.report.ended).toBe('kernel-panic');
      expect(panic.where).toBe('fault handler');
      expect(panicPageKind(panic)).toBe(r.policy === 'lru' ? 'frame table' : 'page table');
      expect(r.report.kernelMemory.kernelEvictions).toBeGreaterThanOrEqual(1);
      expect(r.report.kernelMemory.firstKernelEvictionAt).toBeLessThan(panic.at);
    }
    for (const r of pageable.filter((p) => !panicked(p))) expect(completedWithQemu(r)).toBe(true);
    for (const r of pageable.filter((p) => p.frames >= 32)) expect(r.report.kernelMemory.kernelEvictions).toBe(0);

    const clock20 = find(runs, 20, 'clock', 'pageable').report.kernelMemory;
    expect(clock20.panic.stack).toEqual(['user fault pid 4 at 0x101400 (read)', 'referenced-bit read in the page table of pid 1 (page 0x3fff)']);

    const clock24 = find(runs, 24, 'clock', 'pageable');
    const k24 = clock24.report.kernelMemory;
    expect([k24.kernelEvictions, k24.kernelFaultsServed, k24.bounceFaultsServed]).toEqual([55, 55, 31]);
    expect([clock24.report.statistics.pageFaults, find(runs, 24, 'clock', 'wired').report.statistics.pageFaults]).toEqual([438, 575]);
    const ws24 = find(runs, 24, 'wsclock', 'pageable');
    expect([ws24.report.kernelMemory.kernelFaultsServed, ws24.report.kernelMemory.bounceFaultsServed]).toEqual([13, 7]);
    expect([ws24.report.statistics.pageFaults, find(runs, 24, 'wsclock', 'wired').report.statistics.pageFaults]).toEqual([327, 335]);
    const ws20 = find(runs, 20, 'wsclock', 'pageable').report.kernelMemory;
    expect([ws20.kernelFaultsServed, ws20.panic.at]).toEqual([57, 13_726_922]);
  }, 300_000);

  it('a reader and a hog: FIFO panics on the frame table, the sampling policy in the timer interrupt and in a bounce copy, a bounce page out in the completion interrupt; where none panics the pageable pool pays', async () => {
    const counts = [14, 16, 24, 40];
    const { runs } = await kernelRuns(synthetic, counts, ['clock', 'fifo', 'lru', 'working-set', 'wsclock']);
    for (const r of runs.filter((p) => p.kernelPages === 'wired')) expect(completedWithQemu(r)).toBe(true);
    for (const r of runs.filter((p) => p.kernelPages === 'pageable')) expect(r.report.kernelMemory.framesForProcesses - find(runs, r.frames, r.policy, 'wired').report.kernelMemory.framesForProcesses).toBe(7);
    const frameTablePanic = / -> frame-table update \(reassign\) of frame \d+ -> kernel page 'frame table, frames 0-\d+' not resident -> panic: page fault in fault handler$/;
    for (const frames of counts) expect(find(runs, frames, 'fifo', 'pageable').report.kernelMemory.panic.message).toMatch(frameTablePanic);
    // The next update of the frame table: the hog's fault, or, with fewer frames, the read system call bringing in a bounce page.
    for (const frames of [24, 40]) expect(find(runs, frames, 'fifo', 'pageable').report.kernelMemory.panic.stack[0]).toMatch(/^user fault pid 2 at 0x[0-9a-f]+ \(read\)$/);
    for (const frames of [14, 16]) expect(find(runs, frames, 'fifo', 'pageable').report.kernelMemory.panic.stack.slice(0, 2)).toEqual(['read system call of pid 1', expect.stringMatching(/^DMA hold on bounce pool page \d$/)]);
    for (const frames of [14, 16]) {
      const lru = find(runs, frames, 'lru', 'pageable').report.kernelMemory;
      const fifo = find(runs, frames, 'fifo', 'pageable').report.kernelMemory;
      expect([lru.firstKernelEvictionAt, lru.panic.message]).toEqual([fifo.firstKernelEvictionAt, fifo.panic.message]);
    }
    expect(find(runs, 40, 'working-set', 'pageable').report.kernelMemory.panic.where).toBe('timer interrupt');
    const walkInCopy = ['I/O completion for pid 1 (bounce finishing a 7184-byte read)', 'fault on user page 0x100000 of pid 1 (kernel access)', 'page walk in the page table of pid 1 (page 0x100)'];
    for (const frames of [14, 16, 24]) expect(find(runs, frames, 'working-set', 'pageable').report.kernelMemory.panic.stack).toEqual(walkInCopy);
    expect(find(runs, 14, 'clock', 'pageable').report.kernelMemory.panic.stack).toEqual(walkInCopy);

    const ws14 = find(runs, 14, 'wsclock', 'pageable').report.kernelMemory;
    expect(ws14.panic.stack).toEqual(['I/O completion for pid 1 (bounce finishing a 7184-byte read)', 'bounce copy out of bounce pool page 1']);
    expect([ws14.panic.where, panicPageKind(ws14.panic), ws14.bounceFaultsServed]).toEqual(['I/O completion interrupt', 'bounce pool', 5]);

    const paying = [...[16, 24, 40].flatMap((f) => [[f, 'clock'], [f, 'wsclock']]), [24, 'lru'], [40, 'lru']];
    for (const [frames, policy] of paying) {
      const pageable = find(runs, frames, policy, 'pageable');
      const wired = find(runs, frames, policy, 'wired');
      expect(panicked(pageable), `${frames}:${policy}`).toBe(false);
      expect(completedWithQemu(pageable)).toBe(true);
      expect(pageable.report.kernelMemory.kernelEvictions).toBeGreaterThan(0);
      const ratio = pageable.report.statistics.pageFaults / wired.report.statistics.pageFaults;
      expect(ratio, `${frames}:${policy}`).toBeGreaterThan(0.85);
      expect(ratio, `${frames}:${policy}`).toBeLessThan(0.93);
    }
    const faults = (frames, kernelPages) => find(runs, frames, 'clock', kernelPages).report.statistics.pageFaults;
    expect([16, 24, 40].map((f) => [faults(f, 'pageable'), faults(f, 'wired')])).toEqual([[15_771, 17_068], [13_016, 14_311], [7_687, 8_977]]);
    const clock16 = find(runs, 16, 'clock', 'pageable').report.kernelMemory;
    expect([clock16.kernelEvictions, clock16.bounceFaultsServed]).toEqual([30, 26]);
    for (const frames of [24, 40]) expect(find(runs, frames, 'clock', 'pageable').report.kernelMemory.kernelEvictions).toBe(4);
  }, 300_000);
});

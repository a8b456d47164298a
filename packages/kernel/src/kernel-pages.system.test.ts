import { describe, expect, it } from 'vitest';
import { ConfigurationError, FrameState, type ReplacementPolicyName } from '@pagelab/contracts';
import { createSystem } from './create-system.js';
import { parseSystemConfig } from './config.js';
import { frameTableEntryBytes, pageTableEntryBytes, type KernelPagesMode } from './kernel-pages.js';
import { syntheticBase } from './layout.js';
import type { RunReport } from './system.js';
import type { SyntheticSpec } from './synthetic.js';

const pageSize = 4096;
const reader: SyntheticSpec = { pattern: 'loop', pages: 8, workingSet: 4, references: 4000, io: { every: 500, bytes: 4 * 4096, file: '/data' } };
const hog: SyntheticSpec = { pattern: 'random', pages: 60, references: 20_000, writeFraction: 0.3 };

/** A reader sleeping on DMA and a hog paging through 60 pages under global replacement. */
function workload(kernelPages: KernelPagesMode | undefined, options: { policy?: ReplacementPolicyName; frames?: number; io?: 'pin' | 'bounce' } = {}) {
  const system = createSystem({
    frames: options.frames ?? 24,
    pageSize,
    policy: options.policy ?? 'clock',
    io: options.io ?? 'pin',
    restart: 'none',
    bounceFrames: 4,
    timeSlice: 200,
    costs: { diskSeek: 5_000, diskPerByte: 8, swapLatency: 2_000 },
    ...(kernelPages === undefined ? {} : { kernelPages }),
  });
  system.addFile('/data', Uint8Array.from({ length: 4 * 4096 }, (_, i) => (i * 13) & 0xff));
  system.spawnSynthetic({ name: 'reader', spec: reader, priority: 1 });
  system.spawnSynthetic({ name: 'hog', spec: hog, priority: 5 });
  return system;
}

/** A report without the host time, the one figure that is not a function of the configuration. */
const simulated = (report: RunReport) => ({ ...report, hostMilliseconds: 0 });

/** Page-table pages a synthetic process of `pages` pages needs: the spans of 1,024 entries its pages fall in. */
function spansOf(pages: number): number {
  const entriesPerPage = pageSize / pageTableEntryBytes;
  const first = syntheticBase / pageSize;
  return Math.floor((first + pages - 1) / entriesPerPage) - Math.floor(first / entriesPerPage) + 1;
}

describe('the kernel\'s pages in host memory (the default)', () => {
  it('is the run it always was: no kernel-memory report, the same figures as with the setting left out', () => {
    const absent = workload(undefined).run();
    const host = workload('host').run();
    expect(host.kernelMemory).toBeNull();
    expect(simulated(host)).toEqual(simulated(absent));
  });
});

describe('a wired kernel', () => {
  it('gives its frame table and page tables frames of their own, and says how many', () => {
    const system = workload('wired');
    const report = system.run();
    const k = report.kernelMemory!;
    const frameTable = Math.ceil((24 * frameTableEntryBytes) / pageSize);
    const pageTables = spansOf(reader.pages) + spansOf(hog.pages);
    expect([k.mode, k.supervisorFrames, k.bounceFrames, k.frameTablePages, k.pageTablePagesPeak]).toEqual(['wired', 1, 4, frameTable, pageTables]);
    expect(k.kernelFramesPeak).toBe(1 + 4 + frameTable + pageTables);
    expect(k.framesForProcesses).toBe(24 - k.kernelFramesPeak);
    // The frame table's frames are wired like the supervisor's and the bounce pool's; the page
    // tables' went back when their processes ended.
    let wired = 0;
    for (let f = 0; f < 24; f++) if (system.frames.state(f) === FrameState.Wired) wired++;
    expect(wired).toBe(1 + 4 + frameTable);
    expect(system.frames.freeFrames).toBe(24 - wired);
    expect([k.kernelEvictions, k.kernelFaultsServed, k.panic]).toEqual([0, 0, null]);
  });

  it('runs the workload to the end, its page-table locks all released, none taken for a leak', () => {
    const report = workload('wired').run();
    expect(report.ended).toBe('all-ended');
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
    expect(report.pins.acquired).toBe(report.pins.released);
    expect(report.lockLeaks.leaks).toEqual([]);
  });

  it('leaves processes fewer frames than the kernel in host memory does, so they fault more', () => {
    const host = workload('host').run();
    const wired = workload('wired').run();
    // Each user page fault is a page-in; the wired kernel's page-table pages are page-ins too.
    const kernelPageIns = wired.kernelMemory!.kernelPageIns;
    expect(wired.statistics.pageFaults - kernelPageIns).toBeGreaterThan(host.statistics.pageFaults);
  });
});

describe('a pageable kernel', () => {
  it('panics when FIFO evicts the frame table, the oldest page, and the next fault updates it', () => {
    const report = workload('pageable', { policy: 'fifo' }).run();
    const k = report.kernelMemory!;
    expect(report.ended).toBe('kernel-panic');
    expect(k.panic).not.toBeNull();
    const panic = k.panic!;
    expect(panic.message).toMatch(
      /^user fault pid 2 at 0x[0-9a-f]+ \((read|write)\) -> frame-table update \(reassign\) of frame \d+ -> kernel page 'frame table, frames 0-23' not resident -> panic: page fault in fault handler$/,
    );
    expect([panic.where, panic.page, panic.stack.length]).toEqual(['fault handler', 'frame table, frames 0-23', 2]);
    // The page it needed was evicted before, and by the policy: the frame table went first.
    expect(k.kernelEvictions).toBe(1);
    expect(k.firstKernelEvictionAt).not.toBeNull();
    expect(k.firstKernelEvictionAt!).toBeLessThanOrEqual(panic.at);
    // The run stops at the panic (plus the fault service's time it had charged so far).
    expect(report.statistics.simulatedCycles - panic.at).toBeGreaterThanOrEqual(0);
    expect(report.statistics.simulatedCycles - panic.at).toBeLessThanOrEqual(report.statistics.pageFaults * 2_000 + 50_000);
    // A panicked kernel stops where it stands: nothing ended, nothing was released.
    expect(report.processes.map((p) => [p.status, p.exitCode, p.endedAtCycle])).toEqual([
      ['running', null, null],
      ['running', null, null],
    ]);
  });

  it('the same workload with the kernel wired runs to the end', () => {
    const report = workload('wired', { policy: 'fifo' }).run();
    expect(report.ended).toBe('all-ended');
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
  });

  it('panics in the timer interrupt when the working-set policy samples the bits of a page table that is out', () => {
    const panic = workload('pageable', { policy: 'working-set' }).run().kernelMemory!.panic!;
    expect(panic.where).toBe('timer interrupt');
    expect(panic.stack[0]).toBe('timer interrupt (replacement policy sampling referenced bits)');
    expect(panic.stack[1]).toMatch(/^referenced-bit read in the page table of pid 1 \(page 0x[0-9a-f]+\)$/);
    expect(panic.page).toBe('page table of pid 1, 0x0-0x3fffff');
  });

  it('panics in a bounce copy: the I/O completion faults on the user buffer and the walk finds the page table out', () => {
    const panic = workload('pageable', { policy: 'working-set', io: 'bounce', frames: 28 }).run().kernelMemory!.panic!;
    expect(panic.stack).toEqual([
      'I/O completion for pid 1 (bounce finishing a 16384-byte read)',
      'fault on user page 0x100000 of pid 1 (kernel access)',
      'page walk in the page table of pid 1 (page 0x100)',
    ]);
    expect(panic.where).toBe('fault handler');
  });

  it('takes faults on its own page tables at dispatch, where it can, and may then run to the end', () => {
    const report = workload('pageable', { frames: 40 }).run();
    const k = report.kernelMemory!;
    expect(k.kernelEvictions).toBeGreaterThan(0);
    expect(k.kernelFaultsServed).toBeGreaterThan(0);
    expect(k.panic).toBeNull();
    expect(report.ended).toBe('all-ended');
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
  });

  it('leaves processes every frame but the supervisor\'s to compete for: the bounce pool is pageable too', () => {
    const k = workload('pageable', { frames: 40 }).run().kernelMemory!;
    expect(k.framesForProcesses).toBe(40 - 1);
    expect(k.bounceFrames).toBe(4);
  });

  it('holds a bounce page only while its transfer runs: once it ends, the copy out of the pool can find a page evicted, in the completion interrupt', () => {
    // The 16 KiB read takes all four pool pages; the copy out faults the reader's pages in,
    // and LRU takes the pool page the copy has not reached yet, no longer held.
    const report = workload('pageable', { policy: 'lru', io: 'bounce', frames: 24 }).run();
    const panic = report.kernelMemory!.panic!;
    expect(report.ended).toBe('kernel-panic');
    expect(panic.stack).toEqual(['I/O completion for pid 1 (bounce finishing a 16384-byte read)', 'bounce copy out of bounce pool page 1']);
    expect([panic.where, panic.page]).toEqual(['I/O completion interrupt', 'bounce pool page 1']);
    expect(report.kernelMemory!.firstKernelEvictionAt!).toBeLessThanOrEqual(panic.at);
  });

  it('brings an evicted pool page back in the system call that needs it, where it can take the fault, and runs to the end', () => {
    const report = workload('pageable', { policy: 'clock', io: 'bounce', frames: 20 }).run();
    const k = report.kernelMemory!;
    expect(k.bounceFaultsServed).toBeGreaterThan(0);
    expect(k.kernelFaultsServed).toBeGreaterThanOrEqual(k.bounceFaultsServed);
    expect(k.panic).toBeNull();
    expect(report.ended).toBe('all-ended');
    expect(report.processes.map((p) => p.exitCode)).toEqual([0, 0]);
    // Every DMA hold on a pool page was let go.
    expect(report.pins.acquired).toBe(report.pins.released);
  });

  it('a pool page brought back by the system call can still panic, when serving it needs a kernel page that is out', () => {
    const panic = workload('pageable', { policy: 'lru', io: 'bounce', frames: 16 }).run().kernelMemory!.panic!;
    expect(panic.stack.slice(0, 3)).toEqual(['read system call of pid 1', 'DMA hold on bounce pool page 3', "kernel fault on 'bounce pool page 3'"]);
    expect(panic.where).toBe('fault handler');
  });

  it('a wired kernel keeps its bounce pool in the frames it wired at boot, whatever the I/O', () => {
    const system = workload('wired', { policy: 'lru', io: 'bounce', frames: 24 });
    const report = system.run();
    expect(report.ended).toBe('all-ended');
    let wired = 0;
    for (let f = 0; f < 24; f++) if (system.frames.state(f) === FrameState.Wired) wired++;
    expect(wired).toBe(1 + 4 + Math.ceil((24 * frameTableEntryBytes) / pageSize));
    expect(report.kernelMemory!.bounceFaultsServed).toBe(0);
  });

  it('is a function of its configuration and seed, panic included', () => {
    const a = workload('pageable', { policy: 'fifo' }).run();
    const b = workload('pageable', { policy: 'fifo' }).run();
    expect(simulated(a)).toEqual(simulated(b));
  });

  it('stays stopped: stepping a panicked system again reports the panic', () => {
    const system = workload('pageable', { policy: 'fifo' });
    const first = system.run();
    expect(system.advance({ rounds: 4 })).toBe('kernel-panic');
    expect(system.finish('kernel-panic')).toBe(first);
  });
});

describe('kernelPages in a configuration', () => {
  const message = (input: unknown) => {
    try {
      parseSystemConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('takes host, wired or pageable, host by default', () => {
    expect(parseSystemConfig({}).kernelPages).toBe('host');
    for (const mode of ['host', 'wired', 'pageable'] as const) expect(parseSystemConfig({ kernelPages: mode }).kernelPages).toBe(mode);
  });

  it('refuses anything else with a one-line error naming the field', () => {
    expect(message({ kernelPages: 'paged' })).toBe('kernelPages: expected one of host, wired, pageable, got "paged"');
    expect(message({ kernelPages: true })).toBe('kernelPages: expected one of host, wired, pageable, got true');
  });

  it('refuses a machine whose frame table would leave no frame for processes', () => {
    expect(parseSystemConfig({ frames: 6, kernelFrames: 1, bounceFrames: 4 }).frames).toBe(6);
    expect(message({ frames: 6, kernelFrames: 1, bounceFrames: 4, kernelPages: 'wired' })).toBe(
      "frames: 6 frames leave none for processes after 1 kernel, 4 bounce and 1 frame-table frames (kernelPages 'wired')",
    );
  });
});

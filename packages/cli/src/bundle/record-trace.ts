import { createSystem, defaultParts, PagelabError, type Bus } from '@pagelab/kernel';

/** How to record a program's page references. */
export interface RecordingOptions {
  /** The compiled 68000 program (a static ELF). */
  readonly executable: Uint8Array;
  /** Its standard input (default empty). */
  readonly stdin?: Uint8Array;
  /** Bytes per page: each reference is recorded as `address >>> log2(pageSize)`. */
  readonly pageSize: number;
  /** What the program must print, so a recording of a broken run is refused. */
  readonly expectedOutput: string;
  /** Write a run of references to one page once (default true); false keeps every reference. */
  readonly fold?: boolean;
  /** Lines written first as `# ` comments (the trace format skips them): where the trace came from. */
  readonly header: readonly string[];
}

/** A recorded trace: the `pages` format text and what it holds. */
export interface RecordedTrace {
  readonly text: string;
  /** Lines in `text`. */
  readonly references: number;
  readonly distinctPages: number;
  /** References the CPU made, before runs of one page were folded into one line. */
  readonly rawReferences: number;
}

/**
 * Runs a program on pagelab's own 68000 core under the kernel, with frames to spare so that the
 * only faults are first touches, and records the page of every reference the CPU completes
 * (instruction fetches, reads, writes) through the MMU's bus. A run of consecutive references to
 * one page is written once: the repeats are hits under every policy, so miss counts do not change,
 * and the file is five times smaller (tick-driven policies see a shorter clock).
 */
export function recordPageTrace(options: RecordingOptions): RecordedTrace {
  const shift = Math.log2(options.pageSize);
  const lines: string[] = [];
  const seen = new Set<number>();
  let raw = 0;
  let last = -1;
  const fold = options.fold ?? true;
  const record = (address: number): void => {
    raw++;
    const page = address >>> shift;
    if (fold && page === last) return;
    last = page;
    seen.add(page);
    lines.push(String(page));
  };
  const recordingBus = (inner: Bus): Bus => ({
    read8: (a) => { const v = inner.read8(a); record(a); return v; },
    read16: (a) => { const v = inner.read16(a); record(a); return v; },
    read32: (a) => { const v = inner.read32(a); record(a); return v; },
    write8: (a, v) => { inner.write8(a, v); record(a); },
    write16: (a, v) => { inner.write16(a, v); record(a); },
    write32: (a, v) => { inner.write32(a, v); record(a); },
    fetch16: (a) => { const v = inner.fetch16(a); record(a); return v; },
  });
  const system = createSystem(
    { frames: 256, pageSize: options.pageSize, policy: 'clock', restart: 'hardware', cpuModel: 'm68010-hidden' },
    {
      createMmu: (mmuOptions) => {
        const mmu = defaultParts.createMmu(mmuOptions);
        const busFor = mmu.busFor.bind(mmu);
        // Only the CPU's view is wrapped: a reference is recorded once it has completed, so a
        // faulting one counts when the restarted instruction gets through.
        return Object.assign(mmu, { busFor: (space: number, memory: Parameters<typeof busFor>[1]) => recordingBus(busFor(space, memory)) });
      },
    },
  );
  system.spawnProgram({ name: 'recorded', executable: options.executable, priority: 1, stdin: options.stdin ?? new Uint8Array(0) });
  const report = system.run();
  const process = report.processes[0]!;
  if (process.exitCode !== 0 || process.stdout !== options.expectedOutput) {
    throw new PagelabError('RECORDING', `the recorded program did not run correctly (exit ${String(process.exitCode)}, ${process.stdout === options.expectedOutput ? 'expected output' : 'wrong output'})`);
  }
  const header = [...options.header, `${lines.length} references (${raw} completed by the CPU) to ${seen.size} pages of ${options.pageSize} bytes`];
  return { text: header.map((h) => `# ${h}\n`).join('') + lines.join('\n') + '\n', references: lines.length, distinctPages: seen.size, rawReferences: raw };
}

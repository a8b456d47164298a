/**
 * The plain JSON that runs, comparisons and sweeps produce and reports read. Every field is a
 * function of the configuration and seed (host time is never part of a result), so the same
 * run gives the same bytes on any machine.
 */

/** How one process of a run ended, and what it printed. */
export interface ProcessResult {
  readonly pid: number;
  readonly name: string;
  /** `exited`, `killed`, or `running` when the run stopped before it ended. */
  readonly status: string;
  readonly exitCode: number | null;
  /** Why the kernel killed it, or null. */
  readonly killed: string | null;
  readonly signal: string | null;
  readonly output: string;
  readonly stderr: string;
  readonly pageFaults: number;
  /** The simulated cycle it ended at, or null when it was still running. */
  readonly endedAtCycle: number | null;
  /** Whether its output equals the expected output, when it has one. */
  readonly outputMatchesExpected?: boolean;
}

/** What one whole-system run did: the object `pagelab run --json` prints. */
export interface RunResult {
  /** `all-ended`, `max-cycles` or `interrupted`. */
  readonly ended: string;
  readonly exitCodes: readonly (number | null)[];
  readonly pageFaults: number;
  /** Pages read in and evicted before first use, or null when the pager does not count them. */
  readonly wastedPageIns: number | null;
  readonly wastedPageInsSelf: number | null;
  /** Faulting instructions backed up and restarted. */
  readonly restarts: number;
  /** Backups where more than one start was consistent. */
  readonly ambiguousRestarts: number;
  /** Backups that found no consistent start. */
  readonly unrecoverableRestarts: number;
  /** DMA bursts that landed in a frame no longer owned by their page. */
  readonly corruptionEvents: number;
  /** Bytes those bursts put in the wrong place. */
  readonly corruptedBytes: number;
  /** Bytes copied through kernel bounce buffers. */
  readonly bytesCopied: number;
  /** Simulated cycles spent on those copies. */
  readonly copyCycles: number;
  readonly dmaPins: number;
  readonly dmaPinsIgnored: number;
  /** Frame-cycles held pinned. */
  readonly pinnedFrameCycles: number;
  readonly poolWaits: number;
  readonly quotaRefusals: number;
  readonly splitRequests: number;
  readonly ioPieces: number;
  readonly contextSwitches: number;
  readonly clockTicks: number;
  readonly pinsAcquired: number;
  readonly pinsReleased: number;
  readonly instructions: number;
  readonly simulatedCycles: number;
  /** Cycles in which no process could run (absent in results written before it was counted). */
  readonly idleCycles?: number;
  /** Cycles the CPU stalled in swap-area page transfers; `1 - (idle + swap) / simulated` is its utilisation. */
  readonly swapCycles?: number;
  /** Load control's suspensions (0 when it is off). */
  readonly loadControlSuspensions?: number;
  /** Suspended processes it brought back. */
  readonly loadControlResumes?: number;
  /** Pages of suspended processes the pager evicted for active ones. */
  readonly loadControlPagesSwappedOut?: number;
  /** Cycles processes spent suspended, summed over processes. */
  readonly loadControlSuspendedCycles?: number;
  readonly processes: readonly ProcessResult[];
}

/** One run of a comparison: the strategies it ran under and how many outputs came out right. */
export interface ComparisonRunResult extends RunResult {
  /** The I/O strategy, by the name the part reports. */
  readonly io: string;
  /** The restart strategy, by the name the part reports. */
  readonly restart: string;
  /** Programs whose output matched their expected output. */
  readonly correctOutputs: number;
  /** Programs that have an expected output. */
  readonly checkedOutputs: number;
}

/** The parameters of one whole-system sweep point, every one always present. */
export interface SystemSweepKey {
  /** The scenario's name. */
  readonly scenario: string;
  readonly frames: number;
  readonly policy: string;
  readonly io: string;
  readonly restart: string;
  /** The CPU fault model: `m68000` or `m68010-hidden`. */
  readonly cpuModel: string;
  readonly lockFreshPages: boolean;
  readonly seed: number;
}

/** The parameters of one pager-only sweep point. */
export interface TraceSweepKey {
  /** The trace's name. */
  readonly trace: string;
  readonly policy: string;
  readonly frames: number;
}

/** What one replacement policy did over a trace at one frame count. */
export interface TracePointResult {
  readonly references: number;
  readonly distinctPages: number;
  readonly misses: number;
  /** First references to a page: a miss at every frame count. */
  readonly compulsoryMisses: number;
  readonly evictions: number;
  readonly writebacks: number;
  readonly hitRatio: number;
}

/** One line of a sweep's JSONL output for a whole-system sweep. */
export interface SystemSweepLine {
  /** The sweep's name. */
  readonly sweep: string;
  readonly key: SystemSweepKey;
  readonly run: ComparisonRunResult;
}

/** One line of a sweep's JSONL output for a pager-only sweep over a trace. */
export interface TraceSweepLine {
  readonly sweep: string;
  readonly key: TraceSweepKey;
  readonly run: TracePointResult;
}

/** Any line of a sweep's output. */
export type SweepLine = SystemSweepLine | TraceSweepLine;


/** Who a frame belongs to: an address space and a virtual page number in it. */
export interface PageOwner {
  /** The address-space id. */
  readonly addressSpace: number;
  /** The virtual page number. */
  readonly page: number;
}

/**
 * A DMA burst that landed in a frame that no longer belongs to the page the transfer was
 * programmed for: the data went over someone else's page.
 */
export interface CorruptionEvent {
  readonly kind: 'corruption';
  /** Simulated time of the burst. */
  readonly at: number;
  /** The physical frame written. */
  readonly frame: number;
  /** The page the transfer was programmed for. */
  readonly intended: PageOwner;
  /** The page that owns the frame now, or null if the frame is free. */
  readonly actual: PageOwner | null;
  /** How many bytes of the burst landed in the wrong place. */
  readonly bytes: number;
}

/** A page fault served by the pager. */
export interface PageFaultEvent {
  readonly kind: 'page-fault';
  readonly at: number;
  readonly addressSpace: number;
  readonly page: number;
  /** The frame the page landed in. */
  readonly frame: number;
  /** Whether a page was evicted to make room (false: the frame came from the free list). */
  readonly evicted: boolean;
}

/** One burst of a DMA transfer: `bytes` bytes moved at physical `address`. */
export interface DmaBurstEvent {
  readonly kind: 'dma-burst';
  readonly at: number;
  /** The transfer's tag. */
  readonly transfer: number;
  /** `to-memory` for a device-to-memory transfer (a read), `from-memory` for a write. */
  readonly direction: 'to-memory' | 'from-memory';
  readonly address: number;
  readonly bytes: number;
}

/** A faulting instruction backed up by a restart strategy (or, `continued`, resumed where it stopped). */
export interface RestartEvent {
  readonly kind: 'restart';
  readonly at: number;
  readonly addressSpace: number;
  readonly strategy: string;
  /** The verdict's kind. */
  readonly verdict: 'restarted' | 'ambiguous' | 'unrecoverable' | 'continued';
  /** The PC the instruction was restarted at (restarted only; a continued instruction resumes inside itself). */
  readonly startPc: number | null;
  /** How many consistent starts the software strategy found (1 for hardware). */
  readonly candidates: number;
}

/** A process that ended, normally or because the kernel killed it. */
export interface ProcessExitEvent {
  readonly kind: 'exit';
  readonly at: number;
  readonly pid: number;
  /** The exit status, or null when the process was killed. */
  readonly status: number | null;
  /** Why it was killed (an ambiguous restart, say), or null for a normal exit. */
  readonly reason: string | null;
}

/** Everything the event log can hold. */
export type SystemEvent = CorruptionEvent | PageFaultEvent | DmaBurstEvent | RestartEvent | ProcessExitEvent;

/**
 * An append-only record of what happened during a run, in the order it was recorded. Each
 * event carries its simulated time; a DMA burst (and a corruption it caused) carries the burst's
 * own time, which can be earlier than the event recorded before it, because the controller
 * catches up with the CPU between instructions.
 */
export interface EventLog {
  /** Appends an event. */
  record(event: SystemEvent): void;
  /** The events recorded so far. */
  readonly events: readonly SystemEvent[];
  /** How many events of `kind` were recorded (counted even when the log keeps no bodies). */
  count(kind: SystemEvent['kind']): number;
}

/** The summary of one run, the numbers `pagelab run` prints. */
export interface RunStatistics {
  /** Page faults served. */
  readonly pageFaults: number;
  /**
   * Pages read in and evicted before their process used them once (the pager's
   * `wastedPageIns`), or null when the pager in use does not count them.
   */
  readonly wastedPageIns: number | null;
  /** Of those, the ones a later fault of the same process evicted (the pager's `wastedPageInsSelf`), or null. */
  readonly wastedPageInsSelf: number | null;
  /** Instructions backed up and restarted, by strategy. */
  readonly restarts: number;
  /** Backups where more than one start was consistent. */
  readonly ambiguousRestarts: number;
  /** DMA bursts that landed in a frame no longer owned by their page. */
  readonly corruptionEvents: number;
  /** Bytes copied through bounce buffers. */
  readonly bytesCopied: number;
  /** Frame-cycles held pinned. */
  readonly pinnedFrameCycles: number;
  /** Total simulated cycles. */
  readonly simulatedCycles: number;
  /** Instructions executed by all CPUs' processes. */
  readonly instructions: number;
}

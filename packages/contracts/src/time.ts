/**
 * Simulated time. One clock counts CPU cycles for the whole system; everything that takes
 * time advances it by a cost from the {@link CostModel}, so strategies can be compared in
 * simulated cycles as well as in host time.
 */
export interface SimulatedClock {
  /** The current time in cycles since the system started. */
  readonly now: number;
  /** Moves time forward by `cycles` (never backward). */
  advance(cycles: number): void;
}

/** Something scheduled to happen at a point of simulated time (a DMA burst, a disk seek finishing). */
export interface ScheduledEvent {
  /** When it fires, in cycles. */
  readonly at: number;
  /** Runs the event; it may schedule more events. */
  fire(): void;
}

/**
 * Events ordered by time; ties fire in the order they were scheduled, so runs are deterministic.
 */
export interface EventQueue {
  /** Schedules `event` at `event.at`. */
  schedule(event: ScheduledEvent): void;
  /** The time of the earliest pending event, or `Infinity` when none is pending. */
  nextAt(): number;
  /** Fires every event due at or before `time`, in order, and returns how many fired. */
  fireUntil(time: number): number;
  /** How many events are pending. */
  readonly size: number;
}

/**
 * What each kind of work costs, in CPU cycles. One cost model serves the whole system, so a
 * copy, a seek and an instruction are measured on the same scale.
 */
export interface CostModel {
  /** Trap into the kernel and return (system call or fault entry and exit). */
  readonly trapEntryExit: number;
  /** Switching from one process to another. */
  readonly contextSwitch: number;
  /** A TLB miss served by walking the page table. */
  readonly tlbMissWalk: number;
  /** The pager's own bookkeeping for one fault (find a frame, update tables). */
  readonly faultService: number;
  /** Filling a frame with zeros, per byte. */
  readonly zeroFillPerByte: number;
  /** Copying memory with the CPU (bounce buffers, image loading), per byte. */
  readonly copyPerByte: number;
  /** Backing-store latency per page read or written (seek and rotation). */
  readonly swapLatency: number;
  /** Backing-store transfer time per byte. */
  readonly swapPerByte: number;
  /** Disk seek time per request. */
  readonly diskSeek: number;
  /** Disk transfer time per byte. */
  readonly diskPerByte: number;
  /** Bytes a DMA controller moves in one burst. */
  readonly dmaBurstBytes: number;
  /** Time between two DMA bursts of one channel. */
  readonly dmaBurstInterval: number;
}

import type { EventLog, SystemEvent } from '@pagelab/contracts';

/**
 * Kinds that happen once per memory reference or burst: counted and handed to listeners, but
 * never kept, so the kept bodies stay the rare events (corruptions, restarts, exits) however
 * often the run faults.
 */
const streamedKinds: ReadonlySet<SystemEvent['kind']> = new Set(['page-fault', 'dma-burst']);

/**
 * The run's event log. It counts every event by kind, and keeps the bodies of the first
 * `keep` rare events (a long run can fault millions of times; the counts stay exact either way).
 */
export class RunEventLog implements EventLog {
  private readonly kept: SystemEvent[] = [];
  private readonly counts = new Map<SystemEvent['kind'], number>();
  private listeners: ((event: SystemEvent) => void)[] = [];

  /** @param keep how many event bodies to keep (default: all) */
  constructor(private readonly keep = Infinity) {}

  get events(): readonly SystemEvent[] {
    return this.kept;
  }

  record(event: SystemEvent): void {
    this.counts.set(event.kind, (this.counts.get(event.kind) ?? 0) + 1);
    if (this.kept.length < this.keep && !streamedKinds.has(event.kind)) this.kept.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Calls `listener` with every event recorded from now on, kept or not: a timeline or an
   * event file sees the whole run however long it is. Returns a function that stops the calls.
   */
  listen(listener: (event: SystemEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  count(kind: SystemEvent['kind']): number {
    return this.counts.get(kind) ?? 0;
  }
}

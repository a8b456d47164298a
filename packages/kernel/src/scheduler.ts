/** What the scheduler needs to know about a process. */
export interface Schedulable {
  /** Process id, unique. */
  readonly pid: number;
  /** Higher runs first; equal priorities share the CPU round robin. */
  readonly priority: number;
}

/**
 * Priority round robin: the highest-priority ready process runs; processes of equal priority
 * take turns, each for one time slice, in the order they became ready.
 */
export class PriorityRoundRobin<P extends Schedulable> {
  private readonly queues = new Map<number, P[]>();
  private priorities: number[] = [];
  private count = 0;

  /** How many processes are ready. */
  get ready(): number {
    return this.count;
  }

  /** Makes `process` ready, at the back of its priority's queue. */
  enqueue(process: P): void {
    let queue = this.queues.get(process.priority);
    if (queue === undefined) {
      queue = [];
      this.queues.set(process.priority, queue);
      this.priorities = [...this.queues.keys()].sort((a, b) => b - a);
    }
    queue.push(process);
    this.count++;
  }

  /** Takes the next process to run, or null when none is ready. */
  next(): P | null {
    for (const priority of this.priorities) {
      const queue = this.queues.get(priority)!;
      const process = queue.shift();
      if (process !== undefined) {
        this.count--;
        return process;
      }
    }
    return null;
  }

  /** Removes `process` from the ready queues if it is there (it was killed while ready). */
  remove(process: P): boolean {
    const queue = this.queues.get(process.priority);
    const index = queue?.indexOf(process) ?? -1;
    if (index < 0) return false;
    queue!.splice(index, 1);
    this.count--;
    return true;
  }

  /** True when a process of higher priority than `priority` is ready (it should preempt). */
  hasHigherThan(priority: number): boolean {
    for (const p of this.priorities) {
      if (p <= priority) return false;
      if (this.queues.get(p)!.length > 0) return true;
    }
    return false;
  }
}

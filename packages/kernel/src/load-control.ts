import { ConfigurationError } from '@pagelab/contracts';

/**
 * Load control: the part of a kernel that decides the degree of multiprogramming. When the
 * processes in memory together need more frames than there are, every one of them faults on
 * pages another just took (thrashing); the cure is to take whole processes out of the
 * competition (suspend them, their frames going to the others) and bring them back when memory
 * allows, instead of letting them fault until something kills them.
 *
 * Two rules decide when the system thrashes:
 * - `working-set` (the default): Denning's working-set principle. A process's working set is
 *   estimated as its resident pages plus the pages it faulted on within the last `window` cycles
 *   of its own (virtual) time that are not resident now (pages it needed and lost). When the
 *   working sets of the active processes add up to more than the frames processes may use, one
 *   is suspended.
 * - `pff`: the system's page-fault frequency. At every timer tick the controller counts the
 *   re-faults of the last tick interval: faults on pages the process had already had and lost to
 *   replacement. First touches are not thrashing (every process pays them once), nor are faults
 *   on pages load control itself swapped out (the price of coming back). More than `upper`
 *   re-faults in a tick: suspend one process. At most `lower`: a suspended process may come back.
 *
 * Under both, a suspended process comes back only when its working-set estimate fits beside
 * those of the active processes, and at each tick at most one process is suspended or resumed:
 * the controller moves the multiprogramming level by steps and watches what each step did.
 *
 * The victim is the active process of lowest priority and, among equals, the one activated
 * last (started or resumed most recently): it has the least invested in the frames it holds,
 * and the oldest active process is never suspended while a younger one could be, so someone
 * always gets to finish. A process with a DMA transfer in flight is never chosen (its frames are
 * pinned for the transfer). Suspended processes come back highest priority first, and among
 * equals in the order they were suspended.
 */
export type LoadControlRule = 'pff' | 'working-set';

/** The load-control rules, for checking and help texts. */
export const loadControlRules: readonly LoadControlRule[] = ['working-set', 'pff'];

/** How load control decides (the configuration's `loadControl`, null when off). */
export interface LoadControlSettings {
  /** What says the system thrashes: the fault rate or the working sets' sum. */
  readonly rule: LoadControlRule;
  /** `pff`: re-faults in one tick interval above which a process is suspended. */
  readonly upper: number;
  /** `pff`: re-faults in one tick interval at or below which a suspended process may come back. */
  readonly lower: number;
  /** The working-set window, in cycles of a process's own virtual time. */
  readonly window: number;
}

/**
 * The defaults: the working-set rule, with a window of 100,000 cycles of a process's own time
 * (some 20,000 instructions; the measured curves hardly move between 20,000 and 100,000). For
 * `pff`: a page-in from swap costs about 48,000 cycles (`swapLatency` 40,000 plus 2 a byte of a
 * 4 KiB page) and a tick is 80,000, so more than one re-fault a tick means the processes lose
 * pages they use about as fast as the disk can bring them back (Denning's L = S knee: a mean
 * time between faults no longer than the time to serve one); none at all lets one come back.
 */
export const defaultLoadControl: LoadControlSettings = { rule: 'working-set', upper: 1, lower: 0, window: 100_000 };

type Raw = Record<string, unknown>;

/**
 * Parses the configuration's `loadControl`: `"off"` or null (off), `"on"` (the defaults) or an object
 * `{ rule, upper, lower, window }`, each field optional. A bad value is a `ConfigurationError`
 * naming `loadControl` or `loadControl.<field>`; `show` renders the bad value.
 */
export function parseLoadControl(value: unknown, show: (value: unknown) => string): LoadControlSettings | null {
  // null is what a parsed configuration holds for off: parsing one again gives the same.
  if (value === undefined || value === null || value === 'off') return null;
  if (value === 'on') return defaultLoadControl;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('loadControl', `expected "off", "on" or an object { rule, upper, lower, window }, got ${show(value)}`);
  }
  const raw = value as Raw;
  const known = ['rule', 'upper', 'lower', 'window'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new ConfigurationError(`loadControl.${key}`, `unknown setting; known settings are ${known.join(', ')}`);
  }
  const rule = raw.rule ?? defaultLoadControl.rule;
  if (typeof rule !== 'string' || !(loadControlRules as readonly string[]).includes(rule)) {
    throw new ConfigurationError('loadControl.rule', `expected one of ${loadControlRules.join(', ')}, got ${show(rule)}`);
  }
  const count = (key: 'upper' | 'lower' | 'window', min: number): number => {
    const v = raw[key] ?? defaultLoadControl[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 1_000_000_000) {
      throw new ConfigurationError(`loadControl.${key}`, `expected an integer from ${min} to 1000000000, got ${show(v)}`);
    }
    return v;
  };
  const upper = count('upper', 0);
  const lower = count('lower', 0);
  if (lower > upper) throw new ConfigurationError('loadControl.lower', `must not be above loadControl.upper (${upper}), got ${lower}`);
  return { rule: rule as LoadControlRule, upper, lower, window: count('window', 1) };
}

/** What load control needs to know about a process. */
export interface Controllable {
  readonly pid: number;
  readonly priority: number;
  readonly addressSpace: number;
}

/** The kernel, as load control sees it. */
export interface LoadControlHost<P extends Controllable> {
  /** Frames processes may use: every frame but those the kernel wired for itself. */
  readonly userFrames: number;
  /** The processes that have not ended, in pid order. */
  liveProcesses(): readonly P[];
  /** False while the process has a DMA transfer in flight: its frames are pinned, it is left alone. */
  canSuspend(process: P): boolean;
  /** Pages of the process that are resident now, and whether `page` is one of them. */
  residentPages(process: P): number;
  isResident(process: P, page: number): boolean;
  /** Cycles the process has run so far (its virtual time). */
  virtualTime(process: P): number;
  /** Takes the process off the CPU until {@link resume}: it is not dispatched meanwhile. */
  suspend(process: P): void;
  /** Lets the process be dispatched again. */
  resume(process: P): void;
}

/** Load control's counters for a run. */
export interface LoadControlCounts {
  /** Processes suspended (a process suspended twice counts twice). */
  readonly suspensions: number;
  /** Suspended processes brought back. */
  readonly resumes: number;
  /** Pages of suspended processes the pager evicted to give their frames to active ones. */
  readonly pagesSwappedOut: number;
  /** Cycles processes spent suspended, summed over processes. */
  readonly suspendedCycles: number;
}

/** What the controller keeps per process. */
class ProcessRecord {
  held = false;
  /** Order of the last activation (start or resume): the victim rule takes the latest. */
  activated = 0;
  /** Order of the last suspension: suspended processes come back in this order. */
  suspendedSeq = 0;
  suspendedAt = 0;
  /** Virtual time of the last fault on each page. */
  readonly lastFault = new Map<number, number>();
  /** Pages load control took from it while it was suspended, not yet faulted back. */
  readonly swappedOut = new Set<number>();
}

/**
 * The load controller: it counts faults, holds its own per-process records, and at each timer
 * tick (`onTick`) suspends or resumes at most one process through its host.
 */
export class LoadController<P extends Controllable> {
  private readonly records = new Map<number, ProcessRecord>();
  /** Address spaces of suspended processes, for the pager's victim choice. */
  private readonly heldSpaces = new Set<number>();
  private sequence = 0;
  private refaults = 0;
  private counts = { suspensions: 0, resumes: 0, pagesSwappedOut: 0, suspendedCycles: 0 };

  constructor(
    readonly settings: LoadControlSettings,
    private readonly host: LoadControlHost<P>,
  ) {}

  private record(process: P): ProcessRecord {
    let r = this.records.get(process.pid);
    if (r === undefined) {
      r = new ProcessRecord();
      r.activated = ++this.sequence;
      this.records.set(process.pid, r);
    }
    return r;
  }

  /** A new process: active, and the latest activated. */
  admit(process: P): void {
    this.record(process);
  }

  /** The counters so far; cycles of processes still suspended are counted up to `now`. */
  counters(now: number): LoadControlCounts {
    let open = 0;
    for (const r of this.records.values()) if (r.held) open += now - r.suspendedAt;
    return { ...this.counts, suspendedCycles: this.counts.suspendedCycles + open };
  }

  /** True while load control holds the process off the CPU. */
  isHeld(process: P): boolean {
    return this.records.get(process.pid)?.held === true;
  }

  /** True when the address space belongs to a suspended process (its frames go first). */
  isHeldSpace(addressSpace: number): boolean {
    return this.heldSpaces.has(addressSpace);
  }

  /** How many processes are suspended now. */
  get heldCount(): number {
    return this.heldSpaces.size;
  }

  /**
   * The process faulted on `page`; `hadPage` says it had brought that page in before (so this is
   * a re-fault, unless load control took the page away while it was suspended).
   */
  noteFault(process: P, page: number, hadPage: boolean): void {
    const r = this.record(process);
    r.lastFault.set(page, this.host.virtualTime(process));
    if (r.swappedOut.delete(page)) return;
    if (hadPage) this.refaults++;
  }

  /** The pager evicted `page` of a suspended process's address space to give the frame to another. */
  noteSwappedOut(process: P, page: number): void {
    this.record(process).swappedOut.add(page);
    this.counts.pagesSwappedOut++;
  }

  /** The process ended: its record goes (the time it spent suspended is kept). */
  forget(process: P, now: number): void {
    const r = this.records.get(process.pid);
    if (r === undefined) return;
    if (r.held) this.counts.suspendedCycles += now - r.suspendedAt;
    this.heldSpaces.delete(process.addressSpace);
    this.records.delete(process.pid);
  }

  /**
   * The estimated working set: resident pages, plus pages faulted on within the window of the
   * process's own time that are not resident now (the ones it lost while it needed them).
   */
  workingSet(process: P): number {
    const r = this.record(process);
    const since = this.host.virtualTime(process) - this.settings.window;
    let lost = 0;
    for (const [page, at] of r.lastFault) if (at >= since && !this.host.isResident(process, page)) lost++;
    return this.host.residentPages(process) + lost;
  }

  /** The timer interrupt: looks at the last interval and suspends or resumes at most one process. */
  onTick(now: number): void {
    const refaults = this.refaults;
    this.refaults = 0;
    const live = this.host.liveProcesses();
    const active = live.filter((p) => !this.isHeld(p));
    const held = live.filter((p) => this.isHeld(p));
    const demand = active.reduce((sum, p) => sum + this.workingSet(p), 0);
    const thrashing = this.settings.rule === 'pff' ? refaults > this.settings.upper : demand > this.host.userFrames;
    if (thrashing) {
      if (active.length > 1) {
        const victim = this.victim(active);
        if (victim !== null) this.suspend(victim, now);
      }
      return;
    }
    if (held.length === 0) return;
    if (this.settings.rule === 'pff' && refaults > this.settings.lower) return;
    const next = this.nextToResume(held);
    if (active.length === 0 || demand + this.workingSet(next) <= this.host.userFrames) this.resume(next, now);
  }

  /**
   * Makes sure someone can run: when every live process is suspended, the first in line comes
   * back whatever the rules say (a system with work must make progress). True if one came back.
   */
  ensureProgress(now: number): boolean {
    const live = this.host.liveProcesses();
    if (live.length === 0 || live.some((p) => !this.isHeld(p))) return false;
    this.resume(this.nextToResume(live), now);
    return true;
  }

  /**
   * The livelock guard found `process` faulting without completing an instruction: every other
   * active process that may be suspended is, so it has the frames to itself. Returns how many
   * were suspended; 0 means it already runs alone (or beside processes in I/O), and cannot run.
   */
  isolate(process: P, now: number): number {
    let n = 0;
    for (const p of this.host.liveProcesses()) {
      if (p === process || this.isHeld(p) || !this.host.canSuspend(p)) continue;
      this.suspend(p, now);
      n++;
    }
    return n;
  }

  /** True when a live process other than `process` is active (not suspended). */
  othersActive(process: P): boolean {
    return this.host.liveProcesses().some((p) => p !== process && !this.isHeld(p));
  }

  /** Suspends `process` (the kernel's own choice, e.g. a fault that found no frame to take). */
  suspend(process: P, now: number): void {
    const r = this.record(process);
    if (r.held) return;
    r.held = true;
    r.suspendedAt = now;
    r.suspendedSeq = ++this.sequence;
    this.heldSpaces.add(process.addressSpace);
    this.counts.suspensions++;
    this.host.suspend(process);
  }

  private resume(process: P, now: number): void {
    const r = this.record(process);
    if (!r.held) return;
    r.held = false;
    r.activated = ++this.sequence;
    this.counts.suspendedCycles += now - r.suspendedAt;
    this.heldSpaces.delete(process.addressSpace);
    this.counts.resumes++;
    this.host.resume(process);
  }

  /** Lowest priority, then the latest activated, among those that may be suspended; null if none may. */
  private victim(active: readonly P[]): P | null {
    let best: P | null = null;
    for (const p of active) {
      if (!this.host.canSuspend(p)) continue;
      if (best === null || p.priority < best.priority || (p.priority === best.priority && this.record(p).activated > this.record(best).activated)) best = p;
    }
    return best;
  }

  /** Highest priority, then the earliest suspended. */
  private nextToResume(held: readonly P[]): P {
    let best = held[0]!;
    for (const p of held) {
      if (p.priority > best.priority || (p.priority === best.priority && this.record(p).suspendedSeq < this.record(best).suspendedSeq)) best = p;
    }
    return best;
  }
}

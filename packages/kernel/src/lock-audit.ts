import { formatCount, PinReason, type LeakedPin, type PinAudit } from '@pagelab/contracts';
import type { LeakLocksSettings } from './lock-leaks.js';

/** A pin's reason as reports name it. */
export type LockReasonName = 'dma' | 'user-lock' | 'kernel' | 'fresh-page';

const reasonNames: Readonly<Record<PinReason, LockReasonName>> = {
  [PinReason.Dma]: 'dma',
  [PinReason.UserLock]: 'user-lock',
  [PinReason.Kernel]: 'kernel',
  [PinReason.FreshPageIn]: 'fresh-page',
};

/** How a diagnosis words each reason, with its plural. */
const reasonWords: Readonly<Record<LockReasonName, readonly [string, string]>> = {
  dma: ['DMA pin', 'DMA pins'],
  'user-lock': ['user lock', 'user locks'],
  kernel: ['kernel pin', 'kernel pins'],
  'fresh-page': ['fresh-page lock', 'fresh-page locks'],
};

/** One leaked lock, as the leak audit found it: the frame it keeps, why, whose, since when. */
export interface LeakedLock {
  /** The pin's handle. */
  readonly pin: number;
  readonly frame: number;
  /** Why the lock was taken. */
  readonly reason: LockReasonName;
  /** The holder: its address space, and the process that had it (null if none ever did). */
  readonly addressSpace: number;
  readonly pid: number | null;
  readonly process: string | null;
  /** When it was taken, and how long it had been held at the audit. */
  readonly pinnedAt: number;
  readonly age: number;
  /** Why the audit says no one will release it. */
  readonly why: string;
}

/** The state of memory at one timer tick of a run with lock leaks injected. */
export interface LeakSample {
  readonly at: number;
  /** Distinct frames held by leaked locks. */
  readonly leakedFrames: number;
  /** Frames the pager could choose as a victim. */
  readonly evictableFrames: number;
  readonly freeFrames: number;
  /** Page faults served since the run began. */
  readonly faults: number;
  /** Instructions and synthetic references completed since the run began (the work the faults are per). */
  readonly work: number;
}

/** The leak audit of a run, and the injection that caused the leaks when there was one. */
export interface LockLeakReport {
  /** The fault injection in force, or null (leaks found then are the parts' own). */
  readonly injection: LeakLocksSettings | null;
  /** Releases of the injected kind that came due, and how many the injection skipped. */
  readonly releases: number;
  readonly injected: number;
  /** Every lock the audit at the end of the run found leaked, oldest first. */
  readonly leaks: readonly LeakedLock[];
  /** Distinct frames those locks hold: out of use for good. */
  readonly leakedFrames: number;
  /** Frames the pager quarantined when their address space went (the leaked-lock rule). */
  readonly quarantinedFrames: number;
  /** One sample per timer tick while injection is on (empty otherwise). */
  readonly samples: readonly LeakSample[];
  /** One line saying what the leaks did, or null when there were none. */
  readonly diagnosis: string | null;
}

/** Who had an address space: its process's pid and name. */
export type HolderLookup = (addressSpace: number) => { readonly pid: number; readonly name: string } | null;

/** The audit's leaked pins (its `leaked` list, or the orphaned ones for a table that predates it) as reports show them. */
export function leakedLocks(audit: PinAudit, holder: HolderLookup): LeakedLock[] {
  const found: readonly LeakedPin[] = audit.leaked ?? audit.orphaned.map((f) => ({ ...f, why: `its address space ${f.pin.addressSpace} no longer exists` }));
  return found.map(({ pin, heldFor, why }) => {
    const who = holder(pin.addressSpace);
    return { pin: pin.id, frame: pin.frame, reason: reasonNames[pin.reason], addressSpace: pin.addressSpace, pid: who?.pid ?? null, process: who?.name ?? null, pinnedAt: pin.pinnedAt, age: heldFor, why };
  });
}

/** The leaked locks on one frame: what a person reading an audit wants first. */
export interface LeakedFrame {
  readonly frame: number;
  /** How many leaked locks hold it. */
  readonly locks: number;
  /** The oldest of them (its reason, holder, age and why stand for the frame). */
  readonly oldest: LeakedLock;
}

/** `leaks` gathered by frame, the frame held longest first. */
export function leaksByFrame(leaks: readonly LeakedLock[]): LeakedFrame[] {
  const frames = new Map<number, { locks: number; oldest: LeakedLock }>();
  for (const leak of leaks) {
    const entry = frames.get(leak.frame);
    if (entry === undefined) frames.set(leak.frame, { locks: 1, oldest: leak });
    else {
      entry.locks++;
      if (leak.age > entry.oldest.age) entry.oldest = leak;
    }
  }
  return [...frames].map(([frame, e]) => ({ frame, ...e })).sort((a, b) => b.oldest.age - a.oldest.age || a.frame - b.frame);
}

/** How a report words a lock's reason: `DMA pin`, `fresh-page lock`. */
export function reasonWord(reason: LockReasonName): string {
  return reasonWords[reason][0];
}

/** A count as a person reads it: 1,201. */
const count = formatCount;

/** Distinct frames among `leaks`. */
export function framesHeld(leaks: readonly LeakedLock[]): number {
  return new Set(leaks.map((l) => l.frame)).size;
}

/**
 * One line for a kill message and the report: how many of the frames processes may use the
 * leaked locks hold, by reason, and the oldest's age; null when nothing leaked.
 */
export function diagnose(leaks: readonly LeakedLock[], userFrames: number): string | null {
  if (leaks.length === 0) return null;
  const byReason = new Map<LockReasonName, number>();
  for (const leak of leaks) byReason.set(leak.reason, (byReason.get(leak.reason) ?? 0) + 1);
  const parts = [...byReason].map(([reason, n]) => `${count(n)} ${reasonWords[reason][n === 1 ? 0 : 1]}`);
  const oldest = leaks.reduce((a, b) => (b.age > a.age ? b : a));
  const frames = framesHeld(leaks);
  return `leaked locks: ${frames} of ${userFrames} frames for processes held by ${count(leaks.length)} lock${leaks.length === 1 ? '' : 's'} never released (${parts.join(', ')}); the oldest, on frame ${oldest.frame}, held for ${count(oldest.age)} cycles`;
}

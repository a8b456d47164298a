import { ConfigurationError } from '@pagelab/contracts';

/**
 * Which lock a fault-injection run leaks: `io-pin`, the DMA pin of a transfer (its unpin when the
 * transfer completes is skipped); `fresh-page`, a fresh-page lock (its unlock when the process
 * is dispatched is skipped; it needs `lockFreshPages` for there to be any).
 */
export type LeakKind = 'io-pin' | 'fresh-page';

/** The kinds `leakLocks` takes. */
export const leakKinds: readonly LeakKind[] = ['io-pin', 'fresh-page'];

/**
 * Fault injection: a lock of `kind` whose release comes due is not released, with probability
 * `rate`, drawn from a generator seeded with `seed`: the seeds' "lock bit turned on but never
 * turned off", on purpose, so that the system's degradation and the leak audit can be measured.
 */
export interface LeakLocksSettings {
  readonly kind: LeakKind;
  /** Probability from 0 to 1 that a release of the kind is skipped. */
  readonly rate: number;
  /** Seed of the draws (defaults to the system's seed). */
  readonly seed: number;
}

type Raw = Record<string, unknown>;

/**
 * Reads `leakLocks` as written: absent, null or `"off"` (no injection), `"KIND:RATE"` (the
 * command line's form: `io-pin:0.05`), or `{ kind, rate, seed? }`. A bad value is a
 * `ConfigurationError` naming the field.
 */
export function parseLeakLocks(value: unknown, systemSeed: number, show: (value: unknown) => string): LeakLocksSettings | null {
  if (value === undefined || value === null || value === 'off') return null;
  let raw: Raw;
  if (typeof value === 'string') {
    const match = /^([a-z-]+):(.+)$/.exec(value);
    if (match === null) throw new ConfigurationError('leakLocks', `expected "off", KIND:RATE (KIND one of ${leakKinds.join(', ')}, RATE from 0 to 1) or an object { kind, rate, seed }, got ${show(value)}`);
    const rate = /^(?:\d+(?:\.\d+)?|\.\d+)$/.test(match[2]!) ? Number(match[2]) : match[2];
    raw = { kind: match[1], rate };
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    raw = value as Raw;
  } else {
    throw new ConfigurationError('leakLocks', `expected "off", KIND:RATE or an object { kind, rate, seed }, got ${show(value)}`);
  }
  const known = ['kind', 'rate', 'seed'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new ConfigurationError(`leakLocks.${key}`, `unknown setting; known settings are ${known.join(', ')}`);
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(leakKinds as readonly string[]).includes(kind)) {
    throw new ConfigurationError('leakLocks.kind', `expected one of ${leakKinds.join(', ')}, got ${show(kind)}`);
  }
  const rate = raw.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new ConfigurationError('leakLocks.rate', `expected a number from 0 to 1, got ${show(rate)}`);
  const seed = raw.seed ?? systemSeed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new ConfigurationError('leakLocks.seed', `expected an integer from 0 to 4294967295, got ${show(seed)}`);
  }
  return { kind: kind as LeakKind, rate, seed };
}

/**
 * Decides, release by release, which locks of one kind leak, and keeps the count. Every release
 * of the kind draws once, leaked or not, so the n-th release's fate depends on the seed alone.
 */
export class LockLeaker {
  /** Releases of the kind that came due. */
  releases = 0;
  /** Of those, the ones skipped. */
  injected = 0;
  /** Handles of the pins leaked, in order: the ground truth the audit is checked against. */
  readonly leakedPins: number[] = [];
  private state: number;

  constructor(readonly settings: LeakLocksSettings) {
    // xorshift32 must not start at zero; the multiply spreads nearby seeds apart.
    this.state = (Math.imul(settings.seed ^ 0x5bd1e995, 0x9e3779b1) >>> 0) || 1;
  }

  get kind(): LeakKind {
    return this.settings.kind;
  }

  /** A release of `pin` is due: true when it is to be skipped (the lock leaks). */
  leaks(pin: number): boolean {
    this.releases++;
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    if (this.state / 2 ** 32 >= this.settings.rate) return false;
    this.injected++;
    this.leakedPins.push(pin);
    return true;
  }
}

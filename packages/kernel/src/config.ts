import {
  ConfigurationError,
  type CostModel,
  type CpuEngine,
  type CpuModelName,
  type IoStrategyName,
  type LockQuotaMode,
  type ReplacementPolicyName,
  type ReplacementScope,
  type RestartStrategyName,
} from '@pagelab/contracts';
import { costModel } from './costs.js';
import { parseLoadControl, type LoadControlSettings } from './load-control.js';
import { parseLeakLocks, type LeakLocksSettings } from './lock-leaks.js';
import { SupervisorSpace } from './supervisor-space.js';
import { frameTablePagesFor, kernelPagesModes, type KernelPagesMode } from './kernel-pages.js';

/** How an ambiguous software backup is resolved. */
export type AmbiguityPolicyName = 'refuse' | 'lowest-start' | 'highest-start';

/** Everything that shapes a system. A run is a function of this and nothing else. */
export interface SystemConfig {
  /** Physical frames, kernel-wired ones included. */
  readonly frames: number;
  /** Page and frame size in bytes: a power of two from 256 to 65536. */
  readonly pageSize: number;
  /** Replacement policy. */
  readonly policy: ReplacementPolicyName;
  /** Replacement scope: any process's frames (global) or only the faulting one's (local). */
  readonly scope: ReplacementScope;
  /** I/O buffer strategy for read and write. */
  readonly io: IoStrategyName;
  /** Instruction-restart strategy. */
  readonly restart: RestartStrategyName;
  /** How the software strategy's ambiguous backups are resolved. */
  readonly ambiguity: AmbiguityPolicyName;
  /** CPU model (fault model). */
  readonly cpuModel: CpuModelName;
  /**
   * How the CPU executes instructions: translated to JavaScript block by block (the default)
   * or interpreted. A run's results are the same either way; only host time differs.
   */
  readonly cpuEngine: CpuEngine;
  /** Seed for everything random (synthetic workloads, the random policy). */
  readonly seed: number;
  /** Instructions (or synthetic references) per time slice. */
  readonly timeSlice: number;
  /**
   * Cycles between two timer interrupts. Each one calls the pager's `onClockTick`, where the
   * sampling policies (aging, NFU, working set, WSClock, the referenced-bit LRU) read and clear
   * referenced bits. Default {@link defaultTickInterval}.
   */
  readonly tickInterval: number;
  /**
   * Frames wired for the kernel's own use at boot, bounce pool excluded: they hold its vector
   * table, exception stubs and supervisor stack (`SupervisorSpace.bytes`), so at least enough for those.
   */
  readonly kernelFrames: number;
  /** Frames wired for the bounce pool. */
  readonly bounceFrames: number;
  /** What a bounce request does when the pool is full. */
  readonly whenPoolFull: 'wait' | 'fail';
  /** Lock quota for pins. */
  readonly lockQuota: {
    readonly mode: LockQuotaMode;
    readonly perAddressSpace: number;
    readonly global: number;
    readonly pressureThreshold: number;
  };
  /** Keep a freshly paged-in page locked until its process next runs (the seeds' low-priority rule). */
  readonly lockFreshPages: boolean;
  /** Backing-store slots (pages). */
  readonly swapSlots: number;
  /** TLB entries and associativity. */
  readonly tlb: { readonly entries: number; readonly ways: number };
  /** DMA channels. */
  readonly dmaChannels: number;
  /** The cost model. */
  readonly costs: CostModel;
  /** Simulated cycles after which a run stops and reports what is still running (Infinity: no bound). */
  readonly maxCycles: number;
  /**
   * Load control (`"off"`, `"on"` or `{ rule, upper, lower, window }` when written): suspends
   * whole processes when the system thrashes and resumes them when memory allows; null when off.
   */
  readonly loadControl: LoadControlSettings | null;
  /**
   * Fault injection (`"off"`, `"KIND:RATE"` or `{ kind, rate, seed }` when written): locks of one
   * kind (`io-pin`, `fresh-page`) whose release is skipped at a rate, to measure what leaked
   * locks do and check the leak audit; null when off.
   */
  readonly leakLocks: LeakLocksSettings | null;
  /**
   * Where the kernel keeps its page tables and frame table: `host` (the default: outside the
   * simulated frames, as pagelab always has), `wired` (in simulated frames it never gives up)
   * or `pageable` (in simulated frames the replacement policy may evict, so that the kernel can
   * fault on its own pages inside the fault path and panic; the bounce pool is then pageable
   * too, held only while a transfer uses it).
   */
  readonly kernelPages: KernelPagesMode;
}

/**
 * The default timer period: 80,000 cycles, 10 ms of an 8 MHz 68000 (the cost model's clock),
 * the 100 Hz tick of a classic Unix kernel and of Linux with HZ=100.
 */
export const defaultTickInterval = 80_000;

/** The CPU model a restart strategy gets when the configuration names none: the one it needs, else a plain 68000. */
export function defaultCpuModel(restart: string): 'm68000' | 'm68010-hidden' | 'm68010-continuation' {
  return restart === 'hardware' ? 'm68010-hidden' : restart === 'continue' ? 'm68010-continuation' : 'm68000';
}

/** The shortest timer period accepted: a tick more often than a context switch costs is not a timer a kernel would run. */
const shortestTickInterval = 1_000;

/** The allowed values of every setting that is one of a list (for checking and for help texts). */
export const systemConfigChoices = {
  policy: ['fifo', 'clock', 'clock-clear', 'enhanced-clock', 'lru', 'nfu', 'aging', 'working-set', 'wsclock', 'random', 'opt'],
  scope: ['global', 'local'],
  io: ['pin', 'bounce', 'unprotected', 'hybrid'],
  restart: ['hardware', 'software', 'none', 'continue'],
  ambiguity: ['refuse', 'lowest-start', 'highest-start'],
  cpuModel: ['m68000', 'm68010-hidden', 'pc-only', 'm68010-continuation'],
  cpuEngine: ['translate', 'interpret'],
  whenPoolFull: ['wait', 'fail'],
  lockMode: ['refuse', 'hint'],
  kernelPages: kernelPagesModes,
} as const;
const choices = systemConfigChoices;

/**
 * Upper bounds on what a configuration may ask the host to allocate, so that a typo gives a
 * one-line error instead of an allocation failure or a host that runs out of memory.
 */
export const systemConfigLimits = {
  /** Physical frames. */
  frames: 1 << 20,
  /** Bytes of simulated physical memory (frames × pageSize): 256 MiB, one host allocation. */
  physicalBytes: 256 * 1024 * 1024,
  /** Backing-store slots (each a page; the store keeps per-slot tables of this length). */
  swapSlots: 1 << 20,
  /** TLB entries. */
  tlbEntries: 1 << 16,
  /** DMA channels. */
  dmaChannels: 64,
} as const;

/** A value as an error message shows it: JSON, but with non-finite numbers spelt out. */
export function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return typeof value;
  }
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(raw: Raw, key: string, field: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new ConfigurationError(field, `expected ${range}, got ${showValue(value)}`);
  }
  return value;
}

function limit(raw: Raw, key: string, field: string): number {
  const value = raw[key] ?? null;
  if (value === null || value === 'unlimited' || value === Infinity) return Infinity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigurationError(field, `expected a non-negative integer or "unlimited", got ${showValue(value)}`);
  }
  return value;
}

function choice<T extends string>(raw: Raw, key: string, field: string, options: readonly T[], fallback: T): T {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new ConfigurationError(field, `expected one of ${options.join(', ')}, got ${showValue(value)}`);
  }
  return value as T;
}

function boolean(raw: Raw, key: string, field: string, fallback: boolean): boolean {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'boolean') throw new ConfigurationError(field, `expected true or false, got ${showValue(value)}`);
  return value;
}

function section(raw: Raw, key: string): Raw {
  const value = raw[key] ?? {};
  if (!isObject(value)) throw new ConfigurationError(key, `expected an object, got ${showValue(value)}`);
  return value;
}

const knownKeys = new Set([
  'frames', 'pageSize', 'policy', 'scope', 'io', 'restart', 'ambiguity', 'cpuModel', 'cpuEngine', 'seed', 'timeSlice', 'tickInterval', 'kernelFrames',
  'bounceFrames', 'whenPoolFull', 'lockQuota', 'lockFreshPages', 'swapSlots', 'tlb', 'dmaChannels', 'costs', 'maxCycles', 'loadControl',
  'leakLocks', 'kernelPages',
]);

/**
 * Checks a configuration written by a person (from a scenario file or the command line),
 * fills in defaults, and returns it typed. The first problem found is thrown as a
 * `ConfigurationError` that names the field and says what was expected; impossible
 * combinations (hardware restart on a CPU without the hidden register, fewer frames than
 * the kernel wires) are refused the same way.
 */
export function parseSystemConfig(input: unknown): SystemConfig {
  if (!isObject(input)) throw new ConfigurationError('config', `expected an object, got ${showValue(input)}`);
  for (const key of Object.keys(input)) {
    if (!knownKeys.has(key)) throw new ConfigurationError(key, `unknown setting; known settings are ${[...knownKeys].join(', ')}`);
  }
  const frames = integer(input, 'frames', 'frames', 64, 1, systemConfigLimits.frames);
  const pageSize = integer(input, 'pageSize', 'pageSize', 4096, 256, 65536);
  if ((pageSize & (pageSize - 1)) !== 0) throw new ConfigurationError('pageSize', `expected a power of two from 256 to 65536, got ${pageSize}`);
  if (frames * pageSize > systemConfigLimits.physicalBytes) {
    throw new ConfigurationError(
      'frames',
      `${frames} frames of ${pageSize} bytes are ${frames * pageSize} bytes of physical memory; the limit is ${systemConfigLimits.physicalBytes} (${systemConfigLimits.physicalBytes / pageSize} frames of this size)`,
    );
  }
  const restart = choice(input, 'restart', 'restart', choices.restart, 'hardware');
  const cpuModel = choice(input, 'cpuModel', 'cpuModel', choices.cpuModel, defaultCpuModel(restart));
  if (restart === 'hardware' && cpuModel !== 'm68010-hidden') {
    throw new ConfigurationError('restart', `'hardware' restart needs the hidden start-PC register of cpuModel 'm68010-hidden', not '${cpuModel}'`);
  }
  if ((restart === 'continue') !== (cpuModel === 'm68010-continuation')) {
    throw new ConfigurationError(
      'restart',
      restart === 'continue'
        ? `'continue' restart needs the long frame of cpuModel 'm68010-continuation', not '${cpuModel}'`
        : `cpuModel 'm68010-continuation' is resumed, not backed up: it needs restart 'continue', not '${restart}'`,
    );
  }
  const kernelMinimum = SupervisorSpace.framesFor(pageSize);
  const kernelFrames = integer(input, 'kernelFrames', 'kernelFrames', kernelMinimum, 0);
  if (kernelFrames < kernelMinimum) {
    throw new ConfigurationError(
      'kernelFrames',
      `the kernel's vector table, exception stubs and supervisor stack take ${SupervisorSpace.bytes} bytes: at least ${kernelMinimum} frame(s) of ${pageSize} bytes, got ${kernelFrames}`,
    );
  }
  const bounceFrames = integer(input, 'bounceFrames', 'bounceFrames', 4, 0);
  if (kernelFrames + bounceFrames >= frames) {
    throw new ConfigurationError('frames', `${frames} frames leave none for processes after ${kernelFrames} kernel and ${bounceFrames} bounce frames`);
  }
  const kernelPages = choice(input, 'kernelPages', 'kernelPages', choices.kernelPages, 'host');
  const frameTablePages = kernelPages === 'host' ? 0 : frameTablePagesFor(frames, pageSize);
  if (kernelFrames + bounceFrames + frameTablePages >= frames) {
    throw new ConfigurationError(
      'frames',
      `${frames} frames leave none for processes after ${kernelFrames} kernel, ${bounceFrames} bounce and ${frameTablePages} frame-table frames (kernelPages '${kernelPages}')`,
    );
  }
  const io = choice(input, 'io', 'io', choices.io, 'pin');
  if ((io === 'bounce' || io === 'hybrid') && bounceFrames === 0) {
    throw new ConfigurationError('bounceFrames', `io '${io}' needs a bounce pool: set bounceFrames to at least 1`);
  }
  const quota = section(input, 'lockQuota');
  const tlb = section(input, 'tlb');
  const tlbEntries = integer(tlb, 'entries', 'tlb.entries', 64, 1, systemConfigLimits.tlbEntries);
  const tlbWays = integer(tlb, 'ways', 'tlb.ways', 4, 1, tlbEntries);
  if (tlbEntries % tlbWays !== 0) throw new ConfigurationError('tlb.ways', `${tlbWays} ways do not divide ${tlbEntries} entries`);
  const costs = section(input, 'costs');
  const config = {
    frames,
    pageSize,
    policy: choice(input, 'policy', 'policy', choices.policy, 'clock'),
    scope: choice(input, 'scope', 'scope', choices.scope, 'global'),
    io,
    restart,
    ambiguity: choice(input, 'ambiguity', 'ambiguity', choices.ambiguity, 'refuse'),
    cpuModel,
    cpuEngine: choice(input, 'cpuEngine', 'cpuEngine', choices.cpuEngine, 'translate'),
    seed: integer(input, 'seed', 'seed', 1, 0, 2 ** 32 - 1),
    timeSlice: integer(input, 'timeSlice', 'timeSlice', 2_000, 1),
    tickInterval: integer(input, 'tickInterval', 'tickInterval', defaultTickInterval, shortestTickInterval),
    kernelFrames,
    bounceFrames,
    whenPoolFull: choice(input, 'whenPoolFull', 'whenPoolFull', choices.whenPoolFull, 'wait'),
    lockQuota: {
      mode: choice(quota, 'mode', 'lockQuota.mode', choices.lockMode, 'refuse'),
      perAddressSpace: limit(quota, 'perAddressSpace', 'lockQuota.perAddressSpace'),
      global: limit(quota, 'global', 'lockQuota.global'),
      pressureThreshold: integer(quota, 'pressureThreshold', 'lockQuota.pressureThreshold', 0, 0),
    },
    lockFreshPages: boolean(input, 'lockFreshPages', 'lockFreshPages', false),
    swapSlots: integer(input, 'swapSlots', 'swapSlots', 4096, 1, systemConfigLimits.swapSlots),
    tlb: { entries: tlbEntries, ways: tlbWays },
    dmaChannels: integer(input, 'dmaChannels', 'dmaChannels', 2, 1, systemConfigLimits.dmaChannels),
    costs: costModel(costs),
    maxCycles: limit(input, 'maxCycles', 'maxCycles'),
    loadControl: parseLoadControl(input.loadControl, showValue),
  };
  return { ...config, leakLocks: parseLeakLocks(input.leakLocks, config.seed, showValue), kernelPages };
}

/** The configuration an empty object gives: every default, for help texts and documentation. */
export const defaultSystemConfig: SystemConfig = parseSystemConfig({});

import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConfigurationError, seamSpecificationVersions } from '@pagelab/contracts';
import type {
  DmaControllerFactory,
  FrameTableFactory,
  IoStrategyFactory,
  IoStrategyOptions,
  MmuFactory,
  PagerFactory,
  ReplacementPolicyFactory,
  RestartStrategyFactory,
} from '@pagelab/contracts';
import { dmaControllerConformanceSuite, dmaWiringOf } from '../dma.js';
import { frameTableConformanceSuite } from '../frame-table.js';
import { ioBufferStrategyConformanceSuite } from '../io-buffers.js';
import { mmuConformanceSuite } from '../mmu.js';
import { pagerConformanceSuite } from '../pager.js';
import { PagerTestClock, pagerTestCosts, PagerTestFrameTable, PagerTestImages, PagerTestMmu, PagerTestSwap } from '../pager-machine.js';
import { ArrayUsageBits, replacementPolicyConformanceSuite } from '../replacement-policy.js';
import { restartStrategyConformanceSuite, type FaultBench, type RestartStrategyCapabilities } from '../restart-strategy.js';
import { SimulatedTime } from '../simulated-time.js';
import type { ConformanceCase, ConformanceSuite, TestVisibility } from '../suite.js';
import { ConformanceModuleError, importPartModule } from './load-module.js';

/** The seams `pagelab conform` can check, by the names the CLI takes. */
export const conformSeamNames = ['replacement-policy', 'pager', 'restart-strategy', 'io-strategy', 'frame-table', 'mmu', 'dma'] as const;
export type ConformSeamName = (typeof conformSeamNames)[number];

/** What the host (the CLI, a grading script) provides that a suite cannot build itself. */
export interface ConformHost {
  /** Real 68000 fault frames, for `restart-strategy` (`{ faultEveryReference }` from `@pagelab/cpu-m68k`). */
  readonly bench?: FaultBench;
}

/** What a teacher's extra test receives. */
export interface ExtraTestKit {
  readonly seam: ConformSeamName;
  /** The fault bench, for restart-strategy tests. */
  readonly bench?: FaultBench;
}

/**
 * One test in a teacher's extra-tests module: the module exports `seam` (the seam's name) and,
 * as its default export, an array of these. `run` throws (e.g. with `node:assert`) to fail.
 */
export interface ExtraTest {
  readonly name: string;
  run(factory: unknown, kit: ExtraTestKit): void | string | Promise<void | string>;
  /** Points (default 1). */
  readonly maxScore?: number;
  /** Default `hidden`: students see neither the test nor its result until the teacher publishes it. */
  readonly visibility?: TestVisibility;
}

const VISIBILITIES: readonly TestVisibility[] = ['visible', 'hidden', 'after_due_date', 'after_published'];

/** A checked seam name, or a ConfigurationError listing the ones there are. */
export function conformSeam(name: string): ConformSeamName {
  if ((conformSeamNames as readonly string[]).includes(name)) return name as ConformSeamName;
  throw new ConfigurationError('seam', `unknown seam "${name}"; expected one of ${conformSeamNames.join(', ')}`);
}

const isFunction = (v: unknown): v is (...args: unknown[]) => unknown => typeof v === 'function';

/** Calls the factory once on a throwaway input and checks the object it builds has the seam's methods. */
function probe(module: string, seam: ConformSeamName, build: () => unknown, methods: readonly string[], named: readonly string[]): Record<string, unknown> {
  let built: unknown;
  try {
    built = build();
  } catch (error) {
    throw new ConformanceModuleError(module, seam, `calling the default export threw: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
  if (built === null || typeof built !== 'object') throw new ConformanceModuleError(module, seam, `the default export returned ${built === null ? 'null' : typeof built}, not an object`);
  const object = built as Record<string, unknown>;
  const wanted = seamSpecificationVersions[seam];
  if (object.specificationVersion !== wanted) {
    const got = object.specificationVersion === undefined ? 'none (no specificationVersion property)' : JSON.stringify(object.specificationVersion);
    throw new ConformanceModuleError(module, seam, `needs specification version ${wanted}, got ${got}`);
  }
  const missing = methods.filter((m) => !isFunction(object[m]));
  if (missing.length > 0) throw new ConformanceModuleError(module, seam, `the object the default export returns has no ${missing.map((m) => `${m}()`).join(', ')}`);
  for (const field of named) {
    if (typeof object[field] !== 'string' || object[field].length === 0) throw new ConformanceModuleError(module, seam, `the object the default export returns has no ${field} (a non-empty string)`);
  }
  return object;
}

function capabilitiesOf(module: string, value: unknown): RestartStrategyCapabilities {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new ConformanceModuleError(module, 'restart-strategy', 'the "capabilities" export must be an object like { plainFrame: true }');
  const out: Record<string, boolean> = {};
  for (const [key, flag] of Object.entries(value as Record<string, unknown>)) {
    if (key !== 'hiddenRecord' && key !== 'plainFrame' && key !== 'continuation') throw new ConformanceModuleError(module, 'restart-strategy', `capabilities.${key}: unknown; expected hiddenRecord, plainFrame or continuation`);
    if (typeof flag !== 'boolean') throw new ConformanceModuleError(module, 'restart-strategy', `capabilities.${key}: expected true or false`);
    out[key] = flag;
  }
  return out;
}

/** The factory a part module exports by default (a CommonJS `exports.default` is unwrapped too). */
function defaultFactory(module: string, seam: ConformSeamName, namespace: Record<string, unknown>, expected: string): (...args: never[]) => unknown {
  let value = namespace.default;
  if (value !== null && typeof value === 'object' && isFunction((value as Record<string, unknown>).default)) value = (value as Record<string, unknown>).default;
  if (!isFunction(value)) {
    throw new ConformanceModuleError(module, seam, `the default export must be ${expected}, got ${value === undefined ? 'no default export' : value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** The suite for a loaded part module, after checking the module is that seam's part. */
export function suiteForModule(seam: ConformSeamName, module: string, namespace: Record<string, unknown>, host: ConformHost): { suite: ConformanceSuite; factory: unknown } {
  const label = basename(module);
  switch (seam) {
    case 'replacement-policy': {
      const factory = defaultFactory(module, seam, namespace, 'a replacement-policy factory, (context) => ReplacementPolicy') as ReplacementPolicyFactory;
      const requiresVisibleReferences = namespace.requiresVisibleReferences === true;
      const probed = probe(module, seam, () => factory({ frameCount: 4, bits: new ArrayUsageBits(4), referencesVisible: true, seed: 1, nextUse: new Int32Array(8).fill(0x7fffffff) }), ['onPageIn', 'onReference', 'onEvict', 'onClockTick', 'chooseVictim'], ['name']);
      return { suite: replacementPolicyConformanceSuite(`${probed.name as string} (${label})`, factory, { requiresVisibleReferences }), factory };
    }
    case 'pager': {
      const factory = defaultFactory(module, seam, namespace, 'a pager factory, (dependencies, options) => Pager') as PagerFactory;
      probe(
        module,
        seam,
        () => {
          const clock = new PagerTestClock();
          const memory = { bytes: new Uint8Array(4 * 256), frameCount: 4, pageSize: 256 };
          const deps = { mmu: new PagerTestMmu(4, 256), frames: new PagerTestFrameTable(4), memory, store: new PagerTestSwap(256, 4, clock, pagerTestCosts), contents: new PagerTestImages(0), clock, costs: pagerTestCosts };
          const fifo = replacementProbePolicy();
          return factory(deps, { policy: () => fifo });
        },
        ['handleFault', 'onDispatch', 'onClockTick', 'releasePages', 'releaseAddressSpace'],
        [],
      );
      return { suite: pagerConformanceSuite(label, factory), factory };
    }
    case 'restart-strategy': {
      const factory = defaultFactory(module, seam, namespace, 'a restart-strategy factory, (options) => RestartStrategy') as RestartStrategyFactory;
      const capabilities = capabilitiesOf(module, namespace.capabilities);
      const probed = probe(module, seam, () => factory({ cpuModel: 'm68000' }), ['backUp'], ['name']);
      if (host.bench === undefined) throw new ConformanceModuleError(module, seam, 'this host provides no fault bench (a 68000 core) to produce fault frames');
      const declared = Object.entries(capabilities).filter(([, on]) => on).map(([k]) => k).join(', ') || 'none declared';
      return { suite: restartStrategyConformanceSuite(`${probed.name as string} (${label}; capabilities: ${declared})`, factory, { bench: host.bench, capabilities }), factory };
    }
    case 'io-strategy': {
      const factory = defaultFactory(module, seam, namespace, 'an io-strategy factory, (options) => IoBufferStrategy') as IoStrategyFactory;
      const probed = probe(module, seam, () => factory(ioStrategyOptions), ['begin', 'finish'], ['name']);
      if (probed.costs === null || typeof probed.costs !== 'object') throw new ConformanceModuleError(module, seam, 'the object the default export returns has no costs (an IoCosts object)');
      return { suite: ioBufferStrategyConformanceSuite(`${probed.name as string} (${label})`, () => factory(ioStrategyOptions)), factory };
    }
    case 'frame-table': {
      const factory = defaultFactory(module, seam, namespace, 'a frame-table factory, (options) => FrameTable') as FrameTableFactory;
      probe(module, seam, () => factory({ frameCount: 4 }), frameTableMethods, []);
      return { suite: frameTableConformanceSuite(label, factory), factory };
    }
    case 'mmu': {
      const factory = defaultFactory(module, seam, namespace, 'an mmu factory, (options) => Mmu') as MmuFactory;
      probe(module, seam, () => factory({ frameCount: 16 }), mmuMethods, []);
      return { suite: mmuConformanceSuite(label, factory), factory };
    }
    case 'dma': {
      const factory = defaultFactory(module, seam, namespace, 'a dma factory, (wiring) => DmaController') as DmaControllerFactory;
      probe(
        module,
        seam,
        () => {
          const time = new SimulatedTime();
          return factory({ memory: new Uint8Array(256), clock: time, events: time, listener: { burst() {}, complete() {} }, channels: 1, burstBytes: 64, burstInterval: 16 });
        },
        ['submit'],
        [],
      );
      return { suite: dmaControllerConformanceSuite(label, (rig) => factory(dmaWiringOf(rig))), factory };
    }
  }
}

/** What the suite's I/O strategies are built with: the kernel's defaults (its copy cost, waiting when the pool is full). */
const ioStrategyOptions: IoStrategyOptions = { copyCyclesPerByte: 3, whenPoolFull: 'wait' };

/** The methods of the contracts' `FrameTable` and `Mmu`, all of which their suites call. */
const frameTableMethods = ['state', 'owner', 'ownerAddressSpace', 'ownerPage', 'isDirty', 'setDirty', 'allocate', 'allocateWired', 'reassign', 'free', 'pin', 'unpin', 'pinRecord', 'outstandingPins', 'pinCount', 'isEvictable', 'nextEvictable', 'evictableFrames', 'lockedBy', 'dropHintLocks', 'audit'];
const mmuMethods = ['createAddressSpace', 'destroyAddressSpace', 'hasAddressSpace', 'reserve', 'release', 'map', 'unmap', 'protect', 'frameOf', 'entry', 'translate', 'isReferenced', 'isModified', 'clearReferenced', 'clearModified', 'flushTlbPage', 'flushTlbAddressSpace', 'flushTlb', 'busFor'];

/** A do-nothing-wrong policy for probing a pager factory (the probe never faults). */
function replacementProbePolicy() {
  return {
    name: 'probe',
    specificationVersion: seamSpecificationVersions['replacement-policy'],
    observesReferences: false,
    onPageIn() {},
    onReference() {},
    onEvict() {},
    onClockTick() {},
    chooseVictim(): number {
      throw new ConfigurationError('probe', 'the probe policy is never asked for a victim');
    },
  };
}

/**
 * A teacher's extra tests for `seam` from every `.js`/`.mjs` module in `dir` (in name order;
 * modules for another seam are skipped), as cases that call each test with the part's factory.
 */
export async function loadExtraTests(dir: string, seam: ConformSeamName, factory: unknown, host: ConformHost, cwd: string): Promise<ConformanceCase[]> {
  const root = resolve(cwd, dir);
  let files: string[];
  try {
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
    files = readdirSync(root).filter((f) => /\.m?js$/.test(f)).sort();
  } catch {
    throw new ConfigurationError('extra-tests', `${dir}: no such directory`);
  }
  const cases: ConformanceCase[] = [];
  const kit: ExtraTestKit = { seam, ...(host.bench !== undefined ? { bench: host.bench } : {}) };
  for (const file of files) {
    const shown = join(dir, file);
    const namespace = await importPartModule(join(root, file), `extra tests for ${seam}`, cwd);
    if (typeof namespace.seam !== 'string') throw new ConformanceModuleError(shown, `extra tests for ${seam}`, `must export "seam" (one of ${conformSeamNames.join(', ')})`);
    if (namespace.seam !== seam) continue;
    const tests = namespace.default;
    if (!Array.isArray(tests)) throw new ConformanceModuleError(shown, `extra tests for ${seam}`, 'the default export must be an array of { name, run(factory, kit) }');
    tests.forEach((test: unknown, i) => {
      const t = test as Partial<ExtraTest> | null;
      const where = `test ${i + 1}`;
      if (t === null || typeof t !== 'object' || typeof t.name !== 'string' || t.name.length === 0) throw new ConformanceModuleError(shown, `extra tests for ${seam}`, `${where}: needs a name (a non-empty string)`);
      if (!isFunction(t.run)) throw new ConformanceModuleError(shown, `extra tests for ${seam}`, `${where} ("${t.name}"): needs run(factory, kit)`);
      if (t.maxScore !== undefined && !(typeof t.maxScore === 'number' && t.maxScore > 0 && Number.isFinite(t.maxScore))) throw new ConformanceModuleError(shown, `extra tests for ${seam}`, `${where} ("${t.name}"): maxScore must be a positive number`);
      if (t.visibility !== undefined && !VISIBILITIES.includes(t.visibility)) throw new ConformanceModuleError(shown, `extra tests for ${seam}`, `${where} ("${t.name}"): visibility must be one of ${VISIBILITIES.join(', ')}`);
      const run = t.run.bind(t);
      cases.push({ name: t.name, maxScore: t.maxScore ?? 1, visibility: t.visibility ?? 'hidden', run: () => run(factory, kit) });
    });
  }
  return cases;
}

/**
 * Everything `pagelab conform` does before running: loads the part module, checks it is that
 * seam's part, builds its suite, and appends the extra tests (names must not clash).
 */
export async function prepareConformance(seamName: string, module: string, options: { extraTests?: string; cwd: string; host: ConformHost }): Promise<ConformanceSuite> {
  const seam = conformSeam(seamName);
  const namespace = await importPartModule(module, seam, options.cwd);
  const { suite, factory } = suiteForModule(seam, module, namespace, options.host);
  if (options.extraTests === undefined) return suite;
  const extra = await loadExtraTests(options.extraTests, seam, factory, options.host, options.cwd);
  const names = new Set(suite.cases.map((c) => c.name));
  for (const c of extra) {
    if (names.has(c.name)) throw new ConformanceModuleError(options.extraTests, `extra tests for ${seam}`, `"${c.name}" is already the name of a test`);
    names.add(c.name);
  }
  return { ...suite, cases: [...suite.cases, ...extra] };
}

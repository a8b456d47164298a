import { expect } from 'vitest';
import { AccessKind, FrameState, NothingEvictableError, PinReason, Protection, seamSpecificationVersions } from '@pagelab/contracts';
import type { Pager, PagerFactory, ReplacementPolicy, ReplacementPolicyContext, ReplacementScope, VictimCandidates } from '@pagelab/contracts';
import { imageByte, PagerTestClock, pagerTestCosts, PagerTestFrameTable, PagerTestImages, PagerTestMmu, PagerTestSwap } from './pager-machine.js';
import type { ConformanceCase, ConformanceSuite } from './suite.js';
import { describeConformanceSuite } from './vitest-binding.js';

const PAGE = 256;
/** Pages below this are program text/data from the image; the rest start as zeros. */
const IMAGE_PAGES = 8;
/** Pages each address space may touch. */
const SPACE_PAGES = 64;

/** What the suite records of the policy the pager was given. */
interface PolicyLog {
  readonly chosen: number[];
  readonly pageIns: number[];
  readonly evicts: number[];
  built: number;
}

/**
 * FIFO, written plainly, recording what the pager tells it: the suite gives every pager this
 * policy so it can check the pager evicts what its policy chooses and nothing else.
 */
class RecordingFifo implements ReplacementPolicy {
  readonly name = 'conformance-fifo';
  readonly specificationVersion = 1;
  readonly observesReferences = false;
  private queue: number[] = [];
  constructor(
    private readonly context: ReplacementPolicyContext,
    private readonly log: PolicyLog,
  ) {}
  onPageIn(frame: number): void {
    if (!(Number.isInteger(frame) && frame >= 0 && frame < this.context.frameCount)) throw new Error(`policy.onPageIn(${frame}): not a frame number`);
    this.queue = this.queue.filter((f) => f !== frame);
    this.queue.push(frame);
    this.log.pageIns.push(frame);
  }
  onReference(): void {}
  onEvict(frame: number): void {
    this.queue = this.queue.filter((f) => f !== frame);
    this.log.evicts.push(frame);
  }
  onClockTick(): void {}
  chooseVictim(candidates: VictimCandidates): number {
    const victim = this.queue.find((frame) => candidates.isCandidate(frame));
    if (victim === undefined) throw new NothingEvictableError(`no candidate among ${this.context.frameCount} frames`);
    this.log.chosen.push(victim);
    return victim;
  }
}

interface RigOptions {
  readonly frames: number;
  readonly slots?: number;
  readonly scope?: ReplacementScope;
  readonly lockFreshPages?: boolean;
  /** Frames the kernel wires before the pager starts. */
  readonly wired?: number;
  /** Address spaces to create (ids 1..n), each with SPACE_PAGES valid pages. */
  readonly spaces?: number;
}

/** A small machine around the pager under test, with a shadow copy of every page's bytes. */
class Rig {
  readonly clock = new PagerTestClock();
  readonly mmu: PagerTestMmu;
  readonly frames: PagerTestFrameTable;
  readonly memory: { readonly bytes: Uint8Array; readonly frameCount: number; readonly pageSize: number };
  readonly store: PagerTestSwap;
  readonly contents = new PagerTestImages(IMAGE_PAGES);
  readonly log: PolicyLog = { chosen: [], pageIns: [], evicts: [], built: 0 };
  readonly pager: Pager;
  readonly spaces: number[] = [];
  readonly wired: number[] = [];
  /** What each page (`space:page`) holds, as the program last wrote it; absent = never written. */
  private readonly shadow = new Map<string, Uint8Array>();
  faults = 0;
  private stamp = 1;

  constructor(factory: PagerFactory, options: RigOptions) {
    this.mmu = new PagerTestMmu(options.frames, PAGE);
    this.frames = new PagerTestFrameTable(options.frames);
    this.memory = { bytes: new Uint8Array(options.frames * PAGE).fill(0xee), frameCount: options.frames, pageSize: PAGE };
    this.store = new PagerTestSwap(PAGE, options.slots ?? 256, this.clock, pagerTestCosts);
    for (let i = 0; i < (options.wired ?? 0); i++) this.wired.push(this.frames.allocateWired());
    for (let i = 0; i < (options.spaces ?? 2); i++) {
      const space = this.mmu.createAddressSpace();
      this.mmu.reserve(space, 0, IMAGE_PAGES, Protection.ReadExecute);
      this.mmu.reserve(space, IMAGE_PAGES, SPACE_PAGES - IMAGE_PAGES, Protection.ReadWrite);
      this.spaces.push(space);
    }
    const log = this.log;
    this.pager = factory(
      { mmu: this.mmu, frames: this.frames, memory: this.memory, store: this.store, contents: this.contents, clock: this.clock, costs: pagerTestCosts },
      {
        policy: (context) => {
          log.built++;
          return new RecordingFifo(context, log);
        },
        ...(options.scope !== undefined ? { scope: options.scope } : {}),
        ...(options.lockFreshPages !== undefined ? { lockFreshPages: options.lockFreshPages } : {}),
      },
    );
    expect(this.pager !== null && typeof this.pager === 'object', 'the factory must return a pager object').toBe(true);
    expect(typeof this.pager.handleFault, 'pager.handleFault must be a function').toBe('function');
  }

  bytesOf(frame: number): Uint8Array {
    return this.memory.bytes.subarray(frame * PAGE, (frame + 1) * PAGE);
  }

  /** What a correct pager must have put in the frame of `page`. */
  expectedBytes(space: number, page: number): Uint8Array {
    const written = this.shadow.get(`${space}:${page}`);
    if (written !== undefined) return written;
    return Uint8Array.from({ length: PAGE }, (_, i) => (page < IMAGE_PAGES ? imageByte(space, page, i) : 0));
  }

  /** Faults `page` in through the pager and checks the result: mapped, owned, filled. Returns the frame. */
  fault(space: number, page: number, access: AccessKind): number {
    const frame = this.pager.handleFault(space, page, access);
    this.faults++;
    // Checked with plain comparisons first: this runs on every fault of long runs, and expect() only builds its message on failure.
    const where = (): string => `handleFault(${space}, ${page})`;
    if (!(Number.isInteger(frame) && frame >= 0 && frame < this.frames.frameCount)) throw new Error(`${where()} returned ${frame}, not a frame number`);
    if (this.wired.includes(frame)) throw new Error(`${where()} returned wired frame ${frame}`);
    if (this.mmu.frameOf(space, page) !== frame) expect(this.mmu.frameOf(space, page), `${where()}: the page must be mapped to the frame returned`).toBe(frame);
    if (this.frames.state(frame) !== FrameState.InUse) expect(this.frames.state(frame), `${where()}: frame ${frame} must be in use`).toBe(FrameState.InUse);
    if (this.frames.ownerAddressSpace(frame) !== space || this.frames.ownerPage(frame) !== page) {
      expect(`${this.frames.ownerAddressSpace(frame)}:${this.frames.ownerPage(frame)}`, `${where()}: owner of frame ${frame} in the frame table`).toBe(`${space}:${page}`);
    }
    const bytes = this.bytesOf(frame);
    const expected = this.expectedBytes(space, page);
    const wrong = bytes.findIndex((b, i) => b !== expected[i]);
    if (wrong >= 0) {
      const source = this.shadow.has(`${space}:${page}`) ? 'its last written contents' : page < IMAGE_PAGES ? 'the program image' : 'zeros';
      throw new Error(`${where()}: byte ${wrong} of the page is ${bytes[wrong]}, expected ${expected[wrong]} (${source})`);
    }
    return frame;
  }

  /** One memory reference by a program: a fault if the page is not present, then the access itself. */
  access(space: number, page: number, write: boolean): number {
    let frame = this.mmu.frameOf(space, page);
    if (frame < 0) frame = this.fault(space, page, write ? AccessKind.Write : AccessKind.Read);
    this.mmu.touch(space, page, write);
    if (write) {
      const bytes = this.bytesOf(frame);
      const value = this.stamp++ & 0xff;
      for (let i = 0; i < PAGE; i += 17) bytes[i] = (value + i) & 0xff;
      this.shadow.set(`${space}:${page}`, Uint8Array.from(bytes));
    }
    return frame;
  }

  /** Forgets what a released page held (it comes back as new). */
  forget(space: number, page: number): void {
    this.shadow.delete(`${space}:${page}`);
  }
}

/** Deterministic pseudo-random numbers (xorshift32), so a failing run replays. */
function randomSequence(seed: number, length: number, spaces: number, pages: number): { space: number; page: number; write: boolean }[] {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const out: { space: number; page: number; write: boolean }[] = [];
  for (let i = 0; i < length; i++) {
    const space = 1 + Math.floor(next() * spaces);
    const page = next() < 0.75 ? (Math.floor(i / 40) + Math.floor(next() * 5)) % pages : Math.floor(next() * pages);
    out.push({ space, page, write: page >= IMAGE_PAGES && next() < 0.4 });
  }
  return out;
}

function expectCode(action: () => unknown, code: string, what: string): void {
  let thrown: unknown = null;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  if (thrown === null) throw new Error(`${what}: expected an error with code ${code}, nothing was thrown`);
  const got = (thrown as { code?: unknown }).code;
  if (got !== code) throw new Error(`${what}: expected an error with code ${code}, got ${typeof got === 'string' ? got : 'no code'} (${thrown instanceof Error ? thrown.message : JSON.stringify(thrown)})`);
}

/** The textbook's reference strings with FIFO's fault counts (OSTEP's simulator agrees). */
const KNOWN_FIFO: readonly { readonly pages: readonly number[]; readonly frames: number; readonly faults: number }[] = [
  { pages: [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1], frames: 3, faults: 15 },
  { pages: [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], frames: 3, faults: 9 },
  { pages: [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5], frames: 4, faults: 10 },
];

/**
 * The contract every {@link Pager} must meet, as cases for an in-process runner or vitest. The
 * suite builds each pager on a small machine of its own (an MMU without a TLB cache that records
 * invalidations, a strict frame table, a swap area and program images), gives it a recording
 * FIFO policy, plays the CPU, and checks after every fault that the page is mapped, owned and
 * holds exactly the bytes it should (its image, zeros, or what was last written to it).
 *
 * Checked: free frames before victims; victims chosen by the policy among evictable frames in
 * scope, unmapped and written back only if dirty; pinned and wired frames never taken; the
 * errors for nothing evictable and a full swap, with nothing changed; global and local scope;
 * the textbook's FIFO fault counts; TLB invalidation; releasing pages and address spaces;
 * fresh-page locking; statistics that add up and cycles that match the clock; determinism.
 */
export function pagerConformanceSuite(subject: string, factory: PagerFactory): ConformanceSuite {
  const build = (options: RigOptions): Rig => new Rig(factory, options);
  const cases: ConformanceCase[] = [
    {
      name: "reports the scope it was built with, its policy's name and the pager specification version",
      run: () => {
        const global = build({ frames: 4 });
        expect(global.pager.scope, 'scope when none is asked for').toBe('global');
        expect(global.pager.policyName, 'policyName').toBe('conformance-fifo');
        expect(global.pager.specificationVersion, 'specificationVersion').toBe(seamSpecificationVersions.pager);
        expect(global.log.built, 'the policy factory must be called once').toBe(1);
        expect(build({ frames: 4, scope: 'local' }).pager.scope, 'scope when local is asked for').toBe('local');
      },
    },
    {
      name: 'serves faults from free frames first, without evicting',
      run: () => {
        const rig = build({ frames: 4 });
        const got = [IMAGE_PAGES, IMAGE_PAGES + 1, 2, 3].map((page) => rig.fault(1, page, AccessKind.Read));
        expect(new Set(got).size, `frames given: ${got.join(', ')}`).toBe(4);
        expect(rig.pager.statistics, 'statistics').toMatchObject({ faults: 4, freeFrameFaults: 4, evictions: 0, writebacks: 0, zeroFills: 2, imageLoads: 2 });
        expect(rig.log.chosen, 'victims chosen while frames were free').toEqual([]);
      },
    },
    {
      name: "maps the page with the protection it was reserved with",
      run: () => {
        const rig = build({ frames: 4 });
        rig.fault(1, 1, AccessKind.Fetch);
        rig.fault(1, IMAGE_PAGES + 3, AccessKind.Write);
        expect(rig.mmu.entry(1, 1)?.protection, 'protection of a text page').toBe(Protection.ReadExecute);
        expect(rig.mmu.entry(1, IMAGE_PAGES + 3)?.protection, 'protection of a data page').toBe(Protection.ReadWrite);
      },
    },
    {
      name: 'invalidates the TLB entry of the page it maps',
      run: () => {
        const rig = build({ frames: 2 });
        for (const page of [IMAGE_PAGES, IMAGE_PAGES + 1, IMAGE_PAGES + 2]) {
          const from = rig.mmu.invalidations.length;
          rig.fault(1, page, AccessKind.Read);
          const made = rig.mmu.invalidations.slice(from);
          expect(made.some((k) => k === `1:${page}` || k === '1:*' || k === '*'), `handleFault(1, ${page}) invalidated ${JSON.stringify(made)}`).toBe(true);
        }
      },
    },
    {
      name: 'fills a never-written data page with zeros and a text page from the program image',
      run: () => {
        const rig = build({ frames: 4 });
        rig.fault(2, IMAGE_PAGES + 5, AccessKind.Read);
        rig.fault(2, 3, AccessKind.Fetch);
        expect(rig.pager.statistics, 'statistics').toMatchObject({ zeroFills: 1, imageLoads: 1, swapIns: 0 });
      },
    },
    {
      name: 'when memory is full, unmaps a victim (invalidating its TLB entry) and reuses its frame',
      run: () => {
        const rig = build({ frames: 3 });
        for (let i = 0; i < 3; i++) rig.access(1, IMAGE_PAGES + i, false);
        const from = rig.mmu.invalidations.length;
        const frame = rig.fault(1, IMAGE_PAGES + 3, AccessKind.Read);
        expect(rig.log.chosen, 'the policy must have been asked for one victim').toHaveLength(1);
        expect(frame, 'the frame returned must be the victim the policy chose').toBe(rig.log.chosen[0]);
        const gone = [0, 1, 2].map((i) => IMAGE_PAGES + i).filter((p) => rig.mmu.frameOf(1, p) < 0);
        expect(gone, 'exactly one old page must have lost its frame').toHaveLength(1);
        expect(rig.mmu.invalidations.slice(from), 'TLB invalidations during the fault').toContain(`1:${gone[0]}`);
        expect(rig.pager.statistics.evictions, 'evictions').toBe(1);
      },
    },
    {
      name: 'writes a dirty victim back and brings its bytes back from swap',
      run: () => {
        const rig = build({ frames: 1 });
        rig.access(1, IMAGE_PAGES, true);
        rig.access(1, IMAGE_PAGES + 1, false);
        expect(rig.store.writes, 'swap writes after evicting a written page').toBe(1);
        rig.access(1, IMAGE_PAGES, false);
        expect(rig.pager.statistics, 'statistics').toMatchObject({ faults: 3, evictions: 2, writebacks: 1, swapIns: 1 });
      },
    },
    {
      name: 'does not write back a clean victim',
      run: () => {
        const rig = build({ frames: 2 });
        for (let i = 0; i < 40; i++) rig.access(1 + (i % 2), (i * 3) % SPACE_PAGES, false);
        expect(rig.store.writes, 'swap writes when nothing was written').toBe(0);
        expect(rig.pager.statistics.writebacks, 'writebacks').toBe(0);
      },
    },
    {
      name: 'keeps every page intact over a long run of faults in two address spaces (global scope)',
      run: () => {
        const rig = build({ frames: 7 });
        for (const { space, page, write } of randomSequence(17, 3000, 2, 24)) rig.access(space, page, write);
        const s = rig.pager.statistics;
        expect(s.faults, 'statistics.faults against the faults the suite made').toBe(rig.faults);
        expect(s.faults, 'faults = freeFrameFaults + evictions').toBe(s.freeFrameFaults + s.evictions);
        expect(s.faults, 'faults = zeroFills + imageLoads + swapIns').toBe(s.zeroFills + s.imageLoads + s.swapIns);
        expect(s.writebacks, 'writebacks against swap writes').toBe(rig.store.writes);
        expect(s.swapIns, 'swapIns against swap reads').toBe(rig.store.reads);
        return `${s.faults} faults, ${s.evictions} evictions, ${s.writebacks} writebacks`;
      },
    },
    {
      name: 'evicts exactly the frames its policy chooses, and tells the policy of every page-in and eviction',
      run: () => {
        const rig = build({ frames: 5 });
        for (const { space, page, write } of randomSequence(5, 1500, 2, 16)) rig.access(space, page, write);
        const s = rig.pager.statistics;
        expect(rig.log.chosen.length, 'victims chosen against evictions').toBe(s.evictions);
        expect(rig.log.pageIns.length, 'policy.onPageIn calls against faults').toBe(s.faults);
        expect(rig.log.evicts, 'policy.onEvict calls, in order, against the victims chosen').toEqual(rig.log.chosen);
      },
    },
    ...KNOWN_FIFO.map(
      (known): ConformanceCase => ({
        name: `gives ${known.faults} faults on ${known.pages.join(',')} with ${known.frames} frames and a FIFO policy`,
        run: () => {
          const rig = build({ frames: known.frames, spaces: 1 });
          for (const page of known.pages) rig.access(1, IMAGE_PAGES + page, false);
          expect(rig.pager.statistics.faults, 'faults').toBe(known.faults);
          return `${rig.pager.statistics.faults} faults`;
        },
      }),
    ),
    {
      name: 'never evicts a pinned frame, and its page keeps its bytes',
      run: () => {
        const rig = build({ frames: 6 });
        const pinnedPages = [IMAGE_PAGES, IMAGE_PAGES + 1];
        const pins = pinnedPages.map((page) => {
          const frame = rig.access(1, page, true);
          return { page, frame, pin: rig.frames.pin(frame, PinReason.Dma, 1, rig.clock.now) };
        });
        for (const { space, page, write } of randomSequence(29, 1500, 2, 20)) {
          if (space === 1 && pinnedPages.includes(page)) continue;
          rig.access(space, page, write);
          for (const p of pins) if (rig.mmu.frameOf(1, p.page) !== p.frame) throw new Error(`pinned page ${p.page} left frame ${p.frame} (now ${rig.mmu.frameOf(1, p.page)})`);
        }
        for (const p of pins) {
          expect(rig.log.chosen, 'victims chosen').not.toContain(p.frame);
          const wrong = rig.bytesOf(p.frame).findIndex((b, i) => b !== rig.expectedBytes(1, p.page)[i]);
          expect(wrong, `bytes of pinned page ${p.page}`).toBe(-1);
          rig.frames.unpin(p.pin, rig.clock.now);
        }
      },
    },
    {
      name: 'never takes a wired frame',
      run: () => {
        const rig = build({ frames: 6, wired: 2 });
        for (const { space, page, write } of randomSequence(3, 800, 2, 12)) rig.access(space, page, write);
        for (const frame of rig.wired) expect(rig.frames.state(frame), `wired frame ${frame}`).toBe(FrameState.Wired);
      },
    },
    {
      name: 'raises NothingEvictableError and changes nothing when every frame is pinned or wired',
      run: () => {
        const rig = build({ frames: 3, wired: 1 });
        const frames = [rig.access(1, IMAGE_PAGES, true), rig.access(1, IMAGE_PAGES + 1, false)];
        for (const frame of frames) rig.frames.pin(frame, PinReason.UserLock, 1, rig.clock.now);
        expectCode(() => rig.pager.handleFault(2, IMAGE_PAGES, AccessKind.Read), 'NOTHING_EVICTABLE', 'handleFault with nothing evictable');
        expect(rig.mmu.frameOf(2, IMAGE_PAGES), 'the faulting page must not be mapped').toBe(-1);
        expect(rig.mmu.frameOf(1, IMAGE_PAGES), 'pinned page 0').toBe(frames[0]);
        expect(rig.mmu.frameOf(1, IMAGE_PAGES + 1), 'pinned page 1').toBe(frames[1]);
      },
    },
    {
      name: 'raises SwapExhaustedError and changes nothing when a dirty victim has nowhere to go',
      run: () => {
        const rig = build({ frames: 1, slots: 0 });
        const frame = rig.access(1, IMAGE_PAGES, true);
        expectCode(() => rig.pager.handleFault(1, IMAGE_PAGES + 1, AccessKind.Read), 'SWAP_EXHAUSTED', 'handleFault with a dirty victim and a full swap');
        expect(rig.mmu.frameOf(1, IMAGE_PAGES), 'the dirty page must still be mapped').toBe(frame);
        expect(rig.mmu.frameOf(1, IMAGE_PAGES + 1), 'the faulting page must not be mapped').toBe(-1);
        const wrong = rig.bytesOf(frame).findIndex((b, i) => b !== rig.expectedBytes(1, IMAGE_PAGES)[i]);
        expect(wrong, 'bytes of the dirty page').toBe(-1);
        expect(rig.frames.isEvictable(frame), 'the dirty frame stays usable').toBe(true);
      },
    },
    {
      name: "global scope takes another address space's frame",
      run: () => {
        const rig = build({ frames: 3 });
        for (let i = 0; i < 3; i++) rig.access(1, IMAGE_PAGES + i, false);
        const frame = rig.fault(2, IMAGE_PAGES, AccessKind.Read);
        expect(frame, 'the victim').toBe(rig.log.chosen[0]);
      },
    },
    {
      name: "local scope takes only the faulting address space's frames",
      run: () => {
        const rig = build({ frames: 6, scope: 'local' });
        for (let i = 0; i < 3; i++) {
          rig.access(1, IMAGE_PAGES + i, false);
          rig.access(2, IMAGE_PAGES + i, false);
        }
        for (const { space, page, write } of randomSequence(41, 1000, 2, 16)) {
          const mine = rig.mmu.frameOf(space, page) < 0 ? rig.log.chosen.length : -1;
          rig.access(space, page, write);
          if (mine >= 0 && rig.log.chosen.length > mine) {
            const victim = rig.log.chosen[rig.log.chosen.length - 1]!;
            if (rig.frames.ownerAddressSpace(victim) !== space) throw new Error(`victim frame ${victim} for a fault of address space ${space} belonged to address space ${rig.frames.ownerAddressSpace(victim)}`);
          }
        }
        expect(rig.pager.statistics.evictions, 'evictions').toBeGreaterThan(0);
      },
    },
    {
      name: 'local scope lets an address space that owns no frame take one globally',
      run: () => {
        const rig = build({ frames: 3, scope: 'local' });
        for (let i = 0; i < 3; i++) rig.access(1, IMAGE_PAGES + i, false);
        rig.fault(2, IMAGE_PAGES, AccessKind.Read);
      },
    },
    {
      name: 'accepts onClockTick and onDispatch between any two faults',
      run: () => {
        const rig = build({ frames: 5 });
        let i = 0;
        for (const { space, page, write } of randomSequence(8, 600, 2, 14)) {
          rig.access(space, page, write);
          if (++i % 7 === 0) rig.pager.onClockTick();
          if (i % 11 === 0) rig.pager.onDispatch(space);
        }
        rig.pager.onClockTick();
      },
    },
    {
      name: "releaseAddressSpace frees the address space's frames and swap slots",
      run: () => {
        const rig = build({ frames: 4 });
        for (const { space, page, write } of randomSequence(12, 400, 1, 12)) rig.access(space, page, write);
        expect(rig.store.usedSlots, 'swap slots in use before (the run writes pages out)').toBeGreaterThan(0);
        rig.pager.releaseAddressSpace(1, rig.mmu.destroyAddressSpace(1));
        expect(rig.frames.freeFrames, 'free frames after the address space went').toBe(4);
        expect(rig.store.usedSlots, 'swap slots in use after').toBe(0);
        rig.fault(2, IMAGE_PAGES, AccessKind.Read);
      },
    },
    {
      name: 'releasePages frees those frames and forgets their swap copies',
      run: () => {
        const rig = build({ frames: 2 });
        const [a, b, c] = [IMAGE_PAGES, IMAGE_PAGES + 1, IMAGE_PAGES + 2];
        rig.access(1, a, true);
        rig.access(1, b, true);
        rig.access(1, c, true); // a goes to swap
        rig.access(1, a, false); // b goes to swap; a comes back and keeps its swap copy
        const released = [...rig.mmu.release(1, a, 1), ...rig.mmu.release(1, c, 1)];
        expect(released.length, 'present pages released').toBe(2);
        rig.pager.releasePages(1, released);
        expect(rig.frames.freeFrames, 'free frames after releasing both present pages').toBe(2);
        expect(rig.store.usedSlots, "swap slots after releasing them (only b's copy is left)").toBe(1);
        rig.mmu.reserve(1, a, 1, Protection.ReadWrite);
        rig.mmu.reserve(1, c, 1, Protection.ReadWrite);
        rig.forget(1, a);
        rig.forget(1, c);
        rig.access(1, a, false); // a new page now: zeros, not its old swap copy
        rig.access(1, b, false); // b was not released: its bytes come back from swap
      },
    },
    {
      name: 'with lockFreshPages, keeps a fresh page until its process is dispatched, then lets it go',
      run: () => {
        const rig = build({ frames: 3, lockFreshPages: true });
        const frame = rig.access(1, IMAGE_PAGES, false);
        rig.pager.onDispatch(2);
        for (let i = 0; i < 6; i++) {
          rig.access(2, IMAGE_PAGES + i, false);
          rig.pager.onDispatch(2);
          expect(rig.mmu.frameOf(1, IMAGE_PAGES), "the waiting process's fresh page").toBe(frame);
        }
        rig.pager.onDispatch(1);
        for (let i = 6; i < 12; i++) {
          rig.access(2, IMAGE_PAGES + i, false);
          rig.pager.onDispatch(2);
        }
        expect(rig.mmu.frameOf(1, IMAGE_PAGES), 'the page once its process ran (FIFO takes it)').toBe(-1);
        expect(rig.frames.outstandingPins(), 'pins left at rest').toEqual([]);
      },
    },
    {
      name: 'charges every cycle it reports to the simulated clock, and runs deterministically',
      run: () => {
        const play = (): Rig => {
          const rig = build({ frames: 5, lockFreshPages: false });
          for (const { space, page, write } of randomSequence(77, 1200, 2, 18)) rig.access(space, page, write);
          return rig;
        };
        const a = play();
        const b = play();
        expect(a.pager.statistics.cycles, 'statistics.cycles').toBeGreaterThan(0);
        expect(a.pager.statistics.cycles, 'statistics.cycles against the clock (only the pager and its swap charge it here)').toBe(a.clock.now);
        expect(b.pager.statistics, 'statistics of a second identical run').toEqual(a.pager.statistics);
        expect(b.log.chosen, 'victims of a second identical run').toEqual(a.log.chosen);
        return `${a.clock.now} simulated cycles`;
      },
    },
  ];
  return { seam: 'pager', subject, cases };
}

/** Registers the pager suite with vitest (call it from a test file). */
export function describePagerConformance(subject: string, factory: PagerFactory): void {
  describeConformanceSuite('Pager', pagerConformanceSuite(subject, factory));
}

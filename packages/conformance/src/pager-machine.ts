import {
  BusFault,
  FaultCause,
  FrameState,
  FrameStateError,
  KERNEL_ADDRESS_SPACE,
  MappingError,
  PageSource,
  PinStatus,
  Protection,
  SwapExhaustedError,
  Translation,
  UnknownPinError,
  AccessKind,
} from '@pagelab/contracts';
import type {
  BackingStore,
  Bus,
  CostModel,
  FrameTable,
  LockQuota,
  Mmu,
  PageContentSource,
  PageMapping,
  PageOwner,
  PageTableEntry,
  PhysicalMemory,
  PinAudit,
  PinAuditOptions,
  PinReason,
  PinRecord,
  PinStats,
  SimulatedClock,
  TlbStats,
  TranslationFault,
} from '@pagelab/contracts';

interface Pte {
  frame: number;
  protection: Protection;
  referenced: boolean;
  modified: boolean;
}

const allows = (protection: Protection, access: AccessKind): boolean =>
  (protection & (access === AccessKind.Read ? Protection.Read : access === AccessKind.Write ? Protection.Write : Protection.Execute)) !== 0;

/**
 * A plain MMU for the pager suite: page tables in maps and no TLB cache (every translation walks
 * the table, so staleness cannot hide a bug), with every TLB invalidation recorded so the suite
 * can check the pager asked for the ones the contract requires.
 */
export class PagerTestMmu implements Mmu {
  readonly specificationVersion = 1;
  readonly pageShift: number;
  readonly addressWidth = 32 as const;
  readonly pagesPerAddressSpace: number;
  /** `space:page` of every page whose TLB entry was invalidated, in order (`space:*` and `*` for wider flushes). */
  readonly invalidations: string[] = [];
  private readonly tables = new Map<number, Map<number, Pte>>();
  private nextSpace = 1;
  private readonly stats = { hits: 0, misses: 0, flushes: 0 };
  private readonly fault: { cause: FaultCause; addressSpace: number; address: number; page: number; access: AccessKind } = {
    cause: FaultCause.NotPresent,
    addressSpace: 0,
    address: 0,
    page: 0,
    access: AccessKind.Read,
  };

  constructor(
    readonly frameCount: number,
    readonly pageSize: number,
  ) {
    this.pageShift = Math.log2(pageSize);
    this.pagesPerAddressSpace = 2 ** 32 / pageSize;
  }

  get tlbStats(): TlbStats {
    return { ...this.stats };
  }
  get lastFault(): TranslationFault {
    return this.fault;
  }

  private table(space: number): Map<number, Pte> {
    const table = this.tables.get(space);
    if (table === undefined) throw new MappingError(space, -1, `address space ${space} does not exist`);
    return table;
  }
  private pte(space: number, page: number): Pte {
    const pte = this.table(space).get(page);
    if (pte === undefined) throw new MappingError(space, page, `page ${page} of address space ${space} is not valid`);
    return pte;
  }
  private invalidate(key: string): void {
    this.invalidations.push(key);
    this.stats.flushes++;
  }

  createAddressSpace(): number {
    const id = this.nextSpace++;
    this.tables.set(id, new Map());
    return id;
  }
  destroyAddressSpace(space: number): readonly PageMapping[] {
    const mappings = this.presentIn(space, () => true);
    this.tables.delete(space);
    this.invalidate(`${space}:*`);
    return mappings;
  }
  hasAddressSpace(space: number): boolean {
    return this.tables.has(space);
  }
  private presentIn(space: number, keep: (page: number) => boolean): PageMapping[] {
    const out: PageMapping[] = [];
    for (const [page, pte] of this.table(space)) if (pte.frame >= 0 && keep(page)) out.push({ page, frame: pte.frame });
    return out.sort((a, b) => a.page - b.page);
  }
  reserve(space: number, firstPage: number, count: number, protection: Protection): void {
    const table = this.table(space);
    for (let page = firstPage; page < firstPage + count; page++) {
      const pte = table.get(page);
      if (pte === undefined) table.set(page, { frame: -1, protection, referenced: false, modified: false });
      else pte.protection = protection;
    }
  }
  release(space: number, firstPage: number, count: number): readonly PageMapping[] {
    const mappings = this.presentIn(space, (page) => page >= firstPage && page < firstPage + count);
    const table = this.table(space);
    for (let page = firstPage; page < firstPage + count; page++) table.delete(page);
    this.invalidate(`${space}:*`);
    return mappings;
  }
  map(space: number, page: number, frame: number, protection: Protection): void {
    const pte = this.table(space).get(page);
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.frameCount) throw new MappingError(space, page, `frame ${frame} is out of range`);
    if (pte?.frame !== undefined && pte.frame >= 0) throw new MappingError(space, page, `page ${page} is present already (frame ${pte.frame})`);
    this.table(space).set(page, { frame, protection, referenced: false, modified: false });
  }
  unmap(space: number, page: number): number {
    const pte = this.pte(space, page);
    const frame = pte.frame;
    pte.frame = -1;
    pte.referenced = false;
    pte.modified = false;
    this.invalidate(`${space}:${page}`);
    return frame;
  }
  protect(space: number, page: number, protection: Protection): void {
    this.pte(space, page).protection = protection;
    this.invalidate(`${space}:${page}`);
  }
  frameOf(space: number, page: number): number {
    return this.table(space).get(page)?.frame ?? -1;
  }
  entry(space: number, page: number): PageTableEntry | null {
    const pte = this.table(space).get(page);
    if (pte === undefined) return null;
    return { page, frame: pte.frame, present: pte.frame >= 0, protection: pte.protection, referenced: pte.referenced, modified: pte.modified };
  }
  translate(space: number, address: number, access: AccessKind): number {
    this.stats.misses++;
    const page = (address >>> 0) >>> this.pageShift;
    const pte = this.table(space).get(page);
    const cause = pte === undefined ? FaultCause.Unmapped : !allows(pte.protection, access) ? FaultCause.Protection : pte.frame < 0 ? FaultCause.NotPresent : null;
    if (cause !== null || pte === undefined) {
      Object.assign(this.fault, { cause: cause ?? FaultCause.Unmapped, addressSpace: space, address, page, access });
      return Translation.Fault;
    }
    pte.referenced = true;
    if (access === AccessKind.Write) pte.modified = true;
    return pte.frame * this.pageSize + ((address >>> 0) & (this.pageSize - 1));
  }
  isReferenced(space: number, page: number): boolean {
    return this.table(space).get(page)?.referenced ?? false;
  }
  isModified(space: number, page: number): boolean {
    return this.table(space).get(page)?.modified ?? false;
  }
  clearReferenced(space: number, page: number): void {
    const pte = this.table(space).get(page);
    if (pte !== undefined) pte.referenced = false;
  }
  clearModified(space: number, page: number): void {
    const pte = this.table(space).get(page);
    if (pte !== undefined) pte.modified = false;
  }
  flushTlbPage(space: number, page: number): void {
    this.invalidate(`${space}:${page}`);
  }
  flushTlbAddressSpace(space: number): void {
    this.invalidate(`${space}:*`);
  }
  flushTlb(): void {
    this.invalidate('*');
  }
  busFor(space: number, memory: PhysicalMemory): Bus {
    const at = (address: number, access: AccessKind, size: 1 | 2 | 4): number => {
      const physical = this.translate(space, address, access);
      if (physical >= 0) return physical;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- BusFault is the contract's control-flow signal
      throw new BusFault(address, access, size, this.fault.cause);
    };
    const bytes = memory.bytes;
    const read = (address: number, size: 1 | 2 | 4, access: AccessKind): number => {
      let value = 0;
      for (let i = 0; i < size; i++) value = value * 256 + bytes[at(address + i, access, size)]!;
      return value;
    };
    const write = (address: number, size: 1 | 2 | 4, value: number): void => {
      for (let i = size - 1; i >= 0; i--, value = Math.floor(value / 256)) bytes[at(address + i, AccessKind.Write, size)] = value & 0xff;
    };
    return {
      read8: (a) => read(a, 1, AccessKind.Read),
      read16: (a) => read(a, 2, AccessKind.Read),
      read32: (a) => read(a, 4, AccessKind.Read),
      write8: (a, v) => write(a, 1, v),
      write16: (a, v) => write(a, 2, v),
      write32: (a, v) => write(a, 4, v),
      fetch16: (a) => read(a, 2, AccessKind.Fetch),
    };
  }

  /** What the CPU's successful access does to a present page's bits (the suite plays the CPU). */
  touch(space: number, page: number, write: boolean): void {
    const pte = this.pte(space, page);
    if (pte.frame < 0) throw new Error(`conformance suite bug: page ${page} of ${space} is not present`);
    pte.referenced = true;
    if (write) pte.modified = true;
  }
}

interface Pin {
  readonly record: PinRecord;
  status: PinStatus;
}

/**
 * A plain frame table for the pager suite: no quota (pins are never refused), never under
 * pressure, with the contract's rules enforced (pinning a free frame, freeing or reassigning a
 * pinned one and releasing a pin twice are errors), so a pager that breaks them fails loudly.
 */
export class PagerTestFrameTable implements FrameTable {
  readonly specificationVersion = 1;
  readonly quota: LockQuota = { mode: 'refuse', perAddressSpace: Infinity, global: Infinity, pressureThreshold: 0 };
  readonly underPressure = false;
  private readonly states: Uint8Array;
  private readonly spaces: Int32Array;
  private readonly pages: Int32Array;
  private readonly dirty: Uint8Array;
  private readonly pins = new Map<number, Pin>();
  private readonly released = new Set<number>();
  private nextPin = 1;
  private readonly stats = { acquired: 0, released: 0, refused: 0, ignored: 0, dropped: 0 };

  constructor(readonly frameCount: number) {
    this.states = new Uint8Array(frameCount);
    this.spaces = new Int32Array(frameCount).fill(-1);
    this.pages = new Int32Array(frameCount).fill(-1);
    this.dirty = new Uint8Array(frameCount);
  }

  private check(frame: number): void {
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.frameCount) throw new RangeError(`frame ${frame} is out of range 0..${this.frameCount - 1}`);
  }
  get freeFrames(): number {
    let n = 0;
    for (let f = 0; f < this.frameCount; f++) if (this.states[f] === FrameState.Free) n++;
    return n;
  }
  state(frame: number): FrameState {
    this.check(frame);
    return this.states[frame] as FrameState;
  }
  owner(frame: number): PageOwner | null {
    this.check(frame);
    return this.states[frame] === FrameState.Free ? null : { addressSpace: this.spaces[frame]!, page: this.pages[frame]! };
  }
  ownerAddressSpace(frame: number): number {
    this.check(frame);
    return this.spaces[frame]!;
  }
  ownerPage(frame: number): number {
    this.check(frame);
    return this.pages[frame]!;
  }
  isDirty(frame: number): boolean {
    this.check(frame);
    return this.dirty[frame] === 1;
  }
  setDirty(frame: number, dirty: boolean): void {
    this.check(frame);
    this.dirty[frame] = dirty ? 1 : 0;
  }
  private take(frame: number, state: FrameState, space: number, page: number): number {
    this.states[frame] = state;
    this.spaces[frame] = space;
    this.pages[frame] = page;
    this.dirty[frame] = 0;
    return frame;
  }
  allocate(space: number, page: number): number {
    const frame = this.states.indexOf(FrameState.Free);
    return frame < 0 ? -1 : this.take(frame, FrameState.InUse, space, page);
  }
  allocateWired(): number {
    const frame = this.states.indexOf(FrameState.Free);
    return frame < 0 ? -1 : this.take(frame, FrameState.Wired, KERNEL_ADDRESS_SPACE, frame);
  }
  reassign(frame: number, space: number, page: number): void {
    this.check(frame);
    if (this.states[frame] !== FrameState.InUse) throw new FrameStateError(frame, 'reassign: the frame is not in use');
    if (this.pinCount(frame) > 0) throw new FrameStateError(frame, 'reassign: the frame is pinned');
    this.take(frame, FrameState.InUse, space, page);
  }
  free(frame: number): void {
    this.check(frame);
    if (this.states[frame] === FrameState.Free) throw new FrameStateError(frame, 'free: the frame is free already');
    if (this.pinCount(frame) > 0) throw new FrameStateError(frame, 'free: the frame is pinned');
    this.take(frame, FrameState.Free, -1, -1);
  }
  pin(frame: number, reason: PinReason, space: number, now: number): number {
    this.check(frame);
    if (this.states[frame] === FrameState.Free) throw new FrameStateError(frame, 'pin: the frame is free');
    const id = this.nextPin++;
    const record: PinRecord = { id, frame, reason, addressSpace: space, pinnedAt: now, counted: false, status: PinStatus.Held };
    this.pins.set(id, { record, status: PinStatus.Held });
    this.stats.acquired++;
    return id;
  }
  unpin(pin: number, _now: number): void {
    if (this.released.has(pin)) throw new FrameStateError(-1, `unpin: pin ${pin} was released already`);
    if (!this.pins.delete(pin)) throw new UnknownPinError(pin, `unpin: pin ${pin} was never handed out`);
    this.released.add(pin);
    this.stats.released++;
  }
  pinRecord(pin: number): PinRecord | null {
    const p = this.pins.get(pin);
    return p === undefined ? null : { ...p.record, status: p.status };
  }
  outstandingPins(): readonly PinRecord[] {
    return [...this.pins.values()].map((p) => ({ ...p.record, status: p.status }));
  }
  pinCount(frame: number): number {
    let n = 0;
    for (const p of this.pins.values()) if (p.record.frame === frame && p.status === PinStatus.Held) n++;
    return n;
  }
  get pinStats(): PinStats {
    return { ...this.stats };
  }
  isEvictable(frame: number): boolean {
    this.check(frame);
    return this.states[frame] === FrameState.InUse && this.pinCount(frame) === 0;
  }
  get evictableCount(): number {
    let n = 0;
    for (let f = 0; f < this.frameCount; f++) if (this.isEvictable(f)) n++;
    return n;
  }
  nextEvictable(from: number): number {
    for (let f = Math.max(0, from); f < this.frameCount; f++) if (this.isEvictable(f)) return f;
    return -1;
  }
  *evictableFrames(): IterableIterator<number> {
    for (let f = 0; f < this.frameCount; f++) if (this.isEvictable(f)) yield f;
  }
  lockedBy(_space: number): number {
    return 0;
  }
  readonly lockedTotal = 0;
  dropHintLocks(_now: number): number {
    return 0;
  }
  audit(now: number, options: PinAuditOptions): PinAudit {
    const held = this.outstandingPins().filter((p) => p.status === PinStatus.Held);
    const finding = (pin: PinRecord) => ({ pin, heldFor: now - pin.pinnedAt });
    return {
      at: now,
      stats: this.pinStats,
      outstanding: this.stats.acquired - this.stats.released,
      longHeld: held.filter((p) => now - p.pinnedAt > options.longLockLimit).sort((a, b) => a.pinnedAt - b.pinnedAt).map(finding),
      orphaned: held.filter((p) => p.addressSpace !== KERNEL_ADDRESS_SPACE && !options.isLiveAddressSpace(p.addressSpace)).map(finding),
    };
  }
}

/** A swap area of page-sized slots that charges the clock for every transfer, as the contract says. */
export class PagerTestSwap implements BackingStore {
  reads = 0;
  writes = 0;
  private readonly slots: (Uint8Array | null | undefined)[];

  constructor(
    readonly pageSize: number,
    readonly capacity: number,
    private readonly clock: SimulatedClock,
    private readonly costs: CostModel,
  ) {
    this.slots = new Array<Uint8Array | null | undefined>(capacity).fill(undefined);
  }
  get usedSlots(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }
  allocateSlot(): number {
    const slot = this.slots.indexOf(undefined);
    if (slot < 0) throw new SwapExhaustedError(`swap full: all ${this.capacity} slots are in use`);
    this.slots[slot] = null;
    return slot;
  }
  private allocated(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.capacity || this.slots[slot] === undefined) throw new RangeError(`swap slot ${slot} is not allocated`);
  }
  freeSlot(slot: number): void {
    this.allocated(slot);
    this.slots[slot] = undefined;
  }
  private charge(): void {
    this.clock.advance(this.costs.swapLatency + this.costs.swapPerByte * this.pageSize);
  }
  readPage(slot: number, into: Uint8Array): void {
    this.allocated(slot);
    const bytes = this.slots[slot];
    if (bytes) into.set(bytes.subarray(0, this.pageSize));
    else into.fill(0, 0, this.pageSize);
    this.reads++;
    this.charge();
  }
  writePage(slot: number, from: Uint8Array): void {
    this.allocated(slot);
    this.slots[slot] = Uint8Array.from(from.subarray(0, this.pageSize));
    this.writes++;
    this.charge();
  }
}

/** Program images: pages below `imagePages` of every address space come from the image, each byte derived from (space, page, offset). */
export class PagerTestImages implements PageContentSource {
  constructor(readonly imagePages: number) {}
  initialSource(_space: number, page: number): typeof PageSource.ZeroFill | typeof PageSource.ProgramImage {
    return page < this.imagePages ? PageSource.ProgramImage : PageSource.ZeroFill;
  }
  readImagePage(space: number, page: number, into: Uint8Array): void {
    for (let i = 0; i < into.length; i++) into[i] = imageByte(space, page, i);
  }
}

/** The byte at `offset` of image page `page` of `space`. */
export function imageByte(space: number, page: number, offset: number): number {
  return (space * 31 + page * 7 + offset) & 0xff;
}

/** A clock that only moves forward. */
export class PagerTestClock implements SimulatedClock {
  now = 0;
  advance(cycles: number): void {
    if (!(cycles >= 0) || !Number.isFinite(cycles)) throw new RangeError(`clock.advance(${cycles}): cycles must be finite and not negative`);
    this.now += cycles;
  }
}

/** Distinct costs per step, so each charge is recognisable in a total. */
export const pagerTestCosts: CostModel = {
  trapEntryExit: 0,
  contextSwitch: 0,
  tlbMissWalk: 0,
  faultService: 1000,
  zeroFillPerByte: 1,
  copyPerByte: 2,
  swapLatency: 100_000,
  swapPerByte: 4,
  diskSeek: 0,
  diskPerByte: 0,
  dmaBurstBytes: 64,
  dmaBurstInterval: 10,
};

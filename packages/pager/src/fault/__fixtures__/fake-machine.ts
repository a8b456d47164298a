import { FrameState, FrameStateError, MappingError, PageSource, Protection } from '@pagelab/contracts';
import type { PinReason, PageContentSource, PageTableEntry, PhysicalMemory } from '@pagelab/contracts';
import type { PagerFrameTable, PagerMmu } from '../pager.js';

interface Pte {
  frame: number;
  protection: Protection;
  referenced: boolean;
  modified: boolean;
}

/**
 * Small, honest stand-ins for the MMU and the frame table, implementing only the part of
 * their contracts the pager uses, so the fault path can be tested before (and apart from) the
 * real packages. They check the rules the contracts state and record what the pager did.
 */
export class FakeMmu implements PagerMmu {
  readonly tables = new Map<number, Map<number, Pte>>();
  readonly tlbFlushes: string[] = [];

  /** Makes pages valid and not present (what the loader does). */
  reserve(space: number, first: number, count: number, protection = Protection.ReadWrite): void {
    let table = this.tables.get(space);
    if (table === undefined) this.tables.set(space, (table = new Map<number, Pte>()));
    for (let p = first; p < first + count; p++) table.set(p, { frame: -1, protection, referenced: false, modified: false });
  }

  private pte(space: number, page: number) {
    const pte = this.tables.get(space)?.get(page);
    if (pte === undefined) throw new MappingError(space, page, `page ${page} of ${space} is not valid`);
    return pte;
  }

  frameOf(space: number, page: number): number {
    return this.tables.get(space)?.get(page)?.frame ?? -1;
  }

  entry(space: number, page: number): PageTableEntry | null {
    const pte = this.tables.get(space)?.get(page);
    if (pte === undefined) return null;
    return { page, frame: pte.frame, present: pte.frame >= 0, protection: pte.protection, referenced: pte.referenced, modified: pte.modified };
  }
  map(space: number, page: number, frame: number, protection: Protection): void {
    const pte = this.pte(space, page);
    if (pte.frame >= 0) throw new MappingError(space, page, 'already present');
    Object.assign(pte, { frame, protection, referenced: false, modified: false });
  }
  unmap(space: number, page: number): number {
    const pte = this.pte(space, page);
    const frame = pte.frame;
    Object.assign(pte, { frame: -1, referenced: false, modified: false });
    this.tlbFlushes.push(`${space}:${page}`);
    return frame;
  }
  flushTlbPage(space: number, page: number): void {
    this.tlbFlushes.push(`${space}:${page}`);
  }
  isReferenced(space: number, page: number): boolean {
    return this.tables.get(space)?.get(page)?.referenced ?? false;
  }
  isModified(space: number, page: number): boolean {
    return this.tables.get(space)?.get(page)?.modified ?? false;
  }
  clearReferenced(space: number, page: number): void {
    this.pte(space, page).referenced = false;
  }
  clearModified(space: number, page: number): void {
    this.pte(space, page).modified = false;
  }

  /** What the CPU's access does to the bits (the tests play the CPU). */
  touch(space: number, page: number, write: boolean): void {
    const pte = this.pte(space, page);
    if (pte.frame < 0) throw new Error(`test bug: page ${page} of ${space} is not present`);
    pte.referenced = true;
    if (write) pte.modified = true;
  }
}

export class FakeFrameTable implements PagerFrameTable {
  readonly states: FrameState[];
  readonly owners: { space: number; page: number }[];
  readonly dirty: boolean[];
  readonly pins = new Map<number, { frame: number; reason: PinReason; space: number }>();
  private nextPin = 1;
  underPressure = false;
  hintDrops = 0;

  constructor(readonly frameCount: number) {
    this.states = new Array<FrameState>(frameCount).fill(FrameState.Free);
    this.owners = Array.from({ length: frameCount }, () => ({ space: -1, page: -1 }));
    this.dirty = new Array<boolean>(frameCount).fill(false);
  }

  pinCount(frame: number): number {
    let n = 0;
    for (const pin of this.pins.values()) if (pin.frame === frame) n++;
    return n;
  }
  state(frame: number): FrameState {
    return this.states[frame]!;
  }
  ownerAddressSpace(frame: number): number {
    return this.owners[frame]!.space;
  }
  ownerPage(frame: number): number {
    return this.owners[frame]!.page;
  }
  isDirty(frame: number): boolean {
    return this.dirty[frame]!;
  }
  setDirty(frame: number, dirty: boolean): void {
    this.dirty[frame] = dirty;
  }
  allocate(space: number, page: number): number {
    const frame = this.states.indexOf(FrameState.Free);
    if (frame < 0) return -1;
    this.states[frame] = FrameState.InUse;
    this.owners[frame] = { space, page };
    this.dirty[frame] = false;
    return frame;
  }
  /** Wires a frame for the kernel (never evictable). */
  wire(): number {
    const frame = this.states.indexOf(FrameState.Free);
    this.states[frame] = FrameState.Wired;
    this.owners[frame] = { space: 0, page: frame };
    return frame;
  }
  reassign(frame: number, space: number, page: number): void {
    if (this.states[frame] !== FrameState.InUse || this.pinCount(frame) > 0) throw new FrameStateError(frame, 'cannot reassign');
    this.owners[frame] = { space, page };
    this.dirty[frame] = false;
  }
  free(frame: number): void {
    if (this.states[frame] === FrameState.Free || this.pinCount(frame) > 0) throw new FrameStateError(frame, 'cannot free');
    this.states[frame] = FrameState.Free;
    this.owners[frame] = { space: -1, page: -1 };
  }
  pin(frame: number, reason: PinReason, space: number, _now = 0): number {
    if (this.states[frame] === FrameState.Free) throw new FrameStateError(frame, 'cannot pin a free frame');
    const id = this.nextPin++;
    this.pins.set(id, { frame, reason, space });
    return id;
  }
  unpin(pin: number): void {
    if (!this.pins.delete(pin)) throw new FrameStateError(-1, `pin ${pin} released twice`);
  }
  isEvictable(frame: number): boolean {
    return this.states[frame] === FrameState.InUse && this.pinCount(frame) === 0;
  }
  dropHintLocks(): number {
    this.hintDrops++;
    return 0;
  }
}

/** Program images: pages below 16 of every address space come from the image, filled with (space, page). */
export class FakeImages implements PageContentSource {
  initialSource(_space: number, page: number): typeof PageSource.ZeroFill | typeof PageSource.ProgramImage {
    return page < 16 ? PageSource.ProgramImage : PageSource.ZeroFill;
  }
  readImagePage(space: number, page: number, into: Uint8Array): void {
    into.fill(space * 16 + page);
  }
}

export function memory(frames: number, pageSize: number): PhysicalMemory {
  return { bytes: new Uint8Array(frames * pageSize), frameCount: frames, pageSize };
}

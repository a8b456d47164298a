import { AccessKind, PinReason, Protection, type FrameTable, type Mmu } from '@pagelab/contracts';
import type { BouncePool } from './bounce-pool.js';

/**
 * Where the kernel keeps its page tables and its frame table: in host memory outside the
 * simulated frames (`host`, the default, as pagelab always has), in simulated frames wired
 * for good (`wired`), or in simulated frames the replacement policy may evict (`pageable`).
 */
export type KernelPagesMode = 'host' | 'wired' | 'pageable';

/** The modes `kernelPages` takes. */
export const kernelPagesModes: readonly KernelPagesMode[] = ['host', 'wired', 'pageable'];

/**
 * Bytes of one frame-table entry: owner address space and page (4 each), pin count and state
 * (2 each), the quota count and the dirty and fresh-page bits (4): what the frame table keeps
 * per frame, rounded to a power of two so an entry never straddles a page.
 */
export const frameTableEntryBytes = 16;

/** Bytes of one page-table entry: a 68851 short page descriptor. */
export const pageTableEntryBytes = 4;

/** Pages of a frame table of `frames` entries (one {@link frameTableEntryBytes}-byte entry each) at `pageSize`. */
export function frameTablePagesFor(frames: number, pageSize: number): number {
  return Math.ceil((frames * frameTableEntryBytes) / pageSize);
}

/** How a pageable kernel ended: the page it could not reach, and the kernel's stack when it tried. */
export interface KernelPanicReport {
  /** Simulated cycle of the panic. */
  readonly at: number;
  /** What the kernel was doing, outermost first (`user fault pid 3 at 0x2004 (read)`, ...). */
  readonly stack: readonly string[];
  /** The kernel page that was not resident (`frame table, frames 0-255`). */
  readonly page: string;
  /** Where the nested fault was taken (`fault handler`, `timer interrupt`, `paging code`). */
  readonly where: string;
  /** The whole story on one line: the stack, the page, the panic. */
  readonly message: string;
}

/** The kernel's own frames and what became of them in a run with `kernelPages` `wired` or `pageable`. */
export interface KernelMemoryReport {
  readonly mode: 'wired' | 'pageable';
  /** Frames of the vector table, exception stubs and supervisor stack (`kernelFrames`): always wired. */
  readonly supervisorFrames: number;
  /**
   * Pages of the bounce pool (`bounceFrames`). Wired, they are frames the kernel takes at boot;
   * pageable, pages of a kernel address space held only while a transfer uses them (the DMA
   * controller addresses them physically) and pageable otherwise.
   */
  readonly bounceFrames: number;
  /** Pages of the frame table: one {@link frameTableEntryBytes}-byte entry per frame. */
  readonly frameTablePages: number;
  /** Page-table pages held at once at most: one per 4-byte-entry page of every span an address space uses. */
  readonly pageTablePagesPeak: number;
  /** Page-table pages allocated over the run (each address space's, freed when it ends). */
  readonly pageTablePagesAllocated: number;
  /** The kernel's frames at the peak: supervisor, bounce pool, frame table and page tables. */
  readonly kernelFramesPeak: number;
  /** Frames the kernel never takes for itself: wired, all but its peak; pageable, all but the supervisor's. */
  readonly framesForProcesses: number;
  /** Kernel pages brought in through the pager (boot, new page tables, and faults served). */
  readonly kernelPageIns: number;
  /** Kernel pages the replacement policy evicted (0 when wired). */
  readonly kernelEvictions: number;
  /** Simulated cycle of the first kernel-page eviction, or null. */
  readonly firstKernelEvictionAt: number | null;
  /**
   * Faults on kernel pages the kernel took where it can: a process's page tables made resident
   * at dispatch, and bounce-pool pages brought in by the system call that starts a transfer.
   */
  readonly kernelFaultsServed: number;
  /** Of {@link kernelFaultsServed}: bounce-pool pages brought in by a system call. */
  readonly bounceFaultsServed: number;
  /** The panic that ended the run, or null. */
  readonly panic: KernelPanicReport | null;
}

/** A panic: thrown from the touch that found a kernel page not resident, caught where the run loop is. */
export class KernelPanic extends Error {
  constructor(readonly report: KernelPanicReport) {
    super(report.message);
    this.name = 'KernelPanic';
  }
}

/** What the kernel pages need of the system around them. */
export interface KernelPagesHost {
  /** The real MMU and frame table (never the views this class hands the pager). */
  readonly mmu: Mmu;
  readonly frames: FrameTable;
  /** Simulated time now. */
  now(): number;
  /** Brings `page` of kernel address space `space` in through the pager; returns its frame. */
  pageIn(space: number, page: number): number;
  /** Gives a kernel address space's frames and swap slots back (the pager's `releaseAddressSpace`). */
  release(space: number): void;
  /** A process's address space as a panic names it (`pid 3`). */
  nameOf(space: number): string;
}

/** One step of what the kernel is doing; `handler` names a context that cannot take a fault. */
interface KernelFrame {
  readonly label: string;
  readonly handler: string | null;
}

/** One address space's page table as the kernel keeps it in pages of a kernel address space. */
interface PageTable {
  /** The kernel address space its pages live in (`page` of it holds the entries of span `page`). */
  readonly space: number;
  /** The address space it translates. */
  readonly owner: number;
  /** The spans it has a page for. */
  readonly spans: Set<number>;
  /** Wired mode: the kernel pin of each of its pages. */
  readonly pins: Map<number, number>;
}

/**
 * The kernel's page tables and frame table as pages in simulated frames. The truth of a
 * mapping stays in the MMU and the frame table (host structures); what this class models is
 * where the kernel keeps them: every page-table span an address space uses, and every page
 * of frame-table entries, takes a frame. Wired, those frames are the kernel's for good.
 * Pageable, they are pages of kernel address spaces the pager brings in and the replacement
 * policy may evict like any other; then every use of the structure (a page walk, a
 * referenced-bit read, a frame-table update) first checks that its page is resident. Inside
 * the paging code, the fault handler or an interrupt, a kernel page that is not resident is
 * a fault the kernel cannot take: a {@link KernelPanic} with the stack of what it was doing.
 * The one place a pageable kernel takes a fault on itself and survives is a process's
 * dispatch, where its page tables are made resident before it runs.
 */
export class KernelPages {
  /** Entries of one page-table page, as a shift: a span covers `1 << spanShift` virtual pages. */
  private readonly spanShift: number;
  /** Frame-table entries per page, as a shift. */
  private readonly entryShift: number;
  private readonly pageShift: number;
  /** The kernel address space of the frame table (pageable only; wired, its frames are plain wired frames). */
  private frameTableSpace = -1;
  readonly frameTablePages: number;
  private readonly tables = new Map<number, PageTable>();
  private readonly kernelSpaces = new Set<number>();
  private readonly stack: KernelFrame[] = [];
  /** True while the frame table is being brought in at boot: it cannot be checked before it exists. */
  private booting = false;
  private stopped = false;
  private pageTablePages = 0;
  private pageTablePagesPeak = 0;
  private pageTablePagesAllocated = 0;
  private kernelPageIns = 0;
  private kernelEvictions = 0;
  private firstKernelEvictionAt: number | null = null;
  private kernelFaultsServed = 0;
  private bounceFaultsServed = 0;
  /** The kernel address space of the bounce pool (pageable only), or -1. */
  private bounceSpace = -1;
  /** Bounce-pool pages brought in at least once. */
  private readonly bouncePagesUsed = new Set<number>();
  private panicReport: KernelPanicReport | null = null;

  constructor(
    readonly mode: 'wired' | 'pageable',
    private readonly host: KernelPagesHost,
    private readonly sizes: { readonly supervisorFrames: number; readonly bounceFrames: number },
  ) {
    this.pageShift = host.mmu.pageShift;
    this.spanShift = this.pageShift - Math.log2(pageTableEntryBytes);
    this.entryShift = this.pageShift - Math.log2(frameTableEntryBytes);
    this.frameTablePages = frameTablePagesFor(host.frames.frameCount, host.mmu.pageSize);
  }

  /**
   * Gives the frame table its frames, once the pager exists: wired frames, or the pages of a
   * kernel address space the pager brings in (nothing can be checked before the table is in).
   */
  boot(): void {
    const { mmu, frames } = this.host;
    if (this.mode === 'wired') {
      for (let i = 0; i < this.frameTablePages; i++) frames.allocateWired();
      return;
    }
    this.frameTableSpace = mmu.createAddressSpace();
    this.kernelSpaces.add(this.frameTableSpace);
    mmu.reserve(this.frameTableSpace, 0, this.frameTablePages, Protection.ReadWrite);
    this.booting = true;
    try {
      for (let i = 0; i < this.frameTablePages; i++) this.bringIn(this.frameTableSpace, i);
    } finally {
      this.booting = false;
    }
  }

  /** True for the address spaces that hold the kernel's own pages (their page table is the system's, always resident). */
  isKernelSpace(space: number): boolean {
    return this.kernelSpaces.has(space);
  }

  /** The panic that stopped the kernel, or null. */
  get panic(): KernelPanicReport | null {
    return this.panicReport;
  }

  /**
   * Runs `body` with `label` on the kernel's stack; `handler` names the context when it is
   * one that cannot take a fault (`fault handler`, `timer interrupt`, ...).
   */
  within<T>(label: string, handler: string | null, body: () => T): T {
    this.stack.push({ label, handler });
    try {
      return body();
    } finally {
      this.stack.pop();
    }
  }

  /**
   * The fault handler's walk of `space`'s page table for `page`, before the pager maps it:
   * a span the address space had not used gets its page-table page now (allocated through
   * the pager, wired when the kernel is); a span whose page is not resident is a panic.
   */
  walk(space: number, page: number): void {
    if (this.stopped || this.kernelSpaces.has(space)) return;
    let table = this.tables.get(space);
    if (table === undefined) {
      table = { space: this.host.mmu.createAddressSpace(), owner: space, spans: new Set(), pins: new Map() };
      this.tables.set(space, table);
      this.kernelSpaces.add(table.space);
    }
    const span = page >>> this.spanShift;
    if (!table.spans.has(span)) {
      // Reserved once: a page-in that found no frame (the fault fails, to be tried again) leaves the span without a page.
      if (this.host.mmu.entry(table.space, span) === null) this.host.mmu.reserve(table.space, span, 1, Protection.ReadWrite);
      this.within(`page-table page for ${this.spanName(space, span)}`, null, () => {
        const frame = this.bringIn(table.space, span);
        if (this.mode === 'wired') table.pins.set(span, this.host.frames.pin(frame, PinReason.Kernel, table.space, this.host.now()));
      });
      table.spans.add(span);
      this.pageTablePages++;
      this.pageTablePagesAllocated++;
      this.pageTablePagesPeak = Math.max(this.pageTablePagesPeak, this.pageTablePages);
      return;
    }
    if (this.mode === 'pageable') this.touchPageTable(space, page, AccessKind.Read, 'page walk');
  }

  /**
   * A process is about to run: its page tables must be resident. A pageable kernel takes the
   * faults on them here, in the process's context, where it can (each may still panic inside
   * the pager, if serving it needs a kernel page that is out).
   */
  dispatch(space: number, pid: number): void {
    if (this.stopped || this.mode === 'wired') return;
    const table = this.tables.get(space);
    if (table === undefined) return;
    const mmu = this.host.mmu;
    for (const span of table.spans) {
      if (mmu.entry(table.space, span)?.present !== false) continue;
      this.kernelFaultsServed++;
      this.within(`dispatch of pid ${pid}`, null, () =>
        this.within(`kernel fault on '${this.tableName(table, span)}'`, 'fault handler', () => this.bringIn(table.space, span)),
      );
      mmu.translate(table.space, span << this.pageShift, AccessKind.Read);
    }
  }

  /** The address space `space` ended: its page tables go (their pins first, when wired). */
  releaseTable(space: number): void {
    const table = this.tables.get(space);
    if (table === undefined) return;
    this.tables.delete(space);
    for (const pin of table.pins.values()) this.host.frames.unpin(pin, this.host.now());
    this.pageTablePages -= table.spans.size;
    this.host.release(table.space);
    this.kernelSpaces.delete(table.space);
  }

  /**
   * Records `panic` as the run's end (the first one wins) and stops checking: the run's report
   * is written by a kernel that has stopped.
   */
  notePanic(panic: KernelPanicReport): void {
    this.panicReport ??= panic;
    this.stopped = true;
  }

  /** The figures for the run's report. */
  report(frameCount: number): KernelMemoryReport {
    const { supervisorFrames, bounceFrames } = this.sizes;
    const kernelFramesPeak = supervisorFrames + bounceFrames + this.frameTablePages + this.pageTablePagesPeak;
    return {
      mode: this.mode,
      supervisorFrames,
      bounceFrames,
      frameTablePages: this.frameTablePages,
      pageTablePagesPeak: this.pageTablePagesPeak,
      pageTablePagesAllocated: this.pageTablePagesAllocated,
      kernelFramesPeak,
      framesForProcesses: frameCount - (this.mode === 'wired' ? kernelFramesPeak : supervisorFrames),
      kernelPageIns: this.kernelPageIns,
      kernelEvictions: this.kernelEvictions,
      firstKernelEvictionAt: this.firstKernelEvictionAt,
      kernelFaultsServed: this.kernelFaultsServed,
      bounceFaultsServed: this.bounceFaultsServed,
      panic: this.panicReport,
    };
  }

  /**
   * A pageable kernel's bounce pool of `pages` pages: a kernel address space whose pages come in
   * through the pager when a transfer needs them, are held (a DMA pin) while the transfer
   * runs, and are pageable otherwise. A page that is out when the kernel needs it is brought in
   * where the kernel can take a fault (the system call that starts a transfer) and is a
   * {@link KernelPanic} where it cannot (the I/O completion interrupt copying data out, the
   * fault handler).
   */
  bouncePool(pages: number): BouncePool {
    if (this.mode !== 'pageable') throw new Error('only a pageable kernel pages its bounce pool');
    const { mmu, frames } = this.host;
    const space = mmu.createAddressSpace();
    this.bounceSpace = space;
    this.kernelSpaces.add(space);
    mmu.reserve(space, 0, pages, Protection.ReadWrite);
    const pins = new Map<number, number>();
    return {
      pages,
      hold: (page) => {
        const frame = this.bouncePage(page, AccessKind.Write, 'DMA hold on');
        pins.set(page, frames.pin(frame, PinReason.Dma, space, this.host.now()));
        return frame;
      },
      release: (page) => {
        const pin = pins.get(page);
        if (pin === undefined) return;
        pins.delete(page);
        frames.unpin(pin, this.host.now());
      },
      frameFor: (page, access) => this.bouncePage(page, access, access === AccessKind.Read ? 'bounce copy out of' : 'bounce copy into'),
    };
  }

  /** The frame of bounce-pool page `page` now: resident, brought in where the kernel can fault, or a panic. */
  private bouncePage(page: number, access: AccessKind, what: string): number {
    const { mmu } = this.host;
    const space = this.bounceSpace;
    const address = page << this.pageShift;
    const physical = mmu.translate(space, address, access);
    if (physical >= 0) return physical >>> this.pageShift;
    const name = `bounce pool page ${page}`;
    const canFault = this.stopped || this.stack.every((frame) => frame.handler === null);
    // Where the kernel cannot take a fault, the use is a panic (use() throws, the page being out).
    if (!canFault) this.use(space, page, access, () => ({ label: `${what} ${name}`, page: name }));
    // A page's first use is its allocation, as a page table's is; a fault is bringing back one the policy evicted.
    if (!this.stopped && this.bouncePagesUsed.has(page)) {
      this.kernelFaultsServed++;
      this.bounceFaultsServed++;
    }
    this.bouncePagesUsed.add(page);
    this.within(`${what} ${name}`, null, () => this.within(`kernel fault on '${name}'`, 'fault handler', () => this.bringIn(space, page)));
    return mmu.translate(space, address, access) >>> this.pageShift;
  }

  /** The MMU as the pager sees it: every use of a process's page table checks that its page is resident. */
  mmuView(): Mmu {
    return new PageTableCheckingMmu(this.host.mmu, this);
  }

  /** The frame table as the pager sees it: every use of an entry checks that its page is resident. */
  frameTableView(table: FrameTable): FrameTable {
    return new EntryCheckingFrames(table, this);
  }

  /** A use of `space`'s page-table entry for `page` (a user address space; the kernel's own are always resident). */
  touchPageTable(space: number, page: number, access: AccessKind, what: string): void {
    if (this.stopped || this.mode === 'wired' || this.kernelSpaces.has(space)) return;
    const table = this.tables.get(space);
    if (table === undefined) return;
    const span = page >>> this.spanShift;
    // A span never walked has no page yet (its entries are all invalid): nothing to read.
    if (!table.spans.has(span)) return;
    this.use(table.space, span, access, () => ({ label: `${what} in the page table of ${this.host.nameOf(space)} (page 0x${page.toString(16)})`, page: this.tableName(table, span) }));
  }

  /** A use of frame `frame`'s entry in the frame table. */
  touchFrameEntry(frame: number, access: AccessKind, what: string): void {
    if (this.stopped || this.booting || this.mode === 'wired') return;
    const page = frame >>> this.entryShift;
    this.use(this.frameTableSpace, page, access, () => ({ label: `${what} of frame ${frame}`, page: this.frameTableName(page) }));
  }

  /** An eviction of a kernel page (the pager unmapping a page of a kernel address space). */
  noteUnmap(space: number): void {
    if (this.stopped || !this.kernelSpaces.has(space)) return;
    this.kernelEvictions++;
    this.firstKernelEvictionAt ??= this.host.now();
  }

  /** Marks a resident kernel page used (its referenced and modified bits, as the hardware would), or panics. */
  private use(space: number, page: number, access: AccessKind, describe: () => { label: string; page: string }): void {
    const mmu = this.host.mmu;
    if (mmu.translate(space, page << this.pageShift, access) >= 0) return;
    const { label, page: name } = describe();
    const stack = [...this.stack.map((frame) => frame.label), label];
    const where = [...this.stack].reverse().find((frame) => frame.handler !== null)?.handler ?? 'paging code';
    const message = `${stack.join(' -> ')} -> kernel page '${name}' not resident -> panic: page fault in ${where}`;
    const panic: KernelPanicReport = { at: this.host.now(), stack, page: name, where, message };
    this.notePanic(panic);
    throw new KernelPanic(panic);
  }

  private bringIn(space: number, page: number): number {
    this.kernelPageIns++;
    return this.host.pageIn(space, page);
  }

  private spanName(space: number, span: number): string {
    const first = (span << this.spanShift) << this.pageShift;
    const last = (((span + 1) << this.spanShift) << this.pageShift) - 1;
    return `${this.host.nameOf(space)}, 0x${first.toString(16)}-0x${(last >>> 0).toString(16)}`;
  }

  private tableName(table: PageTable, span: number): string {
    return `page table of ${this.spanName(table.owner, span)}`;
  }

  private frameTableName(page: number): string {
    const first = page << this.entryShift;
    const last = Math.min(this.host.frames.frameCount, (page + 1) << this.entryShift) - 1;
    return `frame table, frames ${first}-${last}`;
  }
}

/** The MMU with every page-table use of a process's address space checked first (pageable kernel only). */
class PageTableCheckingMmu implements Mmu {
  constructor(
    private readonly mmu: Mmu,
    private readonly pages: KernelPages,
  ) {}

  get specificationVersion() {
    return this.mmu.specificationVersion;
  }
  get pageSize() {
    return this.mmu.pageSize;
  }
  get pageShift() {
    return this.mmu.pageShift;
  }
  get addressWidth() {
    return this.mmu.addressWidth;
  }
  get pagesPerAddressSpace() {
    return this.mmu.pagesPerAddressSpace;
  }
  get frameCount() {
    return this.mmu.frameCount;
  }
  get lastFault() {
    return this.mmu.lastFault;
  }
  get tlbStats() {
    return this.mmu.tlbStats;
  }
  createAddressSpace(): number {
    return this.mmu.createAddressSpace();
  }
  destroyAddressSpace(addressSpace: number) {
    return this.mmu.destroyAddressSpace(addressSpace);
  }
  hasAddressSpace(addressSpace: number): boolean {
    return this.mmu.hasAddressSpace(addressSpace);
  }
  reserve(addressSpace: number, firstPage: number, count: number, protection: Protection): void {
    this.mmu.reserve(addressSpace, firstPage, count, protection);
  }
  release(addressSpace: number, firstPage: number, count: number) {
    return this.mmu.release(addressSpace, firstPage, count);
  }
  map(addressSpace: number, page: number, frame: number, protection: Protection): void {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Write, 'page-table update (map)');
    this.mmu.map(addressSpace, page, frame, protection);
  }
  unmap(addressSpace: number, page: number): number {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Write, 'page-table update (unmap)');
    this.pages.noteUnmap(addressSpace);
    return this.mmu.unmap(addressSpace, page);
  }
  protect(addressSpace: number, page: number, protection: Protection): void {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Write, 'page-table update (protect)');
    this.mmu.protect(addressSpace, page, protection);
  }
  frameOf(addressSpace: number, page: number): number {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Read, 'page walk');
    return this.mmu.frameOf(addressSpace, page);
  }
  entry(addressSpace: number, page: number) {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Read, 'page walk');
    return this.mmu.entry(addressSpace, page);
  }
  translate(addressSpace: number, address: number, access: AccessKind): number {
    this.pages.touchPageTable(addressSpace, address >>> this.mmu.pageShift, AccessKind.Read, 'page walk');
    return this.mmu.translate(addressSpace, address, access);
  }
  isReferenced(addressSpace: number, page: number): boolean {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Read, 'referenced-bit read');
    return this.mmu.isReferenced(addressSpace, page);
  }
  isModified(addressSpace: number, page: number): boolean {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Read, 'modified-bit read');
    return this.mmu.isModified(addressSpace, page);
  }
  clearReferenced(addressSpace: number, page: number): void {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Write, 'referenced-bit clear');
    this.mmu.clearReferenced(addressSpace, page);
  }
  clearModified(addressSpace: number, page: number): void {
    this.pages.touchPageTable(addressSpace, page, AccessKind.Write, 'modified-bit clear');
    this.mmu.clearModified(addressSpace, page);
  }
  flushTlbPage(addressSpace: number, page: number): void {
    this.mmu.flushTlbPage(addressSpace, page);
  }
  flushTlbAddressSpace(addressSpace: number): void {
    this.mmu.flushTlbAddressSpace(addressSpace);
  }
  flushTlb(): void {
    this.mmu.flushTlb();
  }
  busFor(addressSpace: number, memory: Parameters<Mmu['busFor']>[1]) {
    return this.mmu.busFor(addressSpace, memory);
  }
}

/** The frame table with every use of a frame's entry checked first (pageable kernel only). */
class EntryCheckingFrames implements FrameTable {
  constructor(
    private readonly table: FrameTable,
    private readonly pages: KernelPages,
  ) {}

  get specificationVersion() {
    return this.table.specificationVersion;
  }
  get frameCount() {
    return this.table.frameCount;
  }
  get freeFrames() {
    return this.table.freeFrames;
  }
  get quota() {
    return this.table.quota;
  }
  get pinStats() {
    return this.table.pinStats;
  }
  get evictableCount() {
    return this.table.evictableCount;
  }
  get lockedTotal() {
    return this.table.lockedTotal;
  }
  get underPressure() {
    return this.table.underPressure;
  }
  state(frame: number) {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.state(frame);
  }
  owner(frame: number) {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.owner(frame);
  }
  ownerAddressSpace(frame: number): number {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.ownerAddressSpace(frame);
  }
  ownerPage(frame: number): number {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.ownerPage(frame);
  }
  isDirty(frame: number): boolean {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.isDirty(frame);
  }
  setDirty(frame: number, dirty: boolean): void {
    this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update');
    this.table.setDirty(frame, dirty);
  }
  allocate(addressSpace: number, page: number): number {
    const frame = this.table.allocate(addressSpace, page);
    if (frame >= 0) this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update (allocate)');
    return frame;
  }
  allocateWired(): number {
    const frame = this.table.allocateWired();
    if (frame >= 0) this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update (wire)');
    return frame;
  }
  reassign(frame: number, addressSpace: number, page: number): void {
    this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update (reassign)');
    this.table.reassign(frame, addressSpace, page);
  }
  free(frame: number): void {
    this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update (free)');
    this.table.free(frame);
  }
  pin(frame: number, reason: PinReason, addressSpace: number, now: number): number {
    this.pages.touchFrameEntry(frame, AccessKind.Write, 'frame-table update (pin)');
    return this.table.pin(frame, reason, addressSpace, now);
  }
  unpin(pin: number, now: number): void {
    const record = this.table.pinRecord(pin);
    if (record !== null) this.pages.touchFrameEntry(record.frame, AccessKind.Write, 'frame-table update (unpin)');
    this.table.unpin(pin, now);
  }
  pinRecord(pin: number) {
    return this.table.pinRecord(pin);
  }
  outstandingPins() {
    return this.table.outstandingPins();
  }
  pinCount(frame: number): number {
    this.pages.touchFrameEntry(frame, AccessKind.Read, 'frame-table read');
    return this.table.pinCount(frame);
  }
  isEvictable(frame: number): boolean {
    return this.table.isEvictable(frame);
  }
  nextEvictable(from: number): number {
    return this.table.nextEvictable(from);
  }
  evictableFrames() {
    return this.table.evictableFrames();
  }
  lockedBy(addressSpace: number): number {
    return this.table.lockedBy(addressSpace);
  }
  dropHintLocks(now: number): number {
    return this.table.dropHintLocks(now);
  }
  audit(now: number, options: Parameters<FrameTable['audit']>[1]) {
    return this.table.audit(now, options);
  }
}

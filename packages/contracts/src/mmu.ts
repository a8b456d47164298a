import type { SeamVersion } from './seams.js';
/**
 * The memory-management unit: one page table per address space, a TLB in front of them, and
 * the translation every CPU memory reference goes through.
 *
 * Vocabulary used below:
 * - a *virtual page number* (`page`) is a virtual address shifted right by log2(page size);
 * - a page is *valid* when it belongs to the address space (it was reserved or mapped);
 * - a valid page is *present* when it currently has a frame; a valid page without a frame is
 *   on the backing store, and touching it is a not-present fault the pager serves;
 * - an address whose page is not valid is *unmapped*: a wild pointer, not a paging event.
 */
import type { AccessKind, FaultCause, Protection } from './access.js';
import type { Bus } from './bus.js';
import { PagelabError } from './errors.js';
import type { PhysicalMemory } from './memory.js';

/**
 * How many bits of a virtual address the MMU looks at. `24` is the 68000's address bus: the
 * top 8 bits of an address are ignored, so `0x01001000` and `0x00001000` are the same byte.
 * `32` uses the whole address.
 */
export type VirtualAddressWidth = 24 | 32;

/** The value {@link Mmu.translate} returns instead of a physical address when the reference faults. */
export const enum Translation {
  /** The reference faulted; {@link Mmu.lastFault} says why. Every physical address is `>= 0`. */
  Fault = -1,
}

/** How an MMU is built. Implementations reject anything else with a `ConfigurationError` naming the field. */
export interface MmuOptions {
  /** How many physical frames exist; `map` refuses frame numbers outside `0..frameCount-1`. */
  readonly frameCount: number;
  /** Page size in bytes: a power of two from 256 to 65536. Default 4096. */
  readonly pageSize?: number;
  /** Virtual-address width in bits. Default 32. */
  readonly addressWidth?: VirtualAddressWidth;
  /** Number of TLB entries: a power of two. Default 64. */
  readonly tlbEntries?: number;
  /**
   * TLB associativity (entries per set): a power of two that divides `tlbEntries`. `1` is
   * direct-mapped, `tlbEntries` is fully associative. Default 4.
   */
  readonly tlbWays?: number;
}

/**
 * What the MMU knows about one virtual page: a copy taken when asked for (it does not change
 * when the page table changes afterwards).
 */
export interface PageTableEntry {
  /** The virtual page number. */
  readonly page: number;
  /** The frame the page is mapped to, or -1 when the page is not present. */
  readonly frame: number;
  /** True when the page has a frame right now. */
  readonly present: boolean;
  /** Which accesses the page allows. */
  readonly protection: Protection;
  /** Set by the MMU on every successful access to the page; cleared only by software. */
  readonly referenced: boolean;
  /** Set by the MMU on every successful write to the page; cleared only by software. */
  readonly modified: boolean;
}

/** One present page of an address space, as {@link Mmu.destroyAddressSpace} reports it. */
export interface PageMapping {
  /** The virtual page number. */
  readonly page: number;
  /** The frame it was mapped to. */
  readonly frame: number;
}

/**
 * Why the last translation failed. The MMU reuses one object for this (a fault must not
 * allocate on the CPU's path), so read it right after {@link Mmu.translate} returned
 * {@link Translation.Fault}, and copy what you need to keep.
 */
export interface TranslationFault {
  /** `NotPresent`, `Protection` or `Unmapped`. */
  readonly cause: FaultCause;
  /** The address space the reference was made in. */
  readonly addressSpace: number;
  /** The virtual address as given (before the 24-bit mask, if any). */
  readonly address: number;
  /** The virtual page number the address falls in. */
  readonly page: number;
  /** What the reference was doing. */
  readonly access: AccessKind;
}

/** TLB counters since the MMU was built. */
export interface TlbStats {
  /** Translations served from the TLB. */
  readonly hits: number;
  /** Translations that had to walk a page table (faulting ones included). */
  readonly misses: number;
  /**
   * Invalidation requests: explicit flushes plus the ones `unmap`, `protect`, `release` and
   * `destroyAddressSpace` make themselves. One per request, however many entries it removed.
   */
  readonly flushes: number;
}

/**
 * An MMU with one page table per address space and a TLB shared by all of them (entries are
 * tagged with the address-space id, so switching address spaces needs no flush).
 *
 * Rules every implementation keeps (the conformance suite checks them):
 * - a page maps to at most one frame; mapping a present page again is a {@link MappingError}
 *   (unmap it first);
 * - `unmap`, `protect`, `release` and `destroyAddressSpace` invalidate the TLB entries they
 *   make stale, so no later translation can reach the old frame or use the old protection;
 * - referenced and modified bits live in the page table and are always current: a TLB hit
 *   sets them too, so clearing them needs no TLB flush;
 * - a faulting translation changes no bit;
 * - the fault causes are checked in this order: `Unmapped` (page not valid), `Protection`
 *   (the page's protection forbids the access, present or not), `NotPresent`.
 *
 * Protection required per access: `Read` needs `Protection.Read`, `Write` needs
 * `Protection.Write`, `Fetch` needs `Protection.Execute`.
 *
 * Address-space ids are positive integers, never reused while the MMU lives. Every method
 * that takes one throws a {@link MappingError} for an id that does not exist (now).
 */
export interface Mmu {
  /** The `mmu` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'mmu'>;
  /** Page size in bytes. */
  readonly pageSize: number;
  /** log2(pageSize): a virtual address's page number is `address >>> pageShift`. */
  readonly pageShift: number;
  /** Virtual-address width in bits. */
  readonly addressWidth: VirtualAddressWidth;
  /** Virtual pages per address space: `2 ** addressWidth / pageSize`. */
  readonly pagesPerAddressSpace: number;
  /** Physical frames the MMU accepts in `map`. */
  readonly frameCount: number;

  /** Creates an empty address space (no valid page) and returns its id. */
  createAddressSpace(): number;
  /**
   * Destroys an address space: its pages become invalid, its TLB entries are flushed, and its
   * id stops existing. Returns the pages that were present, so the caller can free their frames.
   */
  destroyAddressSpace(addressSpace: number): readonly PageMapping[];
  /** True while `addressSpace` exists. */
  hasAddressSpace(addressSpace: number): boolean;

  /**
   * Makes `count` pages from `firstPage` valid but not present, with `protection` (what a
   * program's segments look like before they are touched: demand paging). Pages already
   * valid keep their frame and bits and take the new protection.
   */
  reserve(addressSpace: number, firstPage: number, count: number, protection: Protection): void;
  /**
   * Makes `count` pages from `firstPage` invalid (touching them is `Unmapped` from now on).
   * Returns the pages that were present among them, so the caller can free their frames.
   */
  release(addressSpace: number, firstPage: number, count: number): readonly PageMapping[];
  /**
   * Maps `page` to `frame` with `protection`, making it valid and present, with referenced and
   * modified clear. Throws a {@link MappingError} if the page is present already or the frame
   * or page number is out of range. Several pages (even of several address spaces) may map
   * the same frame: that is shared memory, and the MMU allows it.
   */
  map(addressSpace: number, page: number, frame: number, protection: Protection): void;
  /**
   * Takes `page`'s frame away (the pager evicted it): the page stays valid but not present,
   * keeps its protection, and its TLB entry is invalidated. Returns the frame it had, or -1
   * if it was not present. Referenced and modified are cleared: read them before unmapping.
   */
  unmap(addressSpace: number, page: number): number;
  /** Changes the protection of a valid page and invalidates its TLB entry. */
  protect(addressSpace: number, page: number, protection: Protection): void;
  /** The frame `page` is mapped to, or -1 when it is not present. No bit changes, no TLB effect. */
  frameOf(addressSpace: number, page: number): number;
  /** A snapshot of `page`'s entry, or null when the page is not valid. No bit changes, no TLB effect. */
  entry(addressSpace: number, page: number): PageTableEntry | null;

  /**
   * Translates a virtual address for one memory reference: the fast path the CPU uses.
   *
   * Returns the physical address (`>= 0`), having set the page's referenced bit (and its
   * modified bit for a write); or returns {@link Translation.Fault} and describes the fault
   * in {@link lastFault}. A TLB hit allocates nothing.
   */
  translate(addressSpace: number, address: number, access: AccessKind): number;
  /** The fault of the last translation that returned {@link Translation.Fault}. */
  readonly lastFault: TranslationFault;

  /** True if `page` was accessed since its referenced bit was last cleared (false if not valid). */
  isReferenced(addressSpace: number, page: number): boolean;
  /** True if `page` was written since its modified bit was last cleared (false if not valid). */
  isModified(addressSpace: number, page: number): boolean;
  /** Clears `page`'s referenced bit (the clock hand passing, say). */
  clearReferenced(addressSpace: number, page: number): void;
  /** Clears `page`'s modified bit (after the pager wrote the page back). */
  clearModified(addressSpace: number, page: number): void;

  /** Invalidates the TLB entry of one page, if it has one. */
  flushTlbPage(addressSpace: number, page: number): void;
  /** Invalidates every TLB entry of one address space. */
  flushTlbAddressSpace(addressSpace: number): void;
  /** Invalidates the whole TLB. */
  flushTlb(): void;
  /** Hit, miss and flush counts. */
  readonly tlbStats: TlbStats;

  /**
   * A {@link Bus} that runs every reference of one address space through this MMU into
   * `memory`, throwing the contract's `BusFault` (with the fault's cause) when a translation
   * fails. This is what the CPU is given. `memory.pageSize` must equal {@link pageSize}
   * (otherwise a `ConfigurationError` on `memory.pageSize`).
   */
  busFor(addressSpace: number, memory: PhysicalMemory): Bus;
}

/** A factory a conformance suite or the kernel uses to build an MMU. */
export type MmuFactory = (options: MmuOptions) => Mmu;

/**
 * A page-table request that cannot be carried out: an address space that does not exist, a
 * page or frame number out of range, a page mapped twice.
 */
export class MappingError extends PagelabError {
  /** The address space the request named. */
  readonly addressSpace: number;
  /** The virtual page number the request named, or -1 when the request was about the address space itself. */
  readonly page: number;

  constructor(addressSpace: number, page: number, message: string) {
    super('MAPPING', message);
    this.addressSpace = addressSpace;
    this.page = page;
  }
}

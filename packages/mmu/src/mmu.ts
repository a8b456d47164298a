import {
  AccessKind,
  ConfigurationError,
  FaultCause,
  MappingError,
  Translation,
  type Bus,
  type Mmu,
  type MmuOptions,
  type PageMapping,
  type PageTableEntry,
  type PhysicalMemory,
  type Protection,
  type TlbStats,
  type TranslationFault,
  type VirtualAddressWidth,
} from '@pagelab/contracts';
import { MmuBus } from './mmu-bus.js';
import { resolveMmuOptions } from './options.js';
import { PageTables } from './page-table.js';
import {
  PTE_FRAME_SHIFT,
  PTE_MODIFIED,
  PTE_PRESENT,
  PTE_PROTECTION,
  PTE_REFERENCED,
  PTE_VALID,
  pteFrame,
} from './pte.js';
import { FaultRecord } from './translation-fault.js';
import { Tlb } from './tlb.js';

/** Bits a successful write sets; a read or fetch sets only referenced. */
const WRITE_BITS = PTE_REFERENCED | PTE_MODIFIED;
/** The page-table bits a successful access sets, by access kind (read, write, fetch). */
const ACCESS_BITS = Int32Array.of(PTE_REFERENCED, WRITE_BITS, PTE_REFERENCED);

/**
 * The pagelab MMU: two-level page tables packed in one `Uint32Array`, a set-associative TLB
 * in typed arrays, and a translate path that allocates nothing on a hit.
 *
 * Protection bits line up with access kinds (`Protection.Read` is `1 << AccessKind.Read`,
 * `Write` is `1 << Write`, `Execute` is `1 << Fetch`), so the permission check is one AND.
 */
export class PagedMmu implements Mmu {
  readonly specificationVersion = 1;
  readonly pageSize: number;
  readonly pageShift: number;
  readonly addressWidth: VirtualAddressWidth;
  readonly pagesPerAddressSpace: number;
  readonly frameCount: number;

  /** Which virtual-address bits count (24 or 32 of them). */
  readonly addressMask: number;
  private readonly offsetMask: number;
  private readonly tables: PageTables;
  private readonly tlb: Tlb;
  // The TLB's arrays, held here too so the hit path reads them without an extra hop.
  private readonly tlbSpace: Int32Array;
  private readonly tlbPage: Int32Array;
  private readonly tlbFrameBase: Int32Array;
  private readonly tlbProtection: Uint8Array;
  private readonly tlbPte: Int32Array;
  private readonly tlbWays: number;
  private readonly tlbSetMask: number;
  // The TLB's recent entry per access kind (see Tlb.recentSpace), read by the hit path.
  private readonly recentSpace: Int32Array;
  private readonly recentPage: Int32Array;
  private readonly recentFrameBase: Int32Array;
  private readonly recentPte: Int32Array;
  private readonly fault = new FaultRecord();
  private nextAddressSpace = 1;
  private hits = 0;
  private misses = 0;
  private flushes = 0;

  constructor(options: MmuOptions) {
    const config = resolveMmuOptions(options);
    this.pageSize = config.pageSize;
    this.pageShift = config.pageShift;
    this.addressWidth = config.addressWidth;
    this.frameCount = config.frameCount;
    const pageBits = config.addressWidth - config.pageShift;
    this.pagesPerAddressSpace = 2 ** pageBits;
    this.addressMask = config.addressWidth === 32 ? 0xffffffff : 0xffffff;
    this.offsetMask = config.pageSize - 1;
    this.tables = new PageTables(this.pagesPerAddressSpace, pageBits);
    this.tlb = new Tlb(config.tlbEntries, config.tlbWays);
    this.tlbSpace = this.tlb.space;
    this.tlbPage = this.tlb.page;
    this.tlbFrameBase = this.tlb.frameBase;
    this.tlbProtection = this.tlb.protection;
    this.tlbPte = this.tlb.pte;
    this.tlbWays = this.tlb.ways;
    this.tlbSetMask = this.tlb.setMask;
    this.recentSpace = this.tlb.recentSpace;
    this.recentPage = this.tlb.recentPage;
    this.recentFrameBase = this.tlb.recentFrameBase;
    this.recentPte = this.tlb.recentPte;
  }

  get lastFault(): TranslationFault {
    return this.fault;
  }

  get tlbStats(): TlbStats {
    return { hits: this.hits, misses: this.misses, flushes: this.flushes };
  }

  createAddressSpace(): number {
    const id = this.nextAddressSpace++;
    this.tables.create(id);
    return id;
  }

  destroyAddressSpace(addressSpace: number): readonly PageMapping[] {
    const present = this.tables.destroy(addressSpace);
    this.tlb.invalidateAddressSpace(addressSpace);
    this.flushes++;
    return present;
  }

  hasAddressSpace(addressSpace: number): boolean {
    return this.tables.has(addressSpace);
  }

  reserve(addressSpace: number, firstPage: number, count: number, protection: Protection): void {
    this.checkRange(addressSpace, firstPage, count);
    this.checkProtection(addressSpace, firstPage, protection);
    let reprotected = false;
    for (let page = firstPage; page < firstPage + count; page++) {
      const index = this.tables.locate(addressSpace, page);
      const entry = this.tables.entries[index]!;
      if ((entry & PTE_VALID) === 0) {
        this.tables.entries[index] = PTE_VALID | protection;
      } else {
        this.tables.entries[index] = (entry & ~PTE_PROTECTION) | protection;
        // A cached translation would keep granting the old protection.
        if ((entry & PTE_PRESENT) !== 0) {
          this.tlb.invalidatePage(addressSpace, page);
          reprotected = true;
        }
      }
    }
    if (reprotected) this.flushes++;
  }

  release(addressSpace: number, firstPage: number, count: number): readonly PageMapping[] {
    this.checkRange(addressSpace, firstPage, count);
    const present: PageMapping[] = [];
    for (let page = firstPage; page < firstPage + count; page++) {
      const index = this.tables.find(addressSpace, page);
      if (index < 0) continue;
      const entry = this.tables.entries[index]!;
      if ((entry & PTE_PRESENT) !== 0) {
        present.push({ page, frame: pteFrame(entry) });
        this.tlb.invalidatePage(addressSpace, page);
      }
      this.tables.entries[index] = 0;
    }
    if (present.length > 0) this.flushes++;
    return present;
  }

  map(addressSpace: number, page: number, frame: number, protection: Protection): void {
    this.checkPage(addressSpace, page);
    this.checkProtection(addressSpace, page, protection);
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.frameCount) {
      throw new MappingError(addressSpace, page, `frame ${String(frame)} is outside 0..${this.frameCount - 1}`);
    }
    const index = this.tables.locate(addressSpace, page);
    const entry = this.tables.entries[index]!;
    if ((entry & PTE_PRESENT) !== 0) {
      throw new MappingError(
        addressSpace,
        page,
        `page ${page} of address space ${addressSpace} is already mapped to frame ${pteFrame(entry)}; unmap it first`,
      );
    }
    // Uint32Array stores the word modulo 2^32, so a frame in the top bits is kept intact.
    this.tables.entries[index] = (frame << PTE_FRAME_SHIFT) | PTE_VALID | PTE_PRESENT | protection;
  }

  unmap(addressSpace: number, page: number): number {
    this.checkPage(addressSpace, page);
    const index = this.tables.find(addressSpace, page);
    if (index < 0) return -1;
    const entry = this.tables.entries[index]!;
    if ((entry & PTE_PRESENT) === 0) return -1;
    this.tables.entries[index] = PTE_VALID | (entry & PTE_PROTECTION);
    this.tlb.invalidatePage(addressSpace, page);
    this.flushes++;
    return pteFrame(entry);
  }

  protect(addressSpace: number, page: number, protection: Protection): void {
    this.checkPage(addressSpace, page);
    this.checkProtection(addressSpace, page, protection);
    const index = this.tables.find(addressSpace, page);
    const entry = index < 0 ? 0 : this.tables.entries[index]!;
    if ((entry & PTE_VALID) === 0) {
      throw new MappingError(addressSpace, page, `page ${page} of address space ${addressSpace} is not valid; reserve or map it first`);
    }
    this.tables.entries[index] = (entry & ~PTE_PROTECTION) | protection;
    this.tlb.invalidatePage(addressSpace, page);
    this.flushes++;
  }

  frameOf(addressSpace: number, page: number): number {
    const entry = this.entryWord(addressSpace, page);
    return (entry & PTE_PRESENT) === 0 ? -1 : pteFrame(entry);
  }

  entry(addressSpace: number, page: number): PageTableEntry | null {
    const entry = this.entryWord(addressSpace, page);
    if ((entry & PTE_VALID) === 0) return null;
    const present = (entry & PTE_PRESENT) !== 0;
    return {
      page,
      frame: present ? pteFrame(entry) : -1,
      present,
      protection: (entry & PTE_PROTECTION) as Protection,
      referenced: (entry & PTE_REFERENCED) !== 0,
      modified: (entry & PTE_MODIFIED) !== 0,
    };
  }

  translate(addressSpace: number, address: number, access: AccessKind): number {
    const virtual = (address & this.addressMask) >>> 0;
    const page = virtual >>> this.pageShift;
    // A CPU fetches from one page and reads from another for long runs: the entry of the last
    // hit for this access kind usually answers (kept small so call sites inline it).
    if (this.recentPage[access] === page && this.recentSpace[access] === addressSpace) {
      this.tables.entries[this.recentPte[access]!]! |= ACCESS_BITS[access]!;
      this.hits++;
      return this.recentFrameBase[access]! + (virtual & this.offsetMask);
    }
    return this.lookup(addressSpace, address, virtual, page, access);
  }

  /** The rest of a TLB lookup: the page's set, then the page-table walk on a miss. */
  private lookup(addressSpace: number, address: number, virtual: number, page: number, access: AccessKind): number {
    const tlbPage = this.tlbPage;
    const tlbSpace = this.tlbSpace;
    let slot = ((page ^ addressSpace) & this.tlbSetMask) * this.tlbWays;
    const end = slot + this.tlbWays;
    for (; slot < end; slot++) {
      if (tlbPage[slot] === page && tlbSpace[slot] === addressSpace) {
        // A cached page that forbids this access: let the walk report the protection fault.
        if ((this.tlbProtection[slot]! & (1 << access)) === 0) break;
        this.tables.entries[this.tlbPte[slot]!]! |= ACCESS_BITS[access]!;
        this.hits++;
        this.tlb.setRecent(access, slot);
        return this.tlbFrameBase[slot]! + (virtual & this.offsetMask);
      }
    }
    return this.walk(addressSpace, address, virtual, page, access);
  }

  isReferenced(addressSpace: number, page: number): boolean {
    return (this.entryWord(addressSpace, page) & PTE_REFERENCED) !== 0;
  }

  isModified(addressSpace: number, page: number): boolean {
    return (this.entryWord(addressSpace, page) & PTE_MODIFIED) !== 0;
  }

  clearReferenced(addressSpace: number, page: number): void {
    this.clearBits(addressSpace, page, PTE_REFERENCED);
  }

  clearModified(addressSpace: number, page: number): void {
    this.clearBits(addressSpace, page, PTE_MODIFIED);
  }

  flushTlbPage(addressSpace: number, page: number): void {
    this.checkPage(addressSpace, page);
    this.tlb.invalidatePage(addressSpace, page);
    this.flushes++;
  }

  flushTlbAddressSpace(addressSpace: number): void {
    this.checkAddressSpace(addressSpace);
    this.tlb.invalidateAddressSpace(addressSpace);
    this.flushes++;
  }

  flushTlb(): void {
    this.tlb.invalidateAll();
    this.flushes++;
  }

  busFor(addressSpace: number, memory: PhysicalMemory): Bus {
    this.checkAddressSpace(addressSpace);
    if (memory.pageSize !== this.pageSize) {
      throw new ConfigurationError('memory.pageSize', `is ${memory.pageSize} bytes but the MMU pages are ${this.pageSize} bytes`);
    }
    if (memory.bytes.length < this.frameCount * this.pageSize) {
      throw new ConfigurationError(
        'memory.bytes',
        `holds ${memory.bytes.length} bytes, fewer than the ${this.frameCount} frames of ${this.pageSize} bytes the MMU can map`,
      );
    }
    return new MmuBus(this, addressSpace, memory.bytes);
  }

  /** The TLB miss path: walk the page table, check, set bits, refill the TLB. */
  private walk(addressSpace: number, address: number, virtual: number, page: number, access: AccessKind): number {
    this.misses++;
    const index = this.tables.find(addressSpace, page);
    const entry = index < 0 ? 0 : this.tables.entries[index]!;
    if ((entry & PTE_VALID) === 0) return this.recordFault(FaultCause.Unmapped, addressSpace, address, page, access);
    if ((entry & (1 << access)) === 0) return this.recordFault(FaultCause.Protection, addressSpace, address, page, access);
    if ((entry & PTE_PRESENT) === 0) return this.recordFault(FaultCause.NotPresent, addressSpace, address, page, access);
    this.tables.entries[index] = entry | (access === AccessKind.Write ? WRITE_BITS : PTE_REFERENCED);
    const frameBase = pteFrame(entry) * this.pageSize;
    this.tlb.setRecent(access, this.tlb.insert(addressSpace, page, frameBase, entry & PTE_PROTECTION, index));
    return frameBase + (virtual & this.offsetMask);
  }

  private recordFault(cause: FaultCause, addressSpace: number, address: number, page: number, access: AccessKind): number {
    const fault = this.fault;
    fault.cause = cause;
    fault.addressSpace = addressSpace;
    fault.address = address;
    fault.page = page;
    fault.access = access;
    return Translation.Fault;
  }

  private entryWord(addressSpace: number, page: number): number {
    this.checkPage(addressSpace, page);
    return this.tables.read(addressSpace, page);
  }

  private clearBits(addressSpace: number, page: number, bits: number): void {
    this.checkPage(addressSpace, page);
    const index = this.tables.find(addressSpace, page);
    if (index >= 0) this.tables.entries[index] = this.tables.entries[index]! & ~bits;
  }

  private checkAddressSpace(addressSpace: number): void {
    if (!this.tables.has(addressSpace)) throw new MappingError(addressSpace, -1, `address space ${addressSpace} does not exist`);
  }

  private checkPage(addressSpace: number, page: number): void {
    this.checkAddressSpace(addressSpace);
    if (!Number.isInteger(page) || page < 0 || page >= this.pagesPerAddressSpace) {
      throw new MappingError(addressSpace, page, `page ${String(page)} is outside 0..${this.pagesPerAddressSpace - 1}`);
    }
  }

  private checkRange(addressSpace: number, firstPage: number, count: number): void {
    this.checkPage(addressSpace, firstPage);
    if (!Number.isInteger(count) || count < 0 || firstPage + count > this.pagesPerAddressSpace) {
      throw new MappingError(addressSpace, firstPage, `${String(count)} pages from page ${firstPage} run past page ${this.pagesPerAddressSpace - 1}`);
    }
  }

  private checkProtection(addressSpace: number, page: number, protection: Protection): void {
    const bits: number = protection;
    if (!Number.isInteger(bits) || bits < 0 || bits > PTE_PROTECTION) {
      throw new MappingError(addressSpace, page, `protection ${String(protection)} is not a combination of Read, Write and Execute`);
    }
  }
}

/** Builds the pagelab MMU (the {@link MmuFactory} the kernel and the conformance suite use). */
export function createMmu(options: MmuOptions): PagedMmu {
  return new PagedMmu(options);
}

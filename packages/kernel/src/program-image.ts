import { PageSource, type PageContentSource, type Protection } from '@pagelab/contracts';

/** One loadable piece of a program: file bytes at a virtual address, zero-filled up to `memorySize`. */
export interface ImageSegment {
  /** Virtual address of the first byte. */
  readonly address: number;
  /** The bytes from the file (the rest, up to `memorySize`, is bss: zeros). */
  readonly bytes: Uint8Array;
  /** Size in memory (at least `bytes.length`). */
  readonly memorySize: number;
  /** What the pages allow. */
  readonly protection: Protection;
}

/** A program ready to be demand-paged: its segments and where it starts. */
export interface ProgramImage {
  /** Where execution begins. */
  readonly entry: number;
  /** Its loadable segments. */
  readonly segments: readonly ImageSegment[];
}

/**
 * Where a page's first contents come from: the program image for pages that hold file bytes,
 * zeros for everything else (bss, heap, stack). After its first eviction a page comes back
 * from swap; the pager keeps track of that.
 */
export class ProgramContents implements PageContentSource {
  private readonly images = new Map<number, ProgramImage>();

  constructor(private readonly pageSize: number) {}

  /** Registers the image of `addressSpace`. */
  attach(addressSpace: number, image: ProgramImage): void {
    this.images.set(addressSpace, image);
  }

  /** Forgets the image of a destroyed address space. */
  detach(addressSpace: number): void {
    this.images.delete(addressSpace);
  }

  initialSource(addressSpace: number, page: number): typeof PageSource.ZeroFill | typeof PageSource.ProgramImage {
    const image = this.images.get(addressSpace);
    if (image === undefined) return PageSource.ZeroFill;
    const start = page * this.pageSize;
    const end = start + this.pageSize;
    for (const s of image.segments) {
      if (s.bytes.length > 0 && s.address < end && s.address + s.bytes.length > start) return PageSource.ProgramImage;
    }
    return PageSource.ZeroFill;
  }

  readImagePage(addressSpace: number, page: number, into: Uint8Array): void {
    into.fill(0);
    const image = this.images.get(addressSpace);
    if (image === undefined) return;
    const start = page * this.pageSize;
    const end = start + this.pageSize;
    for (const s of image.segments) {
      const from = Math.max(start, s.address);
      const to = Math.min(end, s.address + s.bytes.length);
      if (from < to) into.set(s.bytes.subarray(from - s.address, to - s.address), from - start);
    }
  }
}

import type { AccessKind } from '@pagelab/contracts';

/**
 * The bounce pool's pages as the I/O services use them: pages `0 .. pages - 1`, each with a
 * frame while it is used. A pool wired at boot ({@link WiredBouncePool}) keeps its frames for
 * good; a pageable kernel's pool (`KernelPages.bouncePool`) holds a page only while a transfer
 * uses it, and otherwise lets the replacement policy evict it like any other kernel page.
 */
export interface BouncePool {
  /** How many pages the pool has. */
  readonly pages: number;
  /**
   * Makes `page` resident, for writing (the DMA or the copy-in fills it), and holds its frame
   * for a transfer: the DMA controller addresses it physically. Returns the frame.
   */
  hold(page: number): number;
  /** Lets `page` go once the transfer that held it has ended. */
  release(page: number): void;
  /** The frame of `page` for a copy now (`access`: the copy reads or writes the page). */
  frameFor(page: number, access: AccessKind): number;
}

/** A bounce pool of frames wired at boot: every page is always in its frame, and holding it changes nothing. */
export class WiredBouncePool implements BouncePool {
  constructor(private readonly frames: readonly number[]) {}

  get pages(): number {
    return this.frames.length;
  }
  hold(page: number): number {
    return this.frames[page]!;
  }
  release(): void {}
  frameFor(page: number): number {
    return this.frames[page]!;
  }
}

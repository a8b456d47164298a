import type { EventLog, FrameTable, PageOwner, PhysicalSegment } from '@pagelab/contracts';

/** The frames a transfer was programmed for, and who owned each at that moment. */
interface Programmed {
  readonly frames: Int32Array;
  readonly addressSpaces: Int32Array;
  readonly pages: Int32Array;
}

/**
 * The kernel's ground truth for DMA: when a transfer is programmed it notes who owns every
 * target frame; at every burst it checks that the frames written still have that owner. A
 * mismatch means the data landed over someone else's page (or a free frame): a corruption
 * event with the time, the frame, both owners and the bytes affected.
 */
export class OwnershipWatch {
  private readonly transfers = new Map<number, Programmed>();
  private corruptedBytes = 0;

  constructor(
    private readonly frames: FrameTable,
    private readonly pageSize: number,
    private readonly log: EventLog,
  ) {}

  /** Total bytes that landed in a frame no longer owned by their page. */
  get bytesCorrupted(): number {
    return this.corruptedBytes;
  }

  /** Records the owners of every frame `segments` touch, for the transfer with `tag`. */
  programmed(tag: number, segments: readonly PhysicalSegment[]): void {
    const touched: number[] = [];
    for (const { address, length } of segments) {
      if (length <= 0) continue;
      const last = Math.floor((address + length - 1) / this.pageSize);
      for (let frame = Math.floor(address / this.pageSize); frame <= last; frame++) {
        if (!touched.includes(frame)) touched.push(frame);
      }
    }
    const frames = Int32Array.from(touched);
    this.transfers.set(tag, {
      frames,
      addressSpaces: frames.map((f) => this.frames.ownerAddressSpace(f)),
      pages: frames.map((f) => this.frames.ownerPage(f)),
    });
  }

  /** Checks one burst of transfer `tag` that wrote `length` bytes at physical `address` at time `at`; returns the bytes that went astray. */
  burst(tag: number, address: number, length: number, at: number): number {
    const programmed = this.transfers.get(tag);
    if (programmed === undefined) throw new RangeError(`DMA burst for transfer ${tag}, which was never programmed`);
    let astray = 0;
    const end = address + length;
    for (let start = address; start < end; ) {
      const frame = Math.floor(start / this.pageSize);
      const stop = Math.min(end, (frame + 1) * this.pageSize);
      const index = programmed.frames.indexOf(frame);
      const intendedSpace = index < 0 ? -1 : programmed.addressSpaces[index]!;
      const intendedPage = index < 0 ? -1 : programmed.pages[index]!;
      const actualSpace = this.frames.ownerAddressSpace(frame);
      const actualPage = this.frames.ownerPage(frame);
      if (actualSpace !== intendedSpace || actualPage !== intendedPage) {
        const bytes = stop - start;
        astray += bytes;
        this.log.record({
          kind: 'corruption',
          at,
          frame,
          intended: { addressSpace: intendedSpace, page: intendedPage },
          actual: actualSpace < 0 ? null : ({ addressSpace: actualSpace, page: actualPage } satisfies PageOwner),
          bytes,
        });
      }
      start = stop;
    }
    this.corruptedBytes += astray;
    return astray;
  }

  /** Forgets a finished transfer. */
  finished(tag: number): void {
    this.transfers.delete(tag);
  }
}

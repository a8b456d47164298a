import type { IoCosts } from '@pagelab/contracts';

/** The running totals every strategy keeps: the columns of the comparison table. */
export class CostLedger implements IoCosts {
  bytesCopied = 0;
  copyCycles = 0;
  pinnedFrameCycles = 0;
  poolWaits = 0;
  quotaRefusals = 0;

  constructor(private readonly copyCyclesPerByte: number) {}

  /** Records a CPU copy of `bytes` bytes between a bounce buffer and user pages. */
  copied(bytes: number): void {
    this.bytesCopied += bytes;
    this.copyCycles += bytes * this.copyCyclesPerByte;
  }

  /** Records `frames` frames held pinned from `since` to `until`. */
  pinned(frames: number, since: number, until: number): void {
    this.pinnedFrameCycles += frames * Math.max(0, until - since);
  }

  /** A copy of the totals, safe to keep after the strategy goes on running. */
  snapshot(): IoCosts {
    const { bytesCopied, copyCycles, pinnedFrameCycles, poolWaits, quotaRefusals } = this;
    return { bytesCopied, copyCycles, pinnedFrameCycles, poolWaits, quotaRefusals };
  }
}

import { PinStatus, type PinReason, type PinRecord, type PinStats } from '@pagelab/contracts';

/** A pin still outstanding; its status changes when a hint is dropped. */
export interface OutstandingPin extends PinRecord {
  status: PinStatus;
}

/**
 * Every pin handle ever handed out: the outstanding ones in full (for the audit), the
 * released ones by frame only (so releasing a handle twice can name its frame), and the
 * counters that must balance at rest.
 */
export class PinLedger {
  /** Outstanding pins by id; a Map keeps them in the order they were taken. */
  readonly outstanding = new Map<number, OutstandingPin>();
  private frameOfPin = new Int32Array(64);
  private nextId = 1;
  acquired = 0;
  released = 0;
  refused = 0;
  ignored = 0;
  dropped = 0;

  /** Records a new handle and returns it. */
  open(frame: number, reason: PinReason, addressSpace: number, pinnedAt: number, counted: boolean, status: PinStatus): OutstandingPin {
    const id = this.nextId++;
    if (id >= this.frameOfPin.length) {
      const grown = new Int32Array(this.frameOfPin.length * 2);
      grown.set(this.frameOfPin);
      this.frameOfPin = grown;
    }
    this.frameOfPin[id] = frame;
    const pin: OutstandingPin = { id, frame, reason, addressSpace, pinnedAt, counted, status };
    this.outstanding.set(id, pin);
    this.acquired++;
    if (status === PinStatus.Ignored) this.ignored++;
    return pin;
  }

  /** Forgets an outstanding handle. */
  close(pin: OutstandingPin): void {
    this.outstanding.delete(pin.id);
    this.released++;
  }

  /** True when `id` was handed out at some point. */
  wasIssued(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id < this.nextId;
  }

  /** The frame an issued handle pinned. */
  frameOf(id: number): number {
    return this.frameOfPin[id]!;
  }

  stats(): PinStats {
    return { acquired: this.acquired, released: this.released, refused: this.refused, ignored: this.ignored, dropped: this.dropped };
  }
}

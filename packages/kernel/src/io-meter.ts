/**
 * What the kernel measured of the I/O it carried out, at the services it provides and the
 * frame table it owns: the figures an I/O strategy comparison is made of. None of them is
 * taken from the strategy being compared.
 */
export interface IoMeasurements {
  /** Bytes the kernel copied between bounce frames and user pages. */
  readonly bytesCopied: number;
  /** Simulated cycles those copies were charged. */
  readonly copyCycles: number;
  /** Pins the frame table handed out for transfers (one per frame per transfer). */
  readonly dmaPins: number;
  /** Of those, pins the frame table accepted only as hints and ignored: they never held their frame. */
  readonly dmaPinsIgnored: number;
  /**
   * Sum over transfer pins of the cycles each held its frame as the frame table recorded it:
   * from the pin to its release, or to the moment the frame table dropped it under memory
   * pressure; an ignored pin held nothing.
   */
  readonly pinnedFrameCycles: number;
  /** Requests that found the bounce pool too full and had to wait. */
  readonly poolWaits: number;
  /** Pin requests for a transfer that the lock quota refused. */
  readonly quotaRefusals: number;
  /** Requests too large for the bounce pool, carried out in pieces. */
  readonly splitRequests: number;
  /** Pieces issued for those requests. */
  readonly pieces: number;
}

/** The kernel's running I/O counters. */
export class IoMeter implements IoMeasurements {
  bytesCopied = 0;
  copyCycles = 0;
  dmaPins = 0;
  dmaPinsIgnored = 0;
  pinnedFrameCycles = 0;
  poolWaits = 0;
  quotaRefusals = 0;
  splitRequests = 0;
  pieces = 0;

  /** A copy of the counters, safe to keep while the system runs on. */
  snapshot(): IoMeasurements {
    return { ...this };
  }
}

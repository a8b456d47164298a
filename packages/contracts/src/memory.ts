/**
 * Physical memory: the machine's RAM, cut into frames of one page each.
 *
 * It is a single byte array so that every party that touches RAM sees the same bytes: the
 * CPU through the MMU (virtual addresses, translated), and DMA directly by physical address.
 * Frame `f` occupies bytes `f * pageSize` to `(f + 1) * pageSize - 1`.
 */
export interface PhysicalMemory {
  /** All of RAM, `frameCount * pageSize` bytes long. Physical address `a` is `bytes[a]`. */
  readonly bytes: Uint8Array;
  /** How many frames RAM holds. */
  readonly frameCount: number;
  /** The size in bytes of one frame (and of one virtual page): a power of two. */
  readonly pageSize: number;
}

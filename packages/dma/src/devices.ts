import { ConfigurationError, type ByteSource, type DmaDevice } from '@pagelab/contracts';

/** Timing of a {@link DiskDevice}, in cycles. */
export interface DiskTiming {
  /** Fixed cost of every request (controller overhead and rotational delay). */
  readonly requestCycles: number;
  /** Seek cost per byte of head travel from the previous request's end (a linear seek model). */
  readonly seekCyclesPerByte: number;
  /** Transfer cost per byte once the head is in place. */
  readonly cyclesPerByte: number;
}

const defaultDiskTiming: DiskTiming = { requestCycles: 20_000, seekCyclesPerByte: 0.01, cyclesPerByte: 2 };

/**
 * A disk (or a file on one) backed by a byte array: random access, with a seek cost that grows
 * with the distance the head travels from where the last request ended. A growable device
 * extends when written past its end, as a file does.
 */
export class DiskDevice implements DmaDevice {
  readonly kind = 'disk' as const;
  readonly cyclesPerByte: number;
  private readonly timing: DiskTiming;
  private readonly growable: boolean;
  private data: Uint8Array;
  private length: number;
  private head = 0;

  /**
   * @param name a name for logs (`disk0`)
   * @param contents the device's bytes (used in place: writes change this array until it grows)
   * @param options timing, and whether writes past the end extend the device (default: not)
   */
  constructor(readonly name: string, contents: Uint8Array, options: Partial<DiskTiming> & { readonly growable?: boolean } = {}) {
    const { growable = false, ...timing } = options;
    this.timing = { ...defaultDiskTiming, ...timing };
    for (const [field, value] of Object.entries(this.timing)) {
      if (!Number.isFinite(value) || value < 0) {
        throw new ConfigurationError(`disk.${field}`, `must be a non-negative number of cycles, got ${String(value)}`);
      }
    }
    this.cyclesPerByte = this.timing.cyclesPerByte;
    this.growable = growable;
    this.data = contents;
    this.length = contents.length;
  }

  /** The device's size in bytes. */
  get size(): number {
    return this.length;
  }

  /** The device's current bytes (a view: copy it to keep it). */
  get contents(): Uint8Array {
    return this.data.subarray(0, this.length);
  }

  /** Cuts a growable device to zero bytes (`O_TRUNC`). */
  truncate(): void {
    if (!this.growable) throw new ConfigurationError(`disk ${this.name}`, 'a fixed-size device cannot be truncated');
    this.length = 0;
  }

  accessLatency(offset: number, length: number): number {
    const seek = Math.abs(offset - this.head) * this.timing.seekCyclesPerByte;
    this.head = Math.min(offset + length, Math.max(this.length, offset + length));
    return Math.ceil(this.timing.requestCycles + seek);
  }

  readFrom(offset: number, into: Uint8Array): number {
    if (offset >= this.length) return 0;
    const bytes = this.data.subarray(offset, Math.min(offset + into.length, this.length));
    into.set(bytes);
    return bytes.length;
  }

  writeTo(offset: number, bytes: Uint8Array): number {
    const end = offset + bytes.length;
    if (end > this.data.length && this.growable) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    if (offset > this.length && this.growable) this.data.fill(0, this.length, offset);
    const limit = this.growable ? end : Math.min(end, this.data.length);
    if (offset >= limit) return 0;
    const length = limit - offset;
    this.data.set(bytes.subarray(0, length), offset);
    if (limit > this.length) this.length = limit;
    return length;
  }
}

/**
 * A stream device like a terminal or a pipe: input bytes are delivered once, in order, and
 * offsets are ignored; output bytes are appended to `output`.
 */
export class StreamDevice implements DmaDevice {
  readonly kind = 'stream' as const;
  private readonly input: ByteSource;
  private readonly written: Uint8Array[] = [];

  /**
   * @param name a name for logs (`stdin`)
   * @param input the bytes the stream delivers before end of file: all of them, or a source
   *   pulled one DMA burst at a time (so only a burst's worth is ever in host memory)
   * @param cyclesPerByte transfer time per byte
   * @param latency cycles before the first byte of each request
   */
  constructor(
    readonly name: string,
    input: Uint8Array | ByteSource = new Uint8Array(0),
    readonly cyclesPerByte = 4,
    private readonly latency = 1_000,
  ) {
    this.input = input instanceof Uint8Array ? bytesSource(input) : input;
  }

  /** Everything written to the stream so far, in order. */
  get output(): Uint8Array {
    const total = this.written.reduce((n, chunk) => n + chunk.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.written) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  accessLatency(): number {
    return this.latency;
  }

  readFrom(_offset: number, into: Uint8Array): number {
    return this.input.read(into);
  }

  writeTo(_offset: number, bytes: Uint8Array): number {
    this.written.push(bytes.slice());
    return bytes.length;
  }
}

/** A source that delivers `bytes` once, in order. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  let position = 0;
  return {
    read(into) {
      const length = Math.min(into.length, bytes.length - position);
      into.set(bytes.subarray(position, position + length));
      position += length;
      return length;
    },
  };
}

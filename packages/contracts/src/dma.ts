import type { SeamVersion } from './seams.js';
/**
 * DMA: a controller that moves bytes between a device and physical memory by itself, in
 * bursts over simulated time. It works on physical addresses and knows nothing of pages,
 * owners or locks: that ignorance is exactly why a frame stolen mid-transfer gets corrupted.
 */

/** A run of contiguous physical memory that one part of a transfer reads or writes. */
export interface PhysicalSegment {
  /** The physical byte address where the segment starts. */
  readonly address: number;
  /** The segment's length in bytes. */
  readonly length: number;
}

/** Which way the bytes of a transfer move. */
export const enum TransferDirection {
  /** Device to memory: a read system call. */
  DeviceToMemory = 0,
  /** Memory to device: a write system call. */
  MemoryToDevice = 1,
}

/**
 * A device a DMA channel can move data to or from: a disk backed by bytes or a file, or a
 * stream (stdin-like, no seeking).
 */
export interface DmaDevice {
  /** A name for logs and errors (`disk0`, `stdin`). */
  readonly name: string;
  /** `disk` supports offsets; `stream` ignores them and delivers bytes in order. */
  readonly kind: 'disk' | 'stream';
  /** Cycles before the first byte of a request moves (a disk's seek and rotation; 0 for a stream). */
  accessLatency(offset: number, length: number): number;
  /** Cycles per byte once the transfer is under way. */
  readonly cyclesPerByte: number;
  /**
   * Copies up to `into.length` device bytes starting at `offset` into `into`, and returns
   * how many it copied (fewer at end of file or end of stream; 0 means end).
   */
  readFrom(offset: number, into: Uint8Array): number;
  /** Stores `bytes` at `offset` (ignored offset for a stream); returns how many were accepted. */
  writeTo(offset: number, bytes: Uint8Array): number;
}

/** What a caller asks a DMA controller to do. */
export interface TransferRequest {
  /** The device at the other end. */
  readonly device: DmaDevice;
  /** Which way the bytes move. */
  readonly direction: TransferDirection;
  /** Where on the device the transfer starts (disks only). */
  readonly deviceOffset: number;
  /** The physical memory the transfer covers, in order (scatter-gather). */
  readonly segments: readonly PhysicalSegment[];
  /** An opaque number the caller uses to find its own bookkeeping on completion. */
  readonly tag: number;
}

/** A transfer the controller has accepted. */
export interface Transfer {
  /** A number unique for the life of the controller. */
  readonly id: number;
  /** The channel that carries it. */
  readonly channel: number;
  /** The request it serves. */
  readonly request: TransferRequest;
  /** Bytes moved so far. */
  readonly bytesDone: number;
  /** Simulated time at which it was accepted. */
  readonly startedAt: number;
}

/**
 * Told about each burst as it lands and about each transfer's end. The kernel listens here
 * to check, burst by burst, that the target frame still belongs to the page the transfer was
 * programmed for (the ground truth for corruption).
 */
export interface TransferListener {
  /** A burst of `length` bytes was written to (or read from) physical memory at `address`, at time `at`. */
  burst(transfer: Transfer, address: number, length: number, at: number): void;
  /** The transfer finished (the completion interrupt); `bytes` is the total moved. */
  complete(transfer: Transfer, bytes: number, at: number): void;
}

/** A DMA controller with a fixed number of channels. */
export interface DmaController {
  /** The `dma` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'dma'>;
  /** How many transfers can run at once. */
  readonly channelCount: number;
  /** How many channels are busy now. */
  readonly busyChannels: number;
  /**
   * Starts a transfer on a free channel, or queues it until one frees. Bursts and the
   * completion are scheduled on the system's event queue.
   */
  submit(request: TransferRequest): Transfer;
  /** Total bytes moved by all transfers so far. */
  readonly bytesMoved: number;
}

import type { SeamVersion } from './seams.js';
import type { PhysicalSegment, TransferDirection, DmaDevice } from './dma.js';

/** The names of pagelab's built-in I/O buffer strategies (a lab's strategy reports under its own name). */
export type IoStrategyName = 'pin' | 'bounce' | 'unprotected' | 'hybrid';

/** A buffer in a process's address space that a read or write system call names. */
export interface UserBuffer {
  /** The address space the buffer lives in. */
  readonly addressSpace: number;
  /** Its first virtual address. */
  readonly address: number;
  /** Its length in bytes. */
  readonly length: number;
}

/** One read or write system call as the kernel hands it to an I/O buffer strategy. */
export interface IoRequest {
  /** The user's buffer. */
  readonly buffer: UserBuffer;
  /** Which way the bytes move. */
  readonly direction: TransferDirection;
  /** The device. */
  readonly device: DmaDevice;
  /** Where on the device (disks only). */
  readonly deviceOffset: number;
}

/**
 * What the kernel lets a strategy do. A strategy never touches the MMU, the frame table or
 * the DMA controller directly: it goes through these, so it can be swapped without touching
 * anything else.
 */
export interface IoServices {
  /**
   * Makes every page of `buffer` resident (faulting them in as needed) and returns the
   * physical segments that cover it now, page by page. `direction` says what the transfer
   * will do to the pages: `DeviceToMemory` writes them (they must be writable, and become
   * modified), `MemoryToDevice` only reads them. Returns null if the buffer is not entirely
   * inside the address space, or the pages do not allow that access (the system call then
   * fails with EFAULT).
   */
  residentSegments(buffer: UserBuffer, direction: TransferDirection): readonly PhysicalSegment[] | null;
  /**
   * Pins the frames under `segments` for DMA. Returns a pin-set id to release later, or null
   * if the lock quota refused (hybrid falls back to bouncing then).
   */
  pinForTransfer(segments: readonly PhysicalSegment[], addressSpace: number): number | null;
  /** Releases a pin set returned by `pinForTransfer`. */
  releasePins(pinSet: number): void;
  /**
   * Takes `length` bytes of kernel-wired bounce buffer, or null when the pool is full. The
   * segments are physical and never belong to a user page.
   */
  allocateBounce(length: number): { readonly id: number; readonly segments: readonly PhysicalSegment[] } | null;
  /** Returns bounce buffer `id` to the pool. */
  freeBounce(id: number): void;
  /**
   * Copies between a bounce buffer and the user's buffer in the process's context (the copy
   * may itself fault pages in); charges the copy to the clock. Returns the bytes copied.
   */
  copyBounce(id: number, buffer: UserBuffer, direction: TransferDirection, length: number): number;
}

/**
 * How a strategy wants a request carried out: the physical segments to give the DMA
 * controller, or a reason the request must wait or fail.
 */
export type IoPlan =
  | { readonly kind: 'transfer'; readonly segments: readonly PhysicalSegment[]; readonly token: number }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'fail'; readonly errno: number; readonly reason: string };

/** What a strategy has cost so far, the columns of the comparison table. */
export interface IoCosts {
  /** Bytes copied between bounce buffers and user pages. */
  readonly bytesCopied: number;
  /** Simulated cycles spent copying. */
  readonly copyCycles: number;
  /** Sum over pinned frames of the cycles each was held pinned. */
  readonly pinnedFrameCycles: number;
  /** Requests that had to wait for the bounce pool. */
  readonly poolWaits: number;
  /** Pin requests the lock quota refused. */
  readonly quotaRefusals: number;
}

/**
 * An I/O buffer strategy: decides how the buffer of a read or write system call meets the
 * DMA controller (pin the user's frames, bounce through kernel buffers, or neither).
 */
export interface IoBufferStrategy {
  /** The `io-strategy` specification version this implementation was written against (see `seamSpecificationVersions`). */
  readonly specificationVersion: SeamVersion<'io-strategy'>;
  /** The strategy's name for reports: a built-in `IoStrategyName`, or a lab's own. */
  readonly name: string;
  /** Prepares a request before the DMA starts (for writes, bounce strategies copy out here). */
  begin(request: IoRequest, services: IoServices, now: number): IoPlan;
  /**
   * Finishes a request after the DMA completion interrupt (for reads, bounce strategies copy
   * in here; pin strategies unpin). Returns the bytes delivered to the user.
   */
  finish(request: IoRequest, token: number, bytes: number, services: IoServices, now: number): number;
  /** What it has cost so far. */
  readonly costs: IoCosts;
}

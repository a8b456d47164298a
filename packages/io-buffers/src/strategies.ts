import {
  ConfigurationError,
  Errno,
  TransferDirection,
  type IoBufferStrategy,
  type IoCosts,
  type IoPlan,
  type IoRequest,
  type IoServices,
  type IoStrategyName,
  type PhysicalSegment,
} from '@pagelab/contracts';
import { CostLedger } from './cost-ledger.js';

/** Options shared by the strategies. */
export interface IoStrategyOptions {
  /** CPU cycles per byte copied between a bounce buffer and user pages (the cost model's `copyPerByte`). */
  readonly copyCyclesPerByte: number;
  /** What a bounce request does when the pool is full: wait for a buffer (default) or fail with ENOBUFS, like swiotlb's "full". */
  readonly whenPoolFull?: 'wait' | 'fail';
}

/** What a request in flight holds, found again by its token at completion. */
type Held =
  | { readonly kind: 'pins'; readonly pinSet: number; readonly frames: number; readonly since: number }
  | { readonly kind: 'bounce'; readonly bufferId: number }
  | { readonly kind: 'split'; readonly pinSet: number; readonly frames: number; readonly since: number; readonly bufferId: number; readonly pinnedBytes: number }
  | { readonly kind: 'nothing' };

/**
 * The common skeleton: a strategy decides what to hold for a request; the base keeps the
 * tokens, the cost ledger, and releases what was held at completion.
 */
abstract class HoldingStrategy implements IoBufferStrategy {
  readonly specificationVersion = 1;
  abstract readonly name: IoStrategyName;
  protected readonly ledger: CostLedger;
  protected readonly whenPoolFull: 'wait' | 'fail';
  private readonly held = new Map<number, Held>();
  private nextToken = 1;

  constructor(options: IoStrategyOptions) {
    this.ledger = new CostLedger(options.copyCyclesPerByte);
    this.whenPoolFull = options.whenPoolFull ?? 'wait';
  }

  get costs(): IoCosts {
    return this.ledger.snapshot();
  }

  /** Requests in flight (begun and not finished): zero at rest. */
  get outstanding(): number {
    return this.held.size;
  }

  abstract begin(request: IoRequest, services: IoServices, now: number): IoPlan;

  finish(request: IoRequest, token: number, bytes: number, services: IoServices, now: number): number {
    const held = this.held.get(token);
    if (held === undefined) throw new RangeError(`${this.name}: unknown I/O token ${token} (finished twice?)`);
    this.held.delete(token);
    switch (held.kind) {
      case 'pins':
        services.releasePins(held.pinSet);
        this.ledger.pinned(held.frames, held.since, now);
        return bytes;
      case 'bounce': {
        let delivered = bytes;
        if (request.direction === TransferDirection.DeviceToMemory) {
          delivered = services.copyBounce(held.bufferId, request.buffer, TransferDirection.DeviceToMemory, bytes);
          this.ledger.copied(delivered);
        }
        services.freeBounce(held.bufferId);
        return delivered;
      }
      case 'split': {
        services.releasePins(held.pinSet);
        this.ledger.pinned(held.frames, held.since, now);
        const tail = { ...request.buffer, address: request.buffer.address + held.pinnedBytes, length: request.buffer.length - held.pinnedBytes };
        const tailBytes = Math.max(0, bytes - held.pinnedBytes);
        if (request.direction === TransferDirection.DeviceToMemory && tailBytes > 0) {
          this.ledger.copied(services.copyBounce(held.bufferId, tail, TransferDirection.DeviceToMemory, tailBytes));
        }
        services.freeBounce(held.bufferId);
        return bytes;
      }
      case 'nothing':
        return bytes;
    }
  }

  /** Hands `segments` to the DMA under a new token that remembers what the request holds. */
  protected transfer(segments: readonly PhysicalSegment[], held: Held): IoPlan {
    const token = this.nextToken++;
    this.held.set(token, held);
    return { kind: 'transfer', segments, token };
  }

  /** Pins the buffer's frames; null when the quota refused (counted). */
  protected tryPin(request: IoRequest, services: IoServices, now: number): IoPlan | 'refused' {
    const segments = services.residentSegments(request.buffer, request.direction);
    if (segments === null) return badBuffer(request);
    const pinSet = services.pinForTransfer(segments, request.buffer.addressSpace);
    if (pinSet === null) {
      this.ledger.quotaRefusals++;
      return 'refused';
    }
    return this.transfer(segments, { kind: 'pins', pinSet, frames: segments.length, since: now });
  }

  /** Counts a full pool and says what to do about it: wait for a buffer, or fail with ENOBUFS. */
  protected poolFull(request: IoRequest): IoPlan {
    this.ledger.poolWaits++;
    return this.whenPoolFull === 'wait'
      ? { kind: 'wait', reason: `bounce pool has no room for ${request.buffer.length} bytes` }
      : { kind: 'fail', errno: Errno.ENOBUFS, reason: `bounce pool full (${request.buffer.length} bytes asked)` };
  }

  /** Takes a bounce buffer (copying the user's bytes into it for a write). */
  protected tryBounce(request: IoRequest, services: IoServices): IoPlan {
    if (services.residentSegments(request.buffer, request.direction) === null) return badBuffer(request);
    const bounce = services.allocateBounce(request.buffer.length);
    if (bounce === null) return this.poolFull(request);
    if (request.direction === TransferDirection.MemoryToDevice) {
      this.ledger.copied(services.copyBounce(bounce.id, request.buffer, TransferDirection.MemoryToDevice, request.buffer.length));
    }
    return this.transfer(bounce.segments, { kind: 'bounce', bufferId: bounce.id });
  }
}

function badBuffer(request: IoRequest): IoPlan {
  const { address, length } = request.buffer;
  return { kind: 'fail', errno: Errno.EFAULT, reason: `buffer 0x${address.toString(16)}+${length} is outside the address space` };
}

/** Fault the buffer in, pin its frames for the transfer, unpin on completion. A quota refusal fails the call with ENOMEM. */
export class PinStrategy extends HoldingStrategy {
  readonly name = 'pin' as const;

  begin(request: IoRequest, services: IoServices, now: number): IoPlan {
    const plan = this.tryPin(request, services, now);
    return plan === 'refused' ? { kind: 'fail', errno: Errno.ENOMEM, reason: 'lock quota refused the buffer pins' } : plan;
  }
}

/** DMA into kernel-wired bounce buffers, then copy to the user's pages in the process's context. */
export class BounceStrategy extends HoldingStrategy {
  readonly name = 'bounce' as const;

  begin(request: IoRequest, services: IoServices): IoPlan {
    return this.tryBounce(request, services);
  }
}

/** Translate once and let the DMA run with nothing held: the race the seeds describe. */
export class UnprotectedStrategy extends HoldingStrategy {
  readonly name = 'unprotected' as const;

  begin(request: IoRequest, services: IoServices): IoPlan {
    const segments = services.residentSegments(request.buffer, request.direction);
    if (segments === null) return badBuffer(request);
    return this.transfer(segments, { kind: 'nothing' });
  }
}

/**
 * Pin up to the lock quota and bounce what the quota refuses, as applications do when a
 * memory-lock limit is hit: the longest prefix of the buffer's pages the quota allows is
 * pinned and DMA'd in place, the rest goes through a bounce buffer and is copied.
 */
export class HybridStrategy extends HoldingStrategy {
  readonly name = 'hybrid' as const;

  begin(request: IoRequest, services: IoServices, now: number): IoPlan {
    const plan = this.tryPin(request, services, now);
    if (plan !== 'refused') return plan;
    const segments = services.residentSegments(request.buffer, request.direction);
    if (segments === null) return badBuffer(request);
    for (let pages = segments.length - 1; pages >= 1; pages--) {
      const pinned = segments.slice(0, pages);
      const pinSet = services.pinForTransfer(pinned, request.buffer.addressSpace);
      if (pinSet === null) continue;
      const pinnedBytes = pinned.reduce((n, s) => n + s.length, 0);
      const tail = { ...request.buffer, address: request.buffer.address + pinnedBytes, length: request.buffer.length - pinnedBytes };
      const bounce = services.allocateBounce(tail.length);
      if (bounce === null) {
        services.releasePins(pinSet);
        return this.poolFull(request);
      }
      if (request.direction === TransferDirection.MemoryToDevice) {
        this.ledger.copied(services.copyBounce(bounce.id, tail, TransferDirection.MemoryToDevice, tail.length));
      }
      return this.transfer(
        [...pinned, ...bounce.segments],
        { kind: 'split', pinSet, frames: pages, since: now, bufferId: bounce.id, pinnedBytes },
      );
    }
    return this.tryBounce(request, services);
  }
}

/** Builds the strategy named `name`. */
export function createIoStrategy(name: IoStrategyName, options: IoStrategyOptions): IoBufferStrategy & { readonly outstanding: number } {
  switch (name) {
    case 'pin':
      return new PinStrategy(options);
    case 'bounce':
      return new BounceStrategy(options);
    case 'unprotected':
      return new UnprotectedStrategy(options);
    case 'hybrid':
      return new HybridStrategy(options);
    default:
      throw new ConfigurationError('io', `unknown I/O strategy '${String(name)}': expected pin, bounce, unprotected or hybrid`);
  }
}

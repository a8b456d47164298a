import { describe, expect, it } from 'vitest';
import {
  TransferDirection,
  type IoBufferStrategy,
  type IoCosts,
  type IoPlan,
  type IoRequest,
  type IoServices,
} from '@pagelab/contracts';
import { auditIoCosts, costDisagreements, describeIoBufferStrategyConformance } from './io-buffers.js';

/**
 * A plain bounce strategy written against the contract alone, the way a lab might: it keeps
 * its own books honestly, so the suite is seen to pass on code that is not pagelab's.
 */
class LabBounce implements IoBufferStrategy {
  readonly name = 'lab-bounce';
  readonly specificationVersion = 1;
  protected readonly books = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  private readonly buffers = new Map<number, number>();
  private nextToken = 1;

  get costs(): IoCosts {
    return { ...this.books };
  }

  begin(request: IoRequest, services: IoServices): IoPlan {
    if (!services.checkRange(request.buffer, request.direction)) return { kind: 'fail', errno: 14, reason: 'bad buffer' };
    if (request.buffer.length > services.bouncePoolBytes) return { kind: 'split', pieceBytes: services.bouncePoolBytes, reason: 'bigger than the pool' };
    const bounce = services.allocateBounce(request.buffer.length);
    if (bounce === null) {
      this.books.poolWaits++;
      return { kind: 'wait', reason: 'pool full' };
    }
    if (request.direction === TransferDirection.MemoryToDevice) {
      this.charge(services.copyBounce(bounce.id, request.buffer, request.direction, request.buffer.length));
    }
    const token = this.nextToken++;
    this.buffers.set(token, bounce.id);
    return { kind: 'transfer', segments: bounce.segments, token };
  }

  finish(request: IoRequest, token: number, bytes: number, services: IoServices): number {
    const id = this.buffers.get(token)!;
    this.buffers.delete(token);
    if (request.direction === TransferDirection.DeviceToMemory) this.charge(services.copyBounce(id, request.buffer, request.direction, bytes));
    services.freeBounce(id);
    return bytes;
  }

  protected charge(bytes: number): void {
    this.books.bytesCopied += bytes;
    this.books.copyCycles += 3 * bytes;
  }
}

/** The same strategy, copying every byte but saying it copied none. */
class LyingBounce extends LabBounce {
  protected override charge(): void {}
}

describeIoBufferStrategyConformance('a lab bounce strategy', () => new LabBounce());

describe('the cost audit catches a strategy that misreports', () => {
  it('finds a strategy that copies while reporting zeros', () => {
    const audit = auditIoCosts(() => new LyingBounce());
    expect(audit.claimed.bytesCopied).toBe(0);
    expect(audit.seen.bytesCopied).toBe(256 + 900 + 600 + 2000 + 1500);
    expect(costDisagreements(audit)).toEqual([
      `bytesCopied: claims 0, copied ${256 + 900 + 600 + 2000 + 1500}`,
      `copyCycles: claims 0 for ${256 + 900 + 600 + 2000 + 1500} bytes copied`,
    ]);
  });

  it('passes the honest one it was derived from', () => {
    expect(costDisagreements(auditIoCosts(() => new LabBounce()))).toEqual([]);
  });
});

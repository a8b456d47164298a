// @ts-check
import { Errno, TransferDirection } from '@pagelab/contracts';

/**
 * Your I/O buffer strategy. It starts as bounce: every transfer goes through a kernel bounce
 * buffer, and the bytes are copied to or from the user's pages in the process's context. The
 * DMA never touches a user frame, so a replacement policy can steal any of them safely: no
 * corruption, but every byte is paid for twice (`npm run experiment` shows the copy cost next
 * to hybrid and pin). Make it cheaper without a single corruption.
 *
 * The kernel hands you `services` (see IoServices in @pagelab/contracts): pin frames for a
 * transfer, take and free bounce buffers, copy. It measures what you do there itself.
 *
 * @type {import('@pagelab/contracts').IoStrategyFactory}
 */
export default function createIoStrategy(options) {
  /** Bounce buffer of each transfer in flight, by the token the plan handed the kernel. */
  const inFlight = new Map();
  let nextToken = 1;
  const costs = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  const copied = (bytes) => {
    costs.bytesCopied += bytes;
    costs.copyCycles += bytes * options.copyCyclesPerByte;
  };

  return {
    name: 'my-io',
    specificationVersion: 1,
    get costs() {
      return { ...costs };
    },
    begin(request, services) {
      const { buffer, direction } = request;
      if (!services.checkRange(buffer, direction)) {
        return { kind: 'fail', errno: Errno.EFAULT, reason: `buffer 0x${buffer.address.toString(16)}+${buffer.length} is outside the address space` };
      }
      if (buffer.length > services.bouncePoolBytes) {
        if (services.bouncePoolBytes < 1) return { kind: 'fail', errno: Errno.ENOBUFS, reason: 'there is no bounce pool' };
        return { kind: 'split', pieceBytes: services.bouncePoolBytes, reason: 'larger than the bounce pool' };
      }
      const bounce = services.allocateBounce(buffer.length);
      if (bounce === null) {
        costs.poolWaits++;
        return options.whenPoolFull === 'wait' ? { kind: 'wait', reason: 'bounce pool full' } : { kind: 'fail', errno: Errno.ENOBUFS, reason: 'bounce pool full' };
      }
      if (direction === TransferDirection.MemoryToDevice) copied(services.copyBounce(bounce.id, buffer, direction, buffer.length));
      const token = nextToken++;
      inFlight.set(token, bounce.id);
      return { kind: 'transfer', segments: bounce.segments, token };
    },
    finish(request, token, bytes, services) {
      const bounceId = inFlight.get(token);
      if (bounceId === undefined) throw new RangeError(`my-io: unknown I/O token ${token}`);
      inFlight.delete(token);
      let delivered = bytes;
      if (request.direction === TransferDirection.DeviceToMemory) {
        delivered = services.copyBounce(bounceId, request.buffer, request.direction, bytes);
        copied(delivered);
      }
      services.freeBounce(bounceId);
      return delivered;
    },
  };
}

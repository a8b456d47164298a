// An I/O buffer strategy as a lab writes one: plain JavaScript against the published
// `io-strategy` seam (@pagelab/contracts, IoStrategyFactory), no import of pagelab. It pins the
// buffer's frames from the start of each transfer to its completion, and refuses with ENOMEM
// when the lock quota says no. Run it beside the built-ins:
//   pagelab compare dma-vs-replacement --part io-strategy=./docs/experiments/parts/pin-for-transfer.mjs --io hybrid,unprotected
const EFAULT = 14;
const ENOMEM = 12;

export default function pinForTransfer() {
  const held = new Map();
  let nextToken = 1;
  const costs = { bytesCopied: 0, copyCycles: 0, pinnedFrameCycles: 0, poolWaits: 0, quotaRefusals: 0 };
  return {
    specificationVersion: 1,
    name: 'pin-for-transfer',
    costs,
    begin(request, services, now) {
      const segments = services.residentSegments(request.buffer, request.direction);
      if (segments === null) return { kind: 'fail', errno: EFAULT, reason: 'the buffer is not mapped' };
      const pins = services.pinForTransfer(segments, request.buffer.addressSpace);
      if (pins === null) {
        costs.quotaRefusals++;
        return { kind: 'fail', errno: ENOMEM, reason: 'over the lock quota' };
      }
      const token = nextToken++;
      held.set(token, { pins, frames: segments.length, since: now });
      return { kind: 'transfer', segments, token };
    },
    finish(request, token, bytes, services, now) {
      const transfer = held.get(token);
      held.delete(token);
      services.releasePins(transfer.pins);
      costs.pinnedFrameCycles += transfer.frames * (now - transfer.since);
      return bytes;
    },
  };
}

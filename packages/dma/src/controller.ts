import {
  ConfigurationError,
  TransferDirection,
  type DmaController,
  type EventQueue,
  type ScheduledEvent,
  type SimulatedClock,
  type Transfer,
  type TransferListener,
  type TransferRequest,
} from '@pagelab/contracts';

/** How a {@link BurstDmaController} is attached to the machine. */
export interface DmaControllerOptions {
  /** Physical memory, written and read directly by physical address. */
  readonly memory: Uint8Array;
  /** The system's simulated clock (read for the current time). */
  readonly clock: SimulatedClock;
  /** The system's event queue: bursts and completions are scheduled on it. */
  readonly events: EventQueue;
  /** Told about every burst and every completion. */
  readonly listener: TransferListener;
  /** How many transfers can run at once (default 1). */
  readonly channels?: number;
  /** Bytes moved per burst (default 64). */
  readonly burstBytes?: number;
  /** Minimum cycles between two bursts of one channel (default 16). */
  readonly burstInterval?: number;
}

/**
 * A transfer in flight: where it stands in its segment list, and its next step on the event
 * queue (a burst, or its completion). A transfer has one step pending at a time, so the
 * transfer itself is what is scheduled, again at each burst: a burst allocates no event.
 */
class ActiveTransfer implements Transfer, ScheduledEvent {
  bytesDone = 0;
  segmentIndex = 0;
  segmentOffset = 0;
  deviceOffset: number;
  /** When its next step fires. */
  at = 0;
  /** Whether that step is the completion rather than a burst. */
  completes = false;

  constructor(
    readonly id: number,
    public channel: number,
    readonly request: TransferRequest,
    readonly startedAt: number,
    private readonly engine: BurstEngine,
  ) {
    this.deviceOffset = request.deviceOffset;
  }

  fire(): void {
    if (this.completes) this.engine.complete(this, this.at);
    else this.engine.burst(this, this.at);
  }
}

/** The controller's state and its steps (the controller's API is {@link BurstDmaController}). */
class BurstEngine {
  readonly channelBusy: boolean[];
  readonly waiting: ActiveTransfer[] = [];
  nextId = 1;
  moved = 0;
  busy = 0;

  constructor(
    private readonly memory: Uint8Array,
    private readonly clock: SimulatedClock,
    private readonly events: EventQueue,
    private readonly listener: TransferListener,
    private readonly burstBytes: number,
    private readonly burstInterval: number,
    channels: number,
  ) {
    this.channelBusy = new Array<boolean>(channels).fill(false);
  }

  submit(request: TransferRequest): Transfer {
    for (const segment of request.segments) {
      if (segment.address < 0 || segment.length < 0 || segment.address + segment.length > this.memory.length) {
        throw new ConfigurationError(
          'transfer.segments',
          `segment [0x${segment.address.toString(16)}, +${segment.length}) lies outside physical memory of ${this.memory.length} bytes`,
        );
      }
    }
    const transfer = new ActiveTransfer(this.nextId++, -1, request, this.clock.now, this);
    const channel = this.channelBusy.indexOf(false);
    if (channel < 0) {
      this.waiting.push(transfer);
    } else {
      this.start(transfer, channel, this.clock.now);
    }
    return transfer;
  }

  private start(transfer: ActiveTransfer, channel: number, now: number): void {
    transfer.channel = channel;
    this.channelBusy[channel] = true;
    this.busy++;
    const total = transfer.request.segments.reduce((sum, s) => sum + s.length, 0);
    const firstAt = now + transfer.request.device.accessLatency(transfer.request.deviceOffset, total);
    this.schedule(transfer, firstAt, false);
  }

  private schedule(transfer: ActiveTransfer, at: number, completes: boolean): void {
    transfer.at = at;
    transfer.completes = completes;
    this.events.schedule(transfer);
  }

  /** Moves one burst, then schedules the next one or the completion. */
  burst(transfer: ActiveTransfer, at: number): void {
    const { request } = transfer;
    const segment = request.segments[transfer.segmentIndex];
    if (segment === undefined) {
      this.complete(transfer, at);
      return;
    }
    const length = Math.min(this.burstBytes, segment.length - transfer.segmentOffset);
    const address = segment.address + transfer.segmentOffset;
    const window = this.memory.subarray(address, address + length);
    const moved =
      request.direction === TransferDirection.DeviceToMemory
        ? request.device.readFrom(transfer.deviceOffset, window)
        : request.device.writeTo(transfer.deviceOffset, window);
    if (moved > 0) {
      transfer.bytesDone += moved;
      transfer.deviceOffset += moved;
      transfer.segmentOffset += moved;
      this.moved += moved;
      this.listener.burst(transfer, address, moved, at);
    }
    if (transfer.segmentOffset >= segment.length) {
      transfer.segmentIndex++;
      transfer.segmentOffset = 0;
    }
    const ended = moved < length || transfer.segmentIndex >= request.segments.length;
    const next = at + Math.max(this.burstInterval, Math.ceil(moved * request.device.cyclesPerByte));
    this.schedule(transfer, next, ended);
  }

  complete(transfer: ActiveTransfer, at: number): void {
    this.channelBusy[transfer.channel] = false;
    this.busy--;
    this.listener.complete(transfer, transfer.bytesDone, at);
    const next = this.waiting.shift();
    if (next !== undefined) this.start(next, transfer.channel, at);
  }
}

/**
 * A DMA controller that moves each transfer in bursts of a few bytes at a time, spaced out in
 * simulated time, straight to or from physical memory.
 *
 * It checks nothing about who owns the memory it writes: a frame reassigned in the middle of
 * a transfer receives the rest of the data all the same. The listener sees every burst, so a
 * kernel can detect exactly that.
 */
export class BurstDmaController implements DmaController {
  readonly specificationVersion = 1;
  readonly channelCount: number;
  private readonly engine: BurstEngine;

  constructor(options: DmaControllerOptions) {
    const channels = options.channels ?? 1;
    const burstBytes = options.burstBytes ?? 64;
    const burstInterval = options.burstInterval ?? 16;
    if (!Number.isInteger(channels) || channels < 1) {
      throw new ConfigurationError('dma.channels', `must be a positive integer, got ${channels}`);
    }
    if (!Number.isInteger(burstBytes) || burstBytes < 1) {
      throw new ConfigurationError('dma.burstBytes', `must be a positive integer, got ${burstBytes}`);
    }
    if (!Number.isFinite(burstInterval) || burstInterval < 1) {
      throw new ConfigurationError('dma.burstInterval', `must be at least 1 cycle, got ${burstInterval}`);
    }
    this.channelCount = channels;
    this.engine = new BurstEngine(options.memory, options.clock, options.events, options.listener, burstBytes, burstInterval, channels);
  }

  get busyChannels(): number {
    return this.engine.busy;
  }

  get bytesMoved(): number {
    return this.engine.moved;
  }

  /** Transfers accepted but waiting for a free channel. */
  get queuedTransfers(): number {
    return this.engine.waiting.length;
  }

  submit(request: TransferRequest): Transfer {
    return this.engine.submit(request);
  }
}

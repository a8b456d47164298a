export { BurstDmaController, type DmaControllerOptions } from './controller.js';
export { bytesSource, DiskDevice, StreamDevice, type DiskTiming } from './devices.js';

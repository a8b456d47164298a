export { BurstDmaController, type DmaControllerOptions } from './controller.js';
export { DiskDevice, StreamDevice, type DiskTiming } from './devices.js';

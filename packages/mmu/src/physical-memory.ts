import { ConfigurationError, type PhysicalMemory } from '@pagelab/contracts';

/** Allocates zeroed RAM of `frameCount` frames of `pageSize` bytes. */
export function createPhysicalMemory(frameCount: number, pageSize: number): PhysicalMemory {
  if (!Number.isInteger(frameCount) || frameCount < 1) {
    throw new ConfigurationError('frameCount', `must be a positive integer, got ${String(frameCount)}`);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || (pageSize & (pageSize - 1)) !== 0) {
    throw new ConfigurationError('pageSize', `must be a power of two, got ${String(pageSize)}`);
  }
  return { bytes: new Uint8Array(frameCount * pageSize), frameCount, pageSize };
}

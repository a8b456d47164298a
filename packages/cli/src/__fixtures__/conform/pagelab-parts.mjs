// pagelab's own parts, exported one per seam the way a lab's part module exports its factory:
// the conformance tests run `pagelab conform SEAM ./pagelab-SEAM.mjs` on each.
import { defaultParts } from '@pagelab/kernel';

export const ioStrategy = (name) => (options) => defaultParts.ioStrategy(name, options);
export const { createFrameTable, createMmu, createDma } = defaultParts;

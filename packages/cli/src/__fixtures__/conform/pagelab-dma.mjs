// pagelab's own DMA controller as a dma part.
import { createDma } from './pagelab-parts.mjs';

export default createDma;

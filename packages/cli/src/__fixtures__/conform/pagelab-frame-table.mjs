// pagelab's own frame table as a frame-table part.
import { createFrameTable } from './pagelab-parts.mjs';

export default createFrameTable;

// pagelab's own MMU as an mmu part.
import { createMmu } from './pagelab-parts.mjs';

export default createMmu;

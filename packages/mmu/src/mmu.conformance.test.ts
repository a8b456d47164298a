import { describeMmuConformance } from '@pagelab/conformance';
import { createMmu } from './mmu.js';

describeMmuConformance('@pagelab/mmu', createMmu);

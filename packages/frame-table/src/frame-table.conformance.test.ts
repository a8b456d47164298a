import { describeFrameTableConformance } from '@pagelab/conformance';
import { createFrameTable } from './frame-table.js';

describeFrameTableConformance('@pagelab/frame-table', createFrameTable);

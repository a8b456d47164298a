import { describePagerConformance } from '@pagelab/conformance';
import { createPager } from './pager.js';

describePagerConformance('pagelab fault service', createPager);

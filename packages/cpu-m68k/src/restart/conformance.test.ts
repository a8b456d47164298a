import { describeRestartStrategyConformance } from '@pagelab/conformance';
import { faultEveryReference } from '../testing/fault-bench.js';
import { createHardwareStrategy, createNoRestartStrategy } from './simple-strategies.js';
import { createSoftwareStrategy } from './software.js';

// The built-in strategies against the shared suite, each with the capabilities it claims.
const bench = { faultEveryReference };
describeRestartStrategyConformance('hardware', createHardwareStrategy, { bench, capabilities: { hiddenRecord: true } });
describeRestartStrategyConformance('software', () => createSoftwareStrategy(), { bench, capabilities: { plainFrame: true } });
describeRestartStrategyConformance('none', createNoRestartStrategy, { bench });

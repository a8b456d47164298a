export { runPagelab } from './main.js';
export { loadScenario, parseScenario, type Scenario, type ScenarioProcess } from './scenario.js';
export { compareScenario, type ComparisonRow } from './commands/compare.js';
export type { CommandOutput } from './output.js';

export { runPagelab } from './main.js';
export { loadScenario, parseScenario, type Scenario, type ScenarioProcess } from './scenario.js';
export { compareScenario, LAB_PART, type ComparisonRow, type IoChoice, type RestartChoice } from './commands/compare.js';
export type { CommandOutput } from './output.js';

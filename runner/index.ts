/** The public API for scenario files: `import { defineScenario } from 'moshpit'`. */
export { defineScenario } from './scenario/define.ts';
export type { ScenarioInput, Scenario } from './scenario/schema.ts';

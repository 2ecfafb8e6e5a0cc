import type { ScenarioInput } from './schema.ts';

/**
 * Declares a scenario. It only gives the file its type: the runner validates the value (and
 * reports every problem at once) when it loads the file.
 */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}

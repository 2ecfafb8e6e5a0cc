import type { ConsumerOptions } from '../../../runner/contracts/backend-config.ts';
import { scenarioSchema } from '../../../runner/scenario/schema.ts';

/** The scenario schema's consumer defaults with overrides (durations in ms). */
export function consumerDefaults(overrides: Partial<ConsumerOptions> = {}): ConsumerOptions {
  const base = scenarioSchema.shape.backend.parse(undefined).consumer;
  return { ...base, ...overrides };
}

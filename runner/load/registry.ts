/**
 * Explicit registry of load engines. The k6 engine registers here when it exists.
 */
import { UserError } from '../contracts/errors.ts';
import { createBuiltinEngine, type BuiltinEngineOptions } from './builtin.ts';
import type { LoadEngine } from './engine.ts';
import { createK6Engine, type K6EngineOptions } from './k6/engine.ts';

export interface EngineOptions {
  builtin?: BuiltinEngineOptions;
  k6?: K6EngineOptions;
}

const ENGINES: Record<string, (options: EngineOptions) => LoadEngine> = {
  builtin: (options) => createBuiltinEngine(options.builtin),
  k6: (options) => createK6Engine(options.k6),
};

export const LOAD_ENGINES: readonly string[] = Object.keys(ENGINES);
export const DEFAULT_LOAD_ENGINE = 'builtin';

/** Returns the engine called `name`; an unknown name is a UserError listing the known ones. */
export function getLoadEngine(name: string, options: EngineOptions = {}): LoadEngine {
  const factory = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (!factory) {
    throw new UserError(`unknown load engine "${name}": known engines are ${LOAD_ENGINES.join(', ')} (use --engine ${DEFAULT_LOAD_ENGINE})`);
  }
  return factory(options);
}

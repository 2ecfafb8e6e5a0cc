/**
 * The interface every fault type implements. Its own file so that the fault files and the
 * registry that lists them (registry.ts) do not import each other.
 */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';

/** A fault that is in effect; `heal` undoes it. The scheduler heals each fault at most once. */
export interface ActiveFault {
  heal(): Promise<void>;
}

export type FaultStarter = (spec: FaultSpec, target: string, stack: Stack) => Promise<ActiveFault>;

/**
 * Scenario fields every per-stream toxic takes (a network fault acts on the links to the broker),
 * built from the zod the caller passes (toxic.ts says why).
 */
import type { z } from 'zod';

export function streamFields(zod: typeof z) {
  return {
    /** direction: upstream = backend → broker, downstream = broker → backend (default both) */
    stream: zod.enum(['upstream', 'downstream', 'both']).default('both'),
    /** share of connections affected, 0..1 (default 1) */
    toxicity: zod.number().min(0).max(1).default(1),
  };
}

export function nonNegative(zod: typeof z) {
  return zod.number().nonnegative();
}

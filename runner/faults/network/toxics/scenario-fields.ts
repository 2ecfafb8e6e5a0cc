/** Scenario fields every per-stream toxic takes (a network fault acts on the links to the broker). */
import { z } from 'zod';

export const streamFields = {
  /** direction: upstream = backend → broker, downstream = broker → backend (default both) */
  stream: z.enum(['upstream', 'downstream', 'both']).default('both'),
  /** share of connections affected, 0..1 (default 1) */
  toxicity: z.number().min(0).max(1).default(1),
};

export const nonNegative = z.number().nonnegative();

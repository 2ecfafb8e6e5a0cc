/** latency: every chunk waits latency ± jitter ms, counted from its arrival (so chunks stay pipelined). */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const latency = defineToxic({
  type: 'latency',
  attributes: { latency: 0, jitter: 0 }, // ms, ms
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('latency'), latencyMs: nonNegative(zod), jitterMs: nonNegative(zod).default(0), ...streamFields(zod) }),
  toAttributes: (fault) => ({ latency: fault.latencyMs, jitter: fault.jitterMs }),
  async pipe(ctx, toxic, data, arrivalMs, next) {
    const a = toxic.attributes;
    const jitterMs = a.jitter! > 0 ? (Math.random() * 2 - 1) * a.jitter! : 0;
    await ctx.hold(toxic, arrivalMs + Math.max(0, a.latency! + jitterMs));
    return next(data);
  },
});

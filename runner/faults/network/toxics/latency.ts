/** latency: every chunk waits latency ± jitter ms, counted from its arrival (so chunks stay pipelined). */
import { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const latency = defineToxic({
  type: 'latency',
  attributes: { latency: 0, jitter: 0 }, // ms, ms
  scope: 'stream',
  scenario: z.strictObject({ type: z.literal('latency'), latencyMs: nonNegative, jitterMs: nonNegative.default(0), ...streamFields }),
  toAttributes: (fault) => ({ latency: fault.latencyMs, jitter: fault.jitterMs }),
  async pipe(ctx, toxic, data, arrivalMs, next) {
    const a = toxic.attributes;
    const jitterMs = a.jitter! > 0 ? (Math.random() * 2 - 1) * a.jitter! : 0;
    await ctx.hold(toxic, arrivalMs + Math.max(0, a.latency! + jitterMs));
    return next(data);
  },
});

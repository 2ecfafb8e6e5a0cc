/**
 * bandwidth: at most `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy), in pieces of at most 100 ms
 * of data; rate 0 holds all data until the toxic is removed.
 */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const bandwidth = defineToxic({
  type: 'bandwidth',
  attributes: { rate: 0 }, // KB/s
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('bandwidth'), rateKBps: nonNegative(zod), ...streamFields(zod) }),
  toAttributes: (fault) => ({ rate: fault.rateKBps }),
  async pipe(ctx, toxic, data, _arrivalMs, next) {
    const rateKBps = toxic.attributes.rate!;
    if (rateKBps === 0) {
      await ctx.hold(toxic);
      return next(data);
    }
    const state = ctx.state(toxic);
    const pieceBytes = Math.max(1, Math.floor(rateKBps * 100)); // at most 100 ms of data per piece
    for (let offset = 0; offset < data.length; offset += pieceBytes) {
      const piece = data.subarray(offset, offset + pieceBytes);
      const startMs = Math.max(performance.now(), state.nextMs ?? 0);
      const dueMs = startMs + piece.length / rateKBps; // bytes / (KB/s) = ms
      state.nextMs = dueMs;
      await ctx.hold(toxic, dueMs);
      await next(piece);
    }
  },
});

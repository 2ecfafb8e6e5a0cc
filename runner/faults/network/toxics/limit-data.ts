/** limit_data: after `bytes` bytes in its direction the connection closes gracefully (both peers see EOF). */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const limitData = defineToxic({
  type: 'limit_data',
  attributes: { bytes: 0 }, // bytes
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('limit_data'), bytes: nonNegative(zod), ...streamFields(zod) }),
  toAttributes: (fault) => ({ bytes: fault.bytes }),
  async pipe(ctx, toxic, data, _arrivalMs, next) {
    const state = ctx.state(toxic);
    const sentBytes = state.sentBytes ?? 0;
    const remainingBytes = toxic.attributes.bytes! - sentBytes;
    if (data.length < remainingBytes) {
      state.sentBytes = sentBytes + data.length;
      return next(data);
    }
    state.sentBytes = toxic.attributes.bytes!;
    if (remainingBytes > 0) await next(data.subarray(0, remainingBytes));
    ctx.end();
  },
});

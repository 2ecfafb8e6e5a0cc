/** slow_close: the end of the stream (FIN) is passed on `delay` ms late; data is untouched. */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const slowClose = defineToxic({
  type: 'slow_close',
  attributes: { delay: 0 }, // ms
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('slow_close'), delayMs: nonNegative(zod), ...streamFields(zod) }),
  toAttributes: (fault) => ({ delay: fault.delayMs }),
  async beforeEnd(ctx, toxic) {
    await ctx.hold(toxic, performance.now() + toxic.attributes.delay!);
  },
});

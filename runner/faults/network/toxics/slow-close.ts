/** slow_close: the end of the stream (FIN) is passed on `delay` ms late; data is untouched. */
import { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const slowClose = defineToxic({
  type: 'slow_close',
  attributes: { delay: 0 }, // ms
  scope: 'stream',
  scenario: z.strictObject({ type: z.literal('slow_close'), delayMs: nonNegative, ...streamFields }),
  toAttributes: (fault) => ({ delay: fault.delayMs }),
  async beforeEnd(ctx, toxic) {
    await ctx.hold(toxic, performance.now() + toxic.attributes.delay!);
  },
});

/** reset_peer: `timeout` ms after the first data, both peers get a TCP RST. */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const resetPeer = defineToxic({
  type: 'reset_peer',
  attributes: { timeout: 0 }, // ms after the first data
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('reset_peer'), timeoutMs: nonNegative(zod).default(0), ...streamFields(zod) }),
  toAttributes: (fault) => ({ timeout: fault.timeoutMs }),
  async pipe(ctx, toxic) {
    const state = ctx.state(toxic);
    if (state.started) return;
    state.started = 1;
    await ctx.hold(toxic, performance.now() + toxic.attributes.timeout!);
    if (ctx.isActive(toxic)) ctx.destroy(true);
  },
});

/**
 * timeout: data is dropped while it is active and the connection closes `timeout` ms after the
 * toxic starts applying to it; timeout 0 holds the data (never closes) until it is removed, as
 * Toxiproxy.
 */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';
import { nonNegative, streamFields } from './scenario-fields.ts';

export const timeout = defineToxic({
  type: 'timeout',
  attributes: { timeout: 0 }, // ms; 0 = hold data forever, never close
  scope: 'stream',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('timeout'), timeoutMs: nonNegative(zod), ...streamFields(zod) }),
  toAttributes: (fault) => ({ timeout: fault.timeoutMs }),
  onApply(toxic, close) {
    return toxic.attributes.timeout! > 0 ? setTimeout(() => close(false), toxic.attributes.timeout!) : undefined;
  },
  async pipe(ctx, toxic, data, _arrivalMs, next) {
    if (toxic.attributes.timeout !== 0) return; // dropped while active; the connection closes when the timer fires
    await ctx.hold(toxic); // held until removed, as Toxiproxy
    return next(data);
  },
});

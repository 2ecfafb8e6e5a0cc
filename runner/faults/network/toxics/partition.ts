/**
 * partition (moshpit's, not Toxiproxy's): data is held both ways while the sockets stay open;
 * removed, everything held is delivered in order. On an existing Toxiproxy server it is a
 * `timeout` toxic with timeout 0 both ways: Toxiproxy drops the data while it is active instead
 * of holding it, so the connection usually breaks at the heal.
 */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';

export const partition = defineToxic({
  type: 'partition',
  attributes: {},
  scope: 'whole',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('partition') }),
  toAttributes: () => ({}),
  bothStreams: true,
  onToxiproxy: { substitute: { type: 'timeout', attributes: { timeout: 0 } }, streams: ['upstream', 'downstream'] },
  async pipe(ctx, toxic, data, _arrivalMs, next) {
    await ctx.hold(toxic);
    return next(data);
  },
});

/**
 * down (moshpit's, not Toxiproxy's): the proxy refuses new connections and drops the open ones
 * while it is present. On an existing Toxiproxy server the proxies are disabled instead, which
 * Toxiproxy does the same way (listener closed, every connection dropped).
 */
import type { z } from 'zod';
import { defineToxic } from './toxic.ts';

export const down = defineToxic({
  type: 'down',
  attributes: {},
  scope: 'whole',
  scenario: (zod: typeof z) => zod.strictObject({ type: zod.literal('down') }),
  toAttributes: () => ({}),
  closesListener: true,
  onToxiproxy: { disableProxies: true },
});

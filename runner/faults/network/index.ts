/**
 * Network faults: a TCP fault proxy with Toxiproxy's toxics (plus `down` and `partition`) and a
 * Toxiproxy 2.x-compatible HTTP API.
 *
 *   const faults = await startFaultProxy();                 // API on 127.0.0.1:<free port>
 *   const { listen } = await faults.createProxy({ name: 'sb', upstream: '127.0.0.1:5672' });
 *   await faults.addToxic('sb', { type: 'latency', attributes: { latency: 300, jitter: 100 } });
 *   await faults.removeToxic('sb', 'latency_downstream');   // takes effect at once
 *   await faults.close();                                   // in finally: closes every socket
 *
 * Or against an existing Toxiproxy: `new FaultProxyClient('http://host:8474')` (same methods).
 */
import { startApiServer } from './api.ts';
import type { FaultProxyControl, ToxicSpec } from './client.ts';
import type { ProxyJson } from './proxy.ts';
import { ProxyRegistry, type ProxySpec } from './registry.ts';
import { TOXIPROXY_COMPAT_VERSION } from './api.ts';
import type { KnownToxic as Toxic } from './toxic-body.ts';

export { FaultProxyClient, FaultProxyError, type FaultProxyControl, type ToxicSpec } from './client.ts';
export { TOXIC_TYPES, TOXIC_ATTRIBUTES, type ToxicType } from './toxics/index.ts';
export type { ToxicStream } from './toxics/toxic.ts';
export type { KnownToxic as Toxic } from './toxic-body.ts';
export { ApiError } from './api-error.ts';
export type { ProxyJson } from './proxy.ts';
export type { ProxySpec } from './registry.ts';

export interface FaultProxyOptions {
  /** Host for the API (default 127.0.0.1). */
  host?: string;
  /** API port; 0 (default) picks a free port. */
  apiPort?: number;
}

/** A running in-process fault proxy; methods act directly (no HTTP), errors are ApiError. */
export interface FaultProxy extends FaultProxyControl {
  /** Stops the API and every proxy, closing every socket. Idempotent. */
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const registry = new ProxyRegistry();
  const api = await startApiServer(registry, options.host ?? '127.0.0.1', options.apiPort ?? 0);
  let closing: Promise<void> | null = null;
  return {
    apiUrl: api.apiUrl,
    createProxy: (spec: ProxySpec): Promise<ProxyJson> => registry.create(spec),
    getProxy: async (name: string) => registry.get(name).toJSON(),
    listProxies: async () => registry.list(),
    updateProxy: (name, fields) => registry.update(name, fields),
    deleteProxy: (name) => registry.delete(name),
    populate: async (specs) => (await registry.populate(specs)).proxies,
    addToxic: (proxyName: string, toxic: ToxicSpec): Promise<Toxic> => registry.addToxic(proxyName, toxic),
    updateToxic: (proxyName, toxicName, fields) => registry.updateToxic(proxyName, toxicName, fields),
    removeToxic: (proxyName, toxicName) => registry.removeToxic(proxyName, toxicName),
    reset: () => registry.reset(),
    version: async () => TOXIPROXY_COMPAT_VERSION,
    close: () => (closing ??= Promise.all([api.close(), registry.closeAll()]).then(() => undefined)),
  };
}
